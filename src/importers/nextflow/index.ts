/**
 * Nextflow trace importer: the `trace.txt` / `execution_trace_*.txt` that `-with-trace` (or
 * `trace.enabled = true`) writes -> one run. docs/formats.md has the mapping.
 *
 * The trace is a table of one row per task run, fields chosen and ordered by the user
 * (`trace.fields`), separated by `trace.sep` (a tab by default), values in human units or raw
 * numbers (`trace.raw`), `-` for missing values. It is streamed: each row is parsed (rows.ts) and
 * written as a task with its events (tasks.ts) as it is read, so a trace of millions of rows never
 * sits in memory. A trace with an `attempt` field is read twice: first to find which rows are
 * attempts of one task.
 */
import crypto from 'node:crypto';
import { TraceError } from '../../errors.js';
import { capacityWarning, finalizeRun, mergeCapacity, runIdFromSharedName } from '../common/normalize.js';
import { compressionOf, decompressedHead, firstLine, readHead } from '../common/streams.js';
import type { Importer, ImportOptions, Sample, TraceInput } from '../importer.js';
import type { ParsedRun, RunHeader } from '../../run/parsed-run.js';
import { MemoryRun, type RunSink } from '../common/run-sink.js';
import { timeZoneNamed, UTC, type TimeZone } from '../common/time-zone.js';
import { eachLine } from '../common/each-line.js';
import { ExactIds, IdFingerprints, type IdCheck } from '../tabular/unique-ids.js';
import { describesTasks, readHeader, type Header } from './fields.js';
import { RowReader, type TraceRow } from './rows.js';
import { AttemptChains, intervalOf, nameOfRow, TaskWriter, type Columns } from './tasks.js';

export const nextflowImporter: Importer = {
  format: 'nextflow',
  describe: 'a Nextflow trace (trace.txt, execution_trace_*.txt)',
  detect: detectNextflow,
  stream: async (input, options, open) => {
    const result = await readTrace(input, options, (header) => open(header));
    return { contentHash: result.contentHash, warnings: result.warnings };
  },
};

/** The first line is a header of Nextflow trace fields that names tasks and their times or status. */
export function detectNextflow(sample: Sample): true | string {
  if (sample.kind !== 'file' || sample.binary || sample.text === '') return '';
  const line = firstLine(sample.text);
  if (/^\s*[[{]/.test(line)) return '';
  const header = readHeader(line);
  if (typeof header === 'string') return '';
  if (!describesTasks(header.fields)) return `as a Nextflow trace, its fields (${header.fields.join(', ')}) name no task or no time or status`;
  return true;
}

/** `timeZone` (`--tz`) is the zone of the trace's dates: Nextflow writes local time without a zone. */
export type NextflowOptions = ImportOptions;

/** A run read whole (for tests and small traces). */
export async function readNextflow(input: TraceInput, options: NextflowOptions): Promise<ParsedRun> {
  const memory = new MemoryRun();
  let header: RunHeader | undefined;
  const result = await readTrace(input, options, (h) => {
    header = h;
    return memory;
  });
  return finalizeRun({ ...header!, tasks: memory.tasks, events: memory.events, warnings: result.warnings });
}

/** First-batch size: the provisional time zero is the earliest start among these rows (see RunWriter). */
const FIRST_BATCH = 8192;

interface TraceResult {
  contentHash: string;
  warnings: string[];
}

async function readTrace(input: TraceInput, options: NextflowOptions, openSink: (header: RunHeader) => RunSink | Promise<RunSink>): Promise<TraceResult> {
  const zone: TimeZone = options.timeZone === undefined ? UTC : timeZoneNamed(options.timeZone);
  const file = input.display;
  const chains = await findAttempts(input);
  const hash = crypto.createHash('sha256');
  const ids = new IdFingerprints();
  let header: Header | null = null;
  let reader: RowReader | null = null;
  let writer: TaskWriter | null = null;
  // The run's header depends on the file's name and the options only: opened before reading.
  const sink = await openSink({ id: runIdFromSharedName(input.path, /^(trace|(execution|pipeline)_trace)$/i), format: 'nextflow', source: input.path, workflow: null, capacity: mergeCapacity(undefined, options.capacity), scheduled: true });
  const firstRows: TraceRow[] = [];
  let columns: Columns = { start: false, complete: false, attempt: false };

  const write = (row: TraceRow) => {
    const uid = writer!.write(row);
    if (uid !== null) ids.repeatOf(uid);
  };
  const flushFirst = () => {
    let earliest = Infinity;
    const interval = { start: NaN, end: NaN, derived: false };
    for (const row of firstRows) {
      intervalOf(row, columns, interval);
      if (interval.start < earliest) earliest = interval.start; // NaN never is
    }
    if (earliest !== Infinity) sink.startsFrom?.(earliest);
    for (const row of firstRows) write(row);
    firstRows.length = 0;
  };

  await eachInputLine(input, options, hash, (text, line) => {
    if (header === null) {
      if (text.trim() === '') return;
      header = headerOf(file, text, line);
      const fields = new Set(header.fields);
      columns = { start: fields.has('start'), complete: fields.has('complete'), attempt: fields.has('attempt') };
      reader = new RowReader(file, header, zone);
      writer = new TaskWriter(sink, columns, chains);
      return;
    }
    if (text === '') return;
    const row = reader!.read(text, line);
    if (firstRows.length < FIRST_BATCH && writer!.counts.tasks === 0) {
      firstRows.push({ ...row });
      if (firstRows.length === FIRST_BATCH) flushFirst();
      return;
    }
    write(row);
  });
  if (header === null) throw new TraceError(file, 'the file is empty: no Nextflow trace header');
  if (firstRows.length > 0) flushFirst();
  const counts = writer!.counts;
  if (counts.tasks === 0) throw new TraceError(file, 'the trace has a header and no task rows');
  const suspects = ids.shared();
  if (suspects.size > 0) await findRepeatedId(input, options, zone, chains, new ExactIds(suspects));

  const warnings: string[] = [];
  const fields = new Set((header as Header).fields);
  if (counts.derived > 0) {
    const missing = ['start', 'complete'].filter((f) => !fields.has(f)).join(' and ');
    warnings.push(
      `the trace has no ${missing} field${missing.includes(' and ') ? 's' : ''} (Nextflow's default selection): execution intervals of ${counts.derived} task run(s) derived as ` +
        'end = submit + duration, start = end - realtime (to the precision Nextflow printed; add start,complete to trace.fields for exact times)',
    );
  }
  if (reader!.dateForms.has('wall') && options.timeZone === undefined) {
    warnings.push('dates are local time without a zone: read as UTC (give the zone the run ran in with --tz, e.g. --tz Europe/Zurich)');
  }
  for (const [status, count] of counts.unknownStatuses) warnings.push(`${count} task(s) with status ${JSON.stringify(status)}, which asyncscope does not know: outcome unknown`);
  if (counts.attempts > 0) warnings.push(`${counts.attempts} earlier attempt(s) of retried tasks kept as attempt_start/attempt_end events of their task`);
  if (counts.lateAttempts > 0) warnings.push(`${counts.lateAttempts} earlier attempt(s) come after their task's last attempt in the file: their times are not kept`);
  const cached = counts.outcomes.get('cached') ?? 0;
  if (cached > 0) warnings.push(`${cached} cached task(s) (CACHED: results of an earlier run) were not executed in this run: no start or end, their earlier times kept as cached_* events`);
  capacityWarning(mergeCapacity(undefined, options.capacity), warnings);
  return { contentHash: hash.digest('hex'), warnings };
}

function headerOf(file: string, text: string, line: number): Header {
  const read = readHeader(text);
  if (typeof read === 'string') throw new TraceError(file, `not a Nextflow trace: ${read}`, line);
  if (!describesTasks(read.fields)) throw new TraceError(file, `not a Nextflow task trace: its fields (${read.fields.join(', ')}) name no task or no time or status`, line);
  return read;
}

/** `eachLine` over the input, hashing its raw bytes when asked. */
function eachInputLine(input: TraceInput, options: ImportOptions, hash: crypto.Hash | null, onLine: (text: string, line: number) => void): Promise<void> {
  return eachLine(input.path, input.display, hash ? { onBytes: options.onBytes, onRaw: (chunk) => hash.update(chunk) } : {}, onLine);
}

/** With an `attempt` field, a first pass links the rows that are attempts of one task; else null. */
async function findAttempts(input: TraceInput): Promise<AttemptChains | null> {
  const head = await decompressedHead(input.path, compressionOf(readHead(input.path, 4)), 64 * 1024);
  const first = readHeader(firstLine(head.toString('utf8')));
  if (typeof first === 'string' || !first.fields.includes('attempt')) return null;
  const at = (field: string) => first.fields.indexOf(field);
  const columns = { attempt: at('attempt'), name: at('name'), process: at('process'), tag: at('tag') };
  const chains = new AttemptChains();
  let seenHeader = false;
  await eachInputLine(input, {}, null, (text) => {
    if (!seenHeader) {
      seenHeader = text.trim() !== '';
      return;
    }
    if (text === '') return;
    const cells = text.split(first.separator);
    const cell = (k: number) => (k === -1 || cells[k] === undefined || cells[k] === '-' || cells[k] === '' ? null : cells[k]);
    const process = cell(columns.process);
    const name = cell(columns.name) ?? (process === null ? null : cell(columns.tag) === null ? process : `${process} (${cell(columns.tag)})`);
    chains.add(name, Number(cell(columns.attempt) ?? NaN));
  });
  return chains;
}

/** A second pass over a trace whose task ids may repeat: throws naming the repeat's line. */
async function findRepeatedId(input: TraceInput, options: ImportOptions, zone: TimeZone, chains: AttemptChains | null, check: IdCheck): Promise<void> {
  let reader: RowReader | null = null;
  let row = 0;
  await eachInputLine(input, options, null, (text, line) => {
    if (reader === null) {
      if (text.trim() !== '') reader = new RowReader(input.display, headerOf(input.display, text, line), zone);
      return;
    }
    if (text === '') return;
    const read = reader.read(text, line);
    if (chains !== null && chains.hasNext[row++] === 1) return;
    const uid = read.taskId ?? read.hash ?? nameOfRow(read) ?? `line ${read.line}`;
    const first = check.repeatOf(uid, line);
    if (first !== undefined) throw new TraceError(input.display, `duplicate task ${JSON.stringify(uid)} (first on line ${first})`, line, 'task_id');
  });
}
