/**
 * Steps every importer shares once it has read a trace: name the run, choose time zero, make
 * times relative to it, put profile events in order without duplicates, and settle the capacity.
 */
import path from 'node:path';
import { UNKNOWN_CAPACITY, type Capacity } from '../../run/capacity.js';
import { EdgeTable } from '../../run/edge-table.js';
import { EventTable } from '../../run/event-table.js';
import type { ParsedRun } from '../../run/parsed-run.js';
import { TaskTable } from '../../run/task-table.js';

export interface RawRun {
  id: string;
  format: string;
  source: string;
  workflow?: string | null;
  capacity?: Capacity;
  scheduled?: boolean;
  /** Times in absolute seconds (epoch, or whatever origin the trace uses). */
  tasks: TaskTable;
  events?: EventTable;
  edges?: EdgeTable;
  warnings?: string[];
  /** Time zero when the trace has no task start (an unscheduled instance's own date). */
  fallbackEpoch?: number | null;
}

/**
 * Time zero is the first task execution start; without any, the first event; without any, the
 * fallback. All task and event times become seconds from it.
 */
export function finalizeRun(raw: RawRun): ParsedRun {
  const tasks = raw.tasks;
  const events = raw.events ?? new EventTable();
  let epoch = minimum(tasks.start);
  if (epoch === null) epoch = minimum(events.time);
  if (epoch === null) epoch = raw.fallbackEpoch ?? null;
  if (epoch !== null && epoch !== 0) {
    shift(tasks.start, epoch);
    shift(tasks.end, epoch);
    shift(events.time, epoch);
  }
  return {
    id: raw.id,
    format: raw.format,
    source: raw.source,
    workflow: raw.workflow ?? null,
    capacity: raw.capacity ?? { ...UNKNOWN_CAPACITY },
    epoch,
    scheduled: raw.scheduled ?? true,
    tasks,
    events: orderEvents(events, tasks.length),
    edges: raw.edges ?? new EdgeTable(),
    warnings: raw.warnings ?? [],
  };
}

function minimum(values: readonly number[]): number | null {
  let min = Infinity;
  for (const value of values) if (value < min) min = value; // NaN compares false: skipped
  return min === Infinity ? null : min;
}

function shift(values: number[], by: number): void {
  for (let i = 0; i < values.length; i++) values[i] -= by;
}

/**
 * Events grouped by task, ordered by time within a task, with exact repeats removed (profiles of
 * different components record the same event). A counting sort by task keeps this O(n log k) for
 * k events per task, which matters for sessions of millions of events.
 */
export function orderEvents(events: EventTable, taskCount: number): EventTable {
  const n = events.length;
  const bucketStart = new Uint32Array(taskCount + 1);
  for (let i = 0; i < n; i++) bucketStart[events.task[i] + 1]++;
  for (let t = 1; t <= taskCount; t++) bucketStart[t] += bucketStart[t - 1];
  const order = new Uint32Array(n);
  const fill = bucketStart.slice(0, taskCount);
  for (let i = 0; i < n; i++) order[fill[events.task[i]]++] = i;

  const out = new EventTable();
  const bucket: number[] = [];
  const byTime = (a: number, b: number) => events.time[a] - events.time[b] || a - b;
  for (let t = 0; t < taskCount; t++) {
    bucket.length = 0;
    for (let k = bucketStart[t]; k < bucketStart[t + 1]; k++) bucket.push(order[k]);
    bucket.sort(byTime);
    // Kept events that share the current timestamp: a repeat may follow a different event of the
    // same instant (profile A: start, advance; profile B: start, advance), so compare with all of them.
    const sameInstant: number[] = [];
    for (const i of bucket) {
      if (sameInstant.length > 0 && events.time[i] !== events.time[sameInstant[0]]) sameInstant.length = 0;
      if (repeatsOneOf(events, i, sameInstant)) continue;
      out.push(t, events.event[i], events.state[i], events.time[i]);
      sameInstant.push(i);
    }
  }
  return out;
}

/** Whether event i has the name and state of one of `kept` (a plain loop: this runs once per event). */
function repeatsOneOf(events: EventTable, i: number, kept: readonly number[]): boolean {
  for (const k of kept) if (events.event[k] === events.event[i] && events.state[k] === events.state[i]) return true;
  return false;
}

/** The trace's capacity with what the user gave on the command line taking precedence, field by field. */
export function mergeCapacity(fromTrace: Capacity | undefined, given: Partial<Capacity> | undefined): Capacity {
  const merged: Capacity = { ...(fromTrace ?? UNKNOWN_CAPACITY) };
  if (!given) return merged;
  for (const key of Object.keys(given) as (keyof Capacity)[]) {
    const value = given[key];
    if (value !== undefined) merged[key] = value;
  }
  return merged;
}

/** Traces that do not say what machine they ran on: say so, since utilization needs it. */
export function capacityWarning(capacity: Capacity, warnings: string[]): void {
  if (capacity.cores === null && capacity.gpus === null) {
    warnings.push('capacity unknown (pass --cores/--gpus/--nodes, or set it later with runs edit): utilization cannot be computed');
  }
}

/** `tasks.csv.gz` -> `tasks`: a run id from a file name. */
export function runIdFromFile(file: string): string {
  return path.basename(file).replace(/(\.(gz|bz2))?$/i, '').replace(/\.(csv|tsv|txt|jsonl|ndjson|json)$/i, '') || 'run';
}

/**
 * A run id from a file whose name every run of a system shares (`trace.txt`, Dask's
 * `task-stream.json`): prefixed by its folder's name (`nightly/trace.txt` -> `nightly.trace`), so
 * that runs are told apart by more than `-2`, `-3`.
 */
export function runIdFromSharedName(file: string, shared: RegExp): string {
  const id = runIdFromFile(file);
  const folder = path.basename(path.dirname(path.resolve(file)));
  return shared.test(id) && folder !== '' && folder !== path.sep ? `${folder}.${id}` : id;
}
