/**
 * Dask importer: a task stream of `distributed` (`client.get_task_stream()`, or the `ts.data` of
 * `with get_task_stream() as ts:`), saved as a JSON list of records or as JSON Lines -> one run.
 * docs/formats.md has the mapping; records.ts reads one record. Records are streamed into the run
 * as they are read (a JSON list with the Chrome importer's event scanner).
 *
 * A task stream has neither the machine nor the graph. Two optional files beside it complete the
 * run: `scheduler-info.json` (what `client.scheduler_info()` returns: each worker's `nthreads`,
 * the capacity) and `graph.json` (`{key: [dependency keys]}`, the task graph). Without the first,
 * the capacity is unknown (the warning says how many worker threads ran tasks); without the
 * second, the run has no dependencies.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { TraceError } from '../../errors.js';
import { jsonSyntaxError } from '../common/json-errors.js';
import { capacityWarning, finalizeRun, mergeCapacity, runIdFromSharedName } from '../common/normalize.js';
import { firstLine, openDecompressed } from '../common/streams.js';
import type { Importer, ImportOptions, Sample, TraceInput } from '../importer.js';
import { type Capacity, UNKNOWN_CAPACITY } from '../../run/capacity.js';
import { EdgeTable } from '../../run/edge-table.js';
import type { ParsedRun, RunHeader } from '../../run/parsed-run.js';
import { TraceEventScanner } from '../chrome/event-stream.js';
import type { Outcome } from '../../run/outcome.js';
import { MemoryRun, type RunSink } from '../common/run-sink.js';
import { ExactIds, IdFingerprints, type IdCheck } from '../tabular/unique-ids.js';
import { findCycle } from '../../run/edge-cycle.js';
import { keySplit } from './key-split.js';
import { readRecord, RecordProblem, type DaskTask } from './records.js';

export const daskImporter: Importer = {
  format: 'dask',
  describe: 'a Dask task stream (get_task_stream() records as a JSON list or JSON Lines)',
  detect: detectDask,
  // The run is the stream and the files beside it: a hash of the stream file alone would find a
  // run stored already when only its graph.json or scheduler-info.json changed.
  hashesWhileReading: true,
  stream: async (input, options, open) => {
    const result = await readStream(input, options, (header) => open(header));
    return { contentHash: result.contentHash, warnings: result.warnings };
  },
};

/** Records have `startstops` and `key`: a JSON list of them, or one per line. */
export function detectDask(sample: Sample): true | string {
  if (sample.kind !== 'file' || sample.binary || sample.text === '') return '';
  const text = sample.text;
  if (!/"startstops"\s*:/.test(text)) return '';
  if (/^\s*\[/.test(text) || /^\s*\{/.test(firstLine(text))) {
    return /"key"\s*:/.test(text) ? true : 'as a Dask task stream, its records have "startstops" but no "key"';
  }
  return '';
}

/** A run read whole (for tests and small traces). */
export async function readDask(input: TraceInput, options: ImportOptions): Promise<ParsedRun> {
  const memory = new MemoryRun();
  let header: RunHeader | undefined;
  const result = await readStream(input, options, (h) => {
    header = h;
    return memory;
  });
  return finalizeRun({ ...header!, tasks: memory.tasks, events: memory.events, edges: memory.edges, warnings: result.warnings });
}

/** First-batch size: the provisional time zero is the earliest start among these records (see RunWriter). */
const FIRST_BATCH = 8192;

/** Writes records into a sink as they come, and remembers what the run's warnings and graph need. */
class RecordWriter {
  tasks = 0;
  withoutCompute = 0;
  readonly slots = new Set<string>();
  readonly workers = new Set<string>();
  readonly unknownStatuses = new Map<string, number>();
  readonly ids = new IdFingerprints();
  /** Key -> task index, kept only when a graph is to be joined. */
  readonly index: Map<string, number> | null;
  readonly failed: number[] = [];
  private readonly first: DaskTask[] = [];

  constructor(
    private readonly file: string,
    private readonly sink: RunSink,
    keepIndex: boolean,
  ) {
    this.index = keepIndex ? new Map() : null;
  }

  add(value: unknown, line: number): void {
    let task: DaskTask;
    try {
      task = readRecord(value);
    } catch (error) {
      if (error instanceof RecordProblem) throw new TraceError(this.file, error.message, line, error.field === '' ? undefined : error.field);
      throw error;
    }
    if (this.first.length < FIRST_BATCH && this.tasks === 0) {
      this.first.push(task);
      if (this.first.length === FIRST_BATCH) this.flush();
      return;
    }
    this.write(task);
  }

  /** Writes the first batch, after telling the sink its earliest start. */
  flush(): void {
    if (this.first.length === 0) return;
    let earliest = Infinity;
    for (const task of this.first) if (task.start < earliest) earliest = task.start;
    if (earliest !== Infinity) this.sink.startsFrom?.(earliest);
    for (const task of this.first) this.write(task);
    this.first.length = 0;
  }

  private write(task: DaskTask): void {
    const i = this.tasks++;
    this.sink.pushValues(task.uid, null, task.type, null, null, task.status, task.outcome, task.worker === '' ? null : task.worker, 1, NaN, task.start, task.end, NaN, NaN, null, null);
    this.ids.repeatOf(task.uid);
    this.index?.set(task.uid, i);
    if (task.outcome === 'failed') this.failed.push(i);
    if (task.status !== null && task.outcome === null) this.unknownStatuses.set(task.status, (this.unknownStatuses.get(task.status) ?? 0) + 1);
    if (!task.computed) this.withoutCompute++;
    if (task.worker !== '') this.workers.add(task.worker);
    this.slots.add(task.slot);
    // `start` and `end` (the interval) sit next to the compute phase they copy, so that events of
    // one instant read in the order they happened: disk_read_end, start, compute_start.
    const phases = task.phases;
    let first = 0;
    let last = phases.length - 1;
    if (task.computed) {
      first = phases.findIndex(([name]) => name === 'compute_start');
      for (last = phases.length - 1; phases[last][0] !== 'compute_end'; last--);
    }
    for (let k = 0; k < phases.length; k++) {
      if (k === first) this.sink.addEvent(i, 'start', null, task.start);
      this.sink.addEvent(i, phases[k][0], null, phases[k][1]);
      if (k === last) this.sink.addEvent(i, 'end', null, task.end);
    }
  }
}

interface StreamResult {
  contentHash: string;
  warnings: string[];
}

async function readStream(input: TraceInput, options: ImportOptions, openSink: (header: RunHeader) => RunSink | Promise<RunSink>): Promise<StreamResult> {
  const folder = path.dirname(input.path);
  const warnings: string[] = [];
  const sideFiles: SideFile[] = [];
  const stated = readSchedulerInfo(folder, warnings, sideFiles);
  const capacity = mergeCapacity(stated ?? undefined, options.capacity);
  const graph = readGraph(folder, sideFiles);
  const sink = await openSink({ id: runIdFromSharedName(input.path, /^task[-_]?stream$/i), format: 'dask', source: input.path, workflow: null, capacity, scheduled: true });
  const writer = new RecordWriter(input.display, sink, graph !== null);
  const hash = crypto.createHash('sha256');
  await eachRecord(input, options, hash, (record, line) => writer.add(record, line));
  writer.flush();
  if (writer.tasks === 0) throw new TraceError(input.display, 'the task stream holds no records');
  const suspects = writer.ids.shared();
  if (suspects.size > 0) await findRepeatedKey(input, new ExactIds(suspects));

  if (graph === null) warnings.push('no graph.json beside the trace: the run has no task dependencies (a task stream does not record them)');
  else joinGraph(graph, writer, sink, warnings);
  if (writer.withoutCompute > 0) warnings.push(`${writer.withoutCompute} record(s) without a compute action: placed over all their actions`);
  for (const [status, count] of writer.unknownStatuses) warnings.push(`${count} record(s) with status ${JSON.stringify(status)}, which asyncscope does not know: outcome unknown`);
  if (stated === null && capacity.cores === null) {
    warnings.push(
      `capacity unknown: a task stream does not state it (${writer.slots.size} worker thread(s) on ${writer.workers.size} worker(s) ran tasks); ` +
        'put the JSON of client.scheduler_info() beside it as scheduler-info.json, or pass --cores/--nodes',
    );
  } else {
    capacityWarning(capacity, warnings);
  }
  return { contentHash: runHash(hash.digest('hex'), sideFiles), warnings };
}

/** A file beside the stream that the run is made of, with the bytes read. */
interface SideFile {
  name: string;
  bytes: Buffer;
}

/**
 * The stream's hash, and with files beside it, a hash of it and of them: a run with a changed
 * graph is another run. Without side files the stream's own hash (as runs stored before had).
 */
function runHash(streamHash: string, sideFiles: readonly SideFile[]): string {
  if (sideFiles.length === 0) return streamHash;
  const hash = crypto.createHash('sha256').update(`dask\0${streamHash}`);
  for (const { name, bytes } of sideFiles) hash.update(`\0${name}\0${bytes.length}\0`).update(bytes);
  return hash.digest('hex');
}

/** Calls `onRecord` with each record and its line: a JSON list is streamed, JSON Lines read line by line. */
async function eachRecord(input: TraceInput, options: ImportOptions, hash: crypto.Hash | null, onRecord: (record: unknown, line: number) => void): Promise<void> {
  const source = openDecompressed(input.path, hash ? options.onBytes : undefined, hash ? (chunk) => hash.update(chunk) : undefined);
  try {
    const decoder = new TextDecoder('utf-8');
    let scanner: TraceEventScanner | null = null;
    let jsonLines: ((text: string | null) => void) | null = null;
    let pending = '';
    for await (const chunk of source as AsyncIterable<Buffer>) {
      let text = decoder.decode(chunk, { stream: true });
      if (scanner === null && jsonLines === null) {
        pending += text;
        const first = pending.replace(/^\uFEFF/, '').trimStart();
        if (first === '') continue;
        text = pending.replace(/^\uFEFF/, '');
        pending = '';
        if (first[0] === '[') scanner = new TraceEventScanner(input.display, onRecord, { document: 'a Dask task stream', item: 'record' });
        else jsonLines = lineFeeder(input.display, onRecord);
      }
      if (scanner) scanner.feed(text);
      else jsonLines!(text);
    }
    const rest = pending + decoder.decode();
    if (scanner) {
      scanner.feed(rest);
      scanner.end();
      if (scanner.envelope.cutInEvent) throw new TraceError(input.display, 'the file ends inside a record (a task stream cut short?)');
    } else if (jsonLines) {
      jsonLines(rest);
      jsonLines(null);
    } else {
      throw new TraceError(input.display, 'the file is empty');
    }
  } catch (error) {
    if (error instanceof TraceError) throw error;
    throw new TraceError(input.display, (error as Error).message);
  } finally {
    source.destroy();
  }
}

/** JSON Lines fed in pieces (null at the end): each non-blank line one record. */
function lineFeeder(file: string, onRecord: (record: unknown, line: number) => void): (text: string | null) => void {
  let rest = '';
  let line = 0;
  const one = (text: string) => {
    line++;
    if (text.trim() === '') return;
    let record: unknown;
    try {
      record = JSON.parse(text);
    } catch (error) {
      throw new TraceError(file, `not valid JSON (${jsonSyntaxError(error as Error).reason})`, line);
    }
    onRecord(record, line);
  };
  return (text) => {
    if (text === null) {
      if (rest !== '') one(rest);
      rest = '';
      return;
    }
    const all = rest + text;
    let from = 0;
    for (let nl = all.indexOf('\n'); nl !== -1; nl = all.indexOf('\n', from)) {
      one(all.slice(from, nl > from && all.charCodeAt(nl - 1) === 13 ? nl - 1 : nl));
      from = nl + 1;
    }
    rest = all.slice(from);
  };
}

/** A second pass over a stream whose keys may repeat: throws naming the repeat's line. */
async function findRepeatedKey(input: TraceInput, check: IdCheck): Promise<void> {
  await eachRecord(input, {}, null, (record, line) => {
    const uid = readRecord(record).uid;
    const first = check.repeatOf(uid, line);
    if (first !== undefined) throw new TraceError(input.display, `task ${JSON.stringify(uid)} appears twice (first on line ${first})`, line, 'key');
  });
}

const SCHEDULER_INFO = ['scheduler-info.json', 'scheduler_info.json'];

/** The capacity `client.scheduler_info()` states, from a file beside the trace; null without one. */
function readSchedulerInfo(folder: string, warnings: string[], sideFiles: SideFile[]): Capacity | null {
  const name = SCHEDULER_INFO.find((candidate) => fs.existsSync(path.join(folder, candidate)));
  if (name === undefined) return null;
  const file = path.join(folder, name);
  const info = readJsonFile(file, sideFiles);
  const workers = (info as { workers?: unknown })?.workers;
  if (typeof workers !== 'object' || workers === null) throw new TraceError(file, 'no "workers" object (is it client.scheduler_info()?)', undefined, 'workers');
  const threads: number[] = [];
  let gpus = 0;
  let gpusKnown = false;
  for (const [address, worker] of Object.entries(workers as Record<string, unknown>)) {
    const nthreads = (worker as { nthreads?: unknown })?.nthreads;
    if (typeof nthreads !== 'number' || !(nthreads > 0)) throw new TraceError(file, `worker ${address}: nthreads ${JSON.stringify(nthreads)} is not a positive number`, undefined, 'nthreads');
    threads.push(nthreads);
    const resources = (worker as { resources?: Record<string, unknown> })?.resources ?? {};
    for (const [resource, amount] of Object.entries(resources)) {
      if (/^gpus?$/i.test(resource) && typeof amount === 'number') {
        gpus += amount;
        gpusKnown = true;
      }
    }
  }
  if (threads.length === 0) throw new TraceError(file, 'no workers', undefined, 'workers');
  const cores = threads.reduce((sum, n) => sum + n, 0);
  warnings.push(`capacity from ${name} beside the trace: ${threads.length} worker(s), ${cores} thread(s)`);
  return {
    ...UNKNOWN_CAPACITY,
    nodes: threads.length,
    coresPerNode: threads.every((n) => n === threads[0]) ? threads[0] : null,
    cores,
    gpus: gpusKnown ? gpus : null,
  };
}

/** A JSON file beside the stream, parsed; its bytes are added to `sideFiles`. */
function readJsonFile(file: string, sideFiles: SideFile[]): unknown {
  const bytes = fs.readFileSync(file);
  sideFiles.push({ name: path.basename(file), bytes });
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    if (error instanceof SyntaxError) throw new TraceError(file, `not valid JSON (${jsonSyntaxError(error).reason})`);
    throw error;
  }
}

/** `graph.json` beside the trace (`{key: [dependency keys]}`), checked; null without one. */
function readGraph(folder: string, sideFiles: SideFile[]): { file: string; entries: [string, string[]][] } | null {
  const file = path.join(folder, 'graph.json');
  if (!fs.existsSync(file)) return null;
  const graph = readJsonFile(file, sideFiles);
  if (typeof graph !== 'object' || graph === null || Array.isArray(graph)) throw new TraceError(file, 'not a {key: [dependency keys]} object');
  const entries = Object.entries(graph as Record<string, unknown>);
  for (const [key, deps] of entries) {
    if (!Array.isArray(deps) || deps.some((d) => typeof d !== 'string')) throw new TraceError(file, `the dependencies of ${JSON.stringify(key)} are not a list of keys`, undefined, key);
  }
  return { file, entries: entries as [string, string[]][] };
}

/**
 * The graph's dependencies as edges. Keys of the graph that the stream lacks never ran: they are
 * added as tasks without times, `skipped` when a task they depend on (directly or not) failed,
 * else `pending`. Dependencies on keys in neither are left out, with a count.
 */
function joinGraph(graph: { file: string; entries: [string, string[]][] }, writer: RecordWriter, sink: RunSink, warnings: string[]): void {
  const index = writer.index!;
  const added: string[] = [];
  for (const [key] of graph.entries) {
    if (index.has(key)) continue;
    index.set(key, writer.tasks + added.length);
    added.push(key);
  }
  const n = writer.tasks + added.length;
  const edges = new EdgeTable();
  let unknown = 0;
  for (const [key, deps] of graph.entries) {
    const to = index.get(key)!;
    for (const dep of new Set(deps)) {
      const from = index.get(dep);
      if (from === undefined) unknown++;
      else edges.push(from, to);
    }
  }
  const cycle = findCycle(n, edges);
  if (cycle) {
    const keys = new Map([...index].map(([key, i]) => [i, key]));
    throw new TraceError(graph.file, `cycle: ${cycle.map((i) => keys.get(i)).join(' -> ')}`);
  }

  // Below a failed task (in the graph's order), a task that never ran was skipped.
  const below = new Uint8Array(n);
  if (added.length > 0) {
    const children: number[][] = Array.from({ length: n }, () => []);
    for (let e = 0; e < edges.length; e++) children[edges.parent[e]].push(edges.child[e]);
    const queue = [...writer.failed];
    while (queue.length > 0) {
      for (const next of children[queue.pop()!]) {
        if (below[next] === 0) {
          below[next] = 1;
          queue.push(next);
        }
      }
    }
  }
  let skipped = 0;
  for (const key of added) {
    const i = writer.tasks++;
    const outcome: Outcome = below[i] ? 'skipped' : 'pending';
    if (outcome === 'skipped') skipped++;
    sink.pushValues(key, null, keySplit(key), null, null, null, outcome, null, 1, NaN, NaN, NaN, NaN, NaN, null, null);
  }
  for (let e = 0; e < edges.length; e++) sink.addEdge(edges.parent[e], edges.child[e]);
  if (added.length > 0) {
    warnings.push(`${added.length} task(s) of graph.json are not in the stream (they never ran): ${skipped} skipped after a failure upstream, ${added.length - skipped} pending`);
  }
  if (unknown > 0) warnings.push(`${unknown} dependency(ies) in graph.json name keys in neither the graph nor the stream: left out`);
}
