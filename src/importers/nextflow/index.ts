/**
 * Nextflow trace importer: the `trace.txt` / `execution_trace_*.txt` that `-with-trace` (or
 * `trace.enabled = true`) writes -> one run. docs/formats.md has the mapping.
 *
 * The trace is a table of one row per task run, fields chosen and ordered by the user
 * (`trace.fields`), separated by `trace.sep` (a tab by default), values in human units or raw
 * numbers (`trace.raw`), `-` for missing values. Rows are read line by line into columns
 * (rows.ts), then turned into tasks (tasks.ts).
 */
import { TraceError } from '../../errors.js';
import type { ParsedRun } from '../../store/records.js';
import { UTC, timeZoneNamed, type TimeZone } from '../common/time-zone.js';
import type { Outcome } from '../common/outcome.js';
import { firstLine } from '../detect.js';
import { finalizeRun, mergeCapacity } from '../normalize.js';
import { lines, openDecompressed } from '../streams.js';
import { capacityWarning, runIdFromFile } from '../tabular/common.js';
import type { ImportOptions, Importer, Sample, TraceInput } from '../types.js';
import { describesTasks, readHeader } from './fields.js';
import { readTraceRows } from './rows.js';
import { buildTasks } from './tasks.js';

export const nextflowImporter: Importer = {
  format: 'nextflow',
  describe: 'a Nextflow trace (trace.txt, execution_trace_*.txt)',
  detect: detectNextflow,
  read: (input, options) => readNextflow(input, options),
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

export interface NextflowOptions extends ImportOptions {
  /** `--tz`: the zone of the trace's dates (Nextflow writes local time without a zone). */
  timeZone?: string;
}

/** A run, and the outcome of each of its tasks (until the run's task table holds outcomes). */
export type NextflowRun = ParsedRun & { outcome: (Outcome | null)[] };

export async function readNextflow(input: TraceInput, options: NextflowOptions): Promise<NextflowRun> {
  const zone: TimeZone = options.timeZone === undefined ? UTC : timeZoneNamed(options.timeZone);
  const source = openDecompressed(input.path, options.onBytes);
  let parsed;
  try {
    parsed = await readTraceRows(input.display, lines(source as AsyncIterable<Buffer>), zone);
  } catch (error) {
    if (error instanceof TraceError) throw error;
    throw new TraceError(input.display, (error as Error).message);
  } finally {
    source.destroy();
  }
  const fields = new Set(parsed.header.fields);
  const built = buildTasks(parsed.rows, { start: fields.has('start'), complete: fields.has('complete'), status: fields.has('status'), attempt: fields.has('attempt') });
  if (built.tasks.length === 0) throw new TraceError(input.display, 'the trace has a header and no task rows');
  ensureUniqueIds(input.display, built.tasks.uid, built.line);

  const warnings: string[] = [];
  if (built.derived > 0) {
    const missing = ['start', 'complete'].filter((f) => !fields.has(f)).join(' and ');
    warnings.push(
      `the trace has no ${missing} field${missing.includes(' and ') ? 's' : ''} (Nextflow's default selection): execution intervals of ${built.derived} task run(s) derived as ` +
        'end = submit + duration, start = end - realtime (to the precision Nextflow printed; add start,complete to trace.fields for exact times)',
    );
  }
  if (parsed.dateForms.has('wall') && options.timeZone === undefined) {
    warnings.push('dates are local time without a zone: read as UTC (give the zone the run ran in with --tz, e.g. --tz Europe/Zurich)');
  }
  for (const [status, count] of built.unknownStatuses) warnings.push(`${count} task(s) with status ${JSON.stringify(status)}, which asyncscope does not know: outcome unknown`);
  if (built.attempts > 0) warnings.push(`${built.attempts} earlier attempt(s) of retried tasks kept as attempt_start/attempt_end events of their task`);
  const counts = countOutcomes(built.outcome);
  if (counts.cached > 0) warnings.push(`${counts.cached} cached task(s) (CACHED: results of an earlier run) were not executed in this run: no start or end, their earlier times kept as cached_* events`);

  const capacity = mergeCapacity(undefined, options.capacity);
  capacityWarning(capacity, warnings);
  const run = finalizeRun({
    id: runIdFromFile(input.path),
    format: 'nextflow',
    source: input.path,
    capacity,
    tasks: built.tasks,
    events: built.events,
    warnings,
  });
  return { ...run, outcome: built.outcome };
}

function countOutcomes(outcomes: readonly (Outcome | null)[]): Record<Outcome, number> {
  const counts: Record<Outcome, number> = { done: 0, failed: 0, cancelled: 0, timeout: 0, cached: 0, skipped: 0, running: 0, pending: 0 };
  for (const outcome of outcomes) if (outcome !== null) counts[outcome]++;
  return counts;
}

/** Task ids repeat only when traces of several runs were joined: an error naming both lines. */
function ensureUniqueIds(file: string, uids: readonly string[], line: readonly number[]): void {
  const first = new Map<string, number>();
  for (let i = 0; i < uids.length; i++) {
    const seen = first.get(uids[i]);
    if (seen !== undefined) throw new TraceError(file, `duplicate task ${JSON.stringify(uids[i])} (first on line ${seen})`, line[i], 'task_id');
    first.set(uids[i], line[i]);
  }
}
