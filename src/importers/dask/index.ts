/**
 * Dask importer: a task stream of `distributed` (`client.get_task_stream()`, or the `ts.data` of
 * `with get_task_stream() as ts:`), saved as a JSON list of records or as JSON Lines -> one run.
 * docs/formats.md has the mapping; records.ts reads one record.
 *
 * A task stream has neither the machine nor the graph. Two optional files beside it complete the
 * run: `scheduler-info.json` (what `client.scheduler_info()` returns: each worker's `nthreads`,
 * the capacity) and `graph.json` (`{key: [dependency keys]}`, the task graph). Without the first,
 * the capacity is the worker threads the stream shows, said in a warning; without the second, the
 * run has no dependencies.
 */
import fs from 'node:fs';
import path from 'node:path';
import { TraceError } from '../../errors.js';
import { EdgeTable, EventTable, TaskTable, UNKNOWN_CAPACITY, type Capacity, type ParsedRun } from '../../store/records.js';
import { TraceEventScanner } from '../chrome/event-stream.js';
import type { Outcome } from '../common/outcome.js';
import { firstLine } from '../detect.js';
import { jsonSyntaxError } from '../json-errors.js';
import { finalizeRun, mergeCapacity } from '../normalize.js';
import { lines, openDecompressed } from '../streams.js';
import { capacityWarning, runIdFromFile } from '../tabular/common.js';
import type { ImportOptions, Importer, Sample, TraceInput } from '../types.js';
import { buildDag } from '../wfcommons/dag.js';
import { keySplit } from './key-split.js';
import { readRecord, RecordProblem, type DaskTask } from './records.js';

export const daskImporter: Importer = {
  format: 'dask',
  describe: 'a Dask task stream (get_task_stream() records as a JSON list or JSON Lines)',
  detect: detectDask,
  read: (input, options) => readDask(input, options),
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

/** A run, and the outcome of each of its tasks (until the run's task table holds outcomes). */
export type DaskRun = ParsedRun & { outcome: (Outcome | null)[] };

/** What the records of a stream give, collected while they are read. */
class StreamTasks {
  readonly tasks = new TaskTable();
  readonly outcome: (Outcome | null)[] = [];
  readonly events = new EventTable();
  readonly index = new Map<string, number>();
  readonly line: number[] = [];
  readonly slots = new Set<string>();
  readonly workers = new Set<string>();
  readonly unknownStatuses = new Map<string, number>();
  withoutCompute = 0;

  constructor(private readonly file: string) {}

  add(value: unknown, line: number): void {
    let task: DaskTask;
    try {
      task = readRecord(value);
    } catch (error) {
      if (error instanceof RecordProblem) throw new TraceError(this.file, error.message, line, error.field === '' ? undefined : error.field);
      throw error;
    }
    const seen = this.index.get(task.uid);
    if (seen !== undefined) throw new TraceError(this.file, `task ${JSON.stringify(task.uid)} appears twice (first on line ${this.line[seen]})`, line, 'key');
    const i = this.tasks.push({ uid: task.uid, type: task.type, state: task.status, node: task.worker === '' ? null : task.worker, cores: 1, start: task.start, end: task.end });
    this.index.set(task.uid, i);
    this.line.push(line);
    this.outcome.push(task.outcome);
    if (task.status !== null && task.outcome === null) this.unknownStatuses.set(task.status, (this.unknownStatuses.get(task.status) ?? 0) + 1);
    if (!task.computed) this.withoutCompute++;
    if (task.worker !== '') this.workers.add(task.worker);
    this.slots.add(task.slot);
    // `start` and `end` (the interval) sit next to the compute phase they copy, so that events of
    // one instant read in the order they happened: disk_read_end, start, compute_start.
    const phases = task.phases;
    const first = task.computed ? phases.findIndex(([name]) => name === 'compute_start') : 0;
    const last = task.computed ? phases.map(([name]) => name).lastIndexOf('compute_end') : phases.length - 1;
    for (let k = 0; k < phases.length; k++) {
      if (k === first) this.events.push(i, 'start', null, task.start);
      this.events.push(i, phases[k][0], null, phases[k][1]);
      if (k === last) this.events.push(i, 'end', null, task.end);
    }
  }
}

export async function readDask(input: TraceInput, options: ImportOptions): Promise<DaskRun> {
  const stream = new StreamTasks(input.display);
  await readRecords(input, options, (record, line) => stream.add(record, line));
  if (stream.tasks.length === 0) throw new TraceError(input.display, 'the task stream holds no records');

  const warnings: string[] = [];
  const folder = path.dirname(input.path);
  const edges = readGraph(folder, stream, warnings);
  if (stream.withoutCompute > 0) warnings.push(`${stream.withoutCompute} record(s) without a compute action: placed over all their actions`);
  for (const [status, count] of stream.unknownStatuses) warnings.push(`${count} record(s) with status ${JSON.stringify(status)}, which asyncscope does not know: outcome unknown`);

  let capacity = readSchedulerInfo(folder, warnings);
  if (capacity === null) {
    capacity = { nodes: stream.workers.size || null, coresPerNode: null, gpusPerNode: null, cores: stream.slots.size, gpus: null };
    if (options.capacity?.cores === undefined) {
      warnings.push(
        `capacity inferred from the stream: ${stream.slots.size} worker thread(s) ran tasks on ${stream.workers.size} worker(s), a lower bound ` +
          '(scheduler-info.json beside the trace, with client.scheduler_info(), or --cores/--nodes give the real one)',
      );
    }
  }
  capacity = mergeCapacity(capacity, options.capacity);
  capacityWarning(capacity, warnings);
  const run = finalizeRun({ id: runIdFromFile(input.path), format: 'dask', source: input.path, capacity, tasks: stream.tasks, events: stream.events, edges, warnings });
  return { ...run, outcome: stream.outcome };
}

/** Calls `onRecord` with each record and its line: a JSON list is streamed, JSON Lines read line by line. */
async function readRecords(input: TraceInput, options: ImportOptions, onRecord: (record: unknown, line: number) => void): Promise<void> {
  const source = openDecompressed(input.path, options.onBytes);
  try {
    const chunks = source as AsyncIterable<Buffer>;
    const decoder = new TextDecoder('utf-8');
    let scanner: TraceEventScanner | null = null;
    let jsonLines: ((text: string | null) => void) | null = null;
    let pending = '';
    for await (const chunk of chunks) {
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

const SCHEDULER_INFO = ['scheduler-info.json', 'scheduler_info.json'];

/** The capacity `client.scheduler_info()` states, from a file beside the trace; null without one. */
function readSchedulerInfo(folder: string, warnings: string[]): Capacity | null {
  const name = SCHEDULER_INFO.find((candidate) => fs.existsSync(path.join(folder, candidate)));
  if (name === undefined) return null;
  const file = path.join(folder, name);
  let info: unknown;
  try {
    info = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new TraceError(file, `not valid JSON (${jsonSyntaxError(error as Error).reason})`);
  }
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

/**
 * Dependencies from `graph.json` beside the trace (`{key: [dependency keys]}`). Keys of the graph
 * that the stream lacks never ran: they are added as tasks without times, `skipped` when a task
 * they depend on (directly or not) failed, else `pending`. Dependencies on keys in neither are
 * left out, with a count.
 */
function readGraph(folder: string, stream: StreamTasks, warnings: string[]): EdgeTable {
  const file = path.join(folder, 'graph.json');
  if (!fs.existsSync(file)) {
    warnings.push('no graph.json beside the trace: the run has no task dependencies (a task stream does not record them)');
    return new EdgeTable();
  }
  let graph: unknown;
  try {
    graph = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new TraceError(file, `not valid JSON (${jsonSyntaxError(error as Error).reason})`);
  }
  if (typeof graph !== 'object' || graph === null || Array.isArray(graph)) throw new TraceError(file, 'not a {key: [dependency keys]} object');
  const entries = Object.entries(graph as Record<string, unknown>);
  let added = 0;
  for (const [key, deps] of entries) {
    if (!Array.isArray(deps) || deps.some((d) => typeof d !== 'string')) throw new TraceError(file, `the dependencies of ${JSON.stringify(key)} are not a list of keys`, undefined, key);
    if (!stream.index.has(key)) {
      const i = stream.tasks.push({ uid: key, type: keySplit(key), cores: 1 });
      stream.index.set(key, i);
      stream.outcome.push(null);
      added++;
    }
  }
  let unknown = 0;
  const parents: string[][] = Array.from({ length: stream.tasks.length }, () => []);
  for (const [key, deps] of entries) {
    for (const dep of deps as string[]) {
      if (stream.index.has(dep)) parents[stream.index.get(key)!].push(dep);
      else unknown++;
    }
  }
  const dag = buildDag({ ids: stream.tasks.uid, parents, children: parents.map(() => []), resolve: (key) => stream.index.get(key) });
  if ('kind' in dag) {
    if (dag.kind === 'cycle') throw new TraceError(file, `cycle: ${dag.path.join(' -> ')}`);
    throw new TraceError(file, `task ${JSON.stringify(dag.task)}: unknown ${dag.relation} ${JSON.stringify(dag.reference)}`);
  }
  if (added > 0) {
    markNeverRun(stream, dag.edges);
    const skipped = stream.outcome.filter((o) => o === 'skipped').length;
    warnings.push(`${added} task(s) of graph.json are not in the stream (they never ran): ${skipped} skipped after a failure upstream, ${added - skipped} pending`);
  }
  if (unknown > 0) warnings.push(`${unknown} dependency(ies) in graph.json name keys in neither the graph nor the stream: left out`);
  return dag.edges;
}

/** Tasks without an outcome that never ran: skipped below a failed task, else pending. */
function markNeverRun(stream: StreamTasks, edges: EdgeTable): void {
  const n = stream.tasks.length;
  const children: number[][] = Array.from({ length: n }, () => []);
  for (let e = 0; e < edges.length; e++) children[edges.parent[e]].push(edges.child[e]);
  const below = new Uint8Array(n);
  const queue: number[] = [];
  for (let i = 0; i < n; i++) if (stream.outcome[i] === 'failed') queue.push(i);
  while (queue.length > 0) {
    for (const child of children[queue.pop()!]) {
      if (below[child] === 0) {
        below[child] = 1;
        queue.push(child);
      }
    }
  }
  for (let i = 0; i < n; i++) {
    if (stream.outcome[i] === null && Number.isNaN(stream.tasks.start[i]) && stream.tasks.state[i] === null) stream.outcome[i] = below[i] ? 'skipped' : 'pending';
  }
}
