/**
 * Task intervals: the input of every timeline analysis.
 *
 * A run's tasks become half-open intervals [start, end) on one time axis, each with its cores,
 * GPUs and group (task type, stage instance or pipeline). Only executed tasks (start and end
 * known) are kept; incomplete ones (started, never ended) are left out, or clipped at the
 * run's last event time when the user asks for them (`--include-incomplete`).
 */
import type { TaskColumns, TextColumn } from '../run/task-columns.js';

/** What tasks are grouped by: their type, their stage instance (pipeline + stage), or their pipeline. */
export type GroupBy = 'type' | 'stage' | 'pipeline';
export const GROUP_BY: readonly GroupBy[] = ['type', 'stage', 'pipeline'];

/** Intervals with no group or resources: the minimum a timeline needs. */
export interface Spans {
  readonly length: number;
  readonly start: Float64Array;
  readonly end: Float64Array;
}

/**
 * Intervals of tasks, column by column; index i of every column describes one interval. The
 * columns may be the very arrays of the task table they came from: read them, never write them.
 */
export interface TaskIntervals extends Spans {
  /** CPU cores and GPUs the task held; NaN when the trace does not say. */
  readonly cores: Float64Array;
  readonly gpus: Float64Array;
  /** Index into `groups`. */
  readonly group: Int32Array;
  /** Group names, ordered by their first start, then by name. */
  readonly groups: readonly string[];
  /** Index of the task in the table the intervals came from. */
  readonly task: Int32Array;
}

/** What selecting a run's intervals kept and left out. */
export interface Selection {
  intervals: TaskIntervals;
  /** Tasks in the table. */
  tasks: number;
  /** Tasks with a start and an end. */
  executed: number;
  /** Tasks started and never ended: excluded, or included clipped (`clipped`). */
  incomplete: number;
  /** Incomplete tasks included, their end set to the clip time. */
  clipped: number;
  /** Tasks that never started. */
  neverStarted: number;
  /** Tasks with times that cannot be placed (infinite, or ending before they start): always excluded. */
  invalid: number;
  /** Selected tasks without the grouping field, put in the group `(no stage)` / `(no pipeline)`. */
  ungrouped: number;
}

export interface SelectOptions {
  by?: GroupBy;
  /** Include incomplete tasks, ending them at `clipAt`. */
  includeIncomplete?: boolean;
  /**
   * Where incomplete tasks end: the run's last event time. Null when the run has no events:
   * then the last end of an executed task, or failing that the task's own start.
   */
  clipAt?: number | null;
}

/** The text columns `selectIntervals` reads for a grouping (what `loadTaskColumns` must load). */
export function columnsFor(by: GroupBy): TextColumn[] {
  return by === 'stage' ? ['stage', 'pipeline'] : [by];
}

/**
 * The executed tasks of a table as intervals grouped `by` a field.
 *
 * @example
 *   selectIntervals(tasks, { by: 'type' }).intervals.groups // => ['T0', 'T1T2', 'T3T6', ...]
 */
export function selectIntervals(tasks: TaskColumns, options: SelectOptions = {}): Selection {
  const by = options.by ?? 'type';
  const include = options.includeIncomplete ?? false;
  const n = tasks.length;
  for (const column of columnsFor(by)) {
    if (tasks[column].length !== n) throw new Error(`selectIntervals: the task column "${column}" was not loaded`);
  }
  // Each pass over the tasks is a function of its own: V8 optimizes a long loop on the first call
  // only when nothing after it in the same function still lacks type information.
  const kind = new Uint8Array(n); // 0 left out, 1 executed, 2 incomplete and included
  const counts = classifyTasks(tasks, include, kind);
  const clipAt = options.clipAt ?? (counts.lastEnd === -Infinity ? null : counts.lastEnd);
  const m = counts.executed + (include ? counts.incomplete : 0);
  const task = new Int32Array(m);
  const provisional = new Int32Array(m);
  const code = new Map<string, number>();
  const { ungrouped } = keepTasks(tasks, kind, by, task, provisional, code);
  // Typed columns of tasks that are all kept as they are serve as the intervals' columns unchanged:
  // at a million tasks, copies cost as much as the analysis.
  const asIs = m === n && counts.incomplete === 0;
  const start = asIs && tasks.start instanceof Float64Array ? tasks.start : gather(tasks.start, task);
  const end = asIs && tasks.end instanceof Float64Array ? tasks.end : gather(tasks.end, task);
  if (!asIs) clipIncomplete(start, end, kind, task, clipAt);
  const cores = asIs && tasks.cores instanceof Float64Array ? tasks.cores : gather(tasks.cores, task);
  const gpus = asIs && tasks.gpus instanceof Float64Array ? tasks.gpus : gather(tasks.gpus, task);
  const { group, groups } = orderGroups([...code.keys()], provisional, start);
  return {
    intervals: { length: m, start, end, cores, gpus, group, groups, task },
    tasks: n,
    executed: counts.executed,
    incomplete: counts.incomplete,
    clipped: include ? counts.incomplete : 0,
    neverStarted: counts.neverStarted,
    invalid: counts.invalid,
    ungrouped,
  };
}

/** Sorts tasks into executed, incomplete, never started and unusable; marks the ones to keep. */
function classifyTasks(tasks: TaskColumns, include: boolean, kind: Uint8Array) {
  let executed = 0;
  let incomplete = 0;
  let neverStarted = 0;
  let invalid = 0;
  let lastEnd = -Infinity;
  for (let i = 0; i < tasks.length; i++) {
    const start = tasks.start[i];
    const end = tasks.end[i];
    if (Number.isNaN(start)) {
      neverStarted++;
    } else if (!Number.isFinite(start)) {
      invalid++;
    } else if (Number.isNaN(end)) {
      incomplete++;
      if (include) kind[i] = 2;
    } else if (!Number.isFinite(end) || end < start) {
      invalid++;
    } else {
      executed++;
      kind[i] = 1;
      if (end > lastEnd) lastEnd = end;
    }
  }
  return { executed, incomplete, neverStarted, invalid, lastEnd };
}

/** Notes the index of every kept task and numbers its group (codes in order of appearance). */
function keepTasks(tasks: TaskColumns, kind: Uint8Array, by: GroupBy, task: Int32Array, provisional: Int32Array, code: Map<string, number>) {
  let ungrouped = 0;
  let lastKey: string | null = null;
  let lastCode = -1;
  let k = 0;
  for (let i = 0; i < tasks.length; i++) {
    if (kind[i] === 0) continue;
    task[k] = i;
    let key = taskGroupKey(tasks, by, i);
    if (key === null) {
      ungrouped++;
      key = `(no ${by})`;
    }
    if (key !== lastKey) {
      // runs of one group are common: look the key up only when it changes
      let c = code.get(key);
      if (c === undefined) {
        c = code.size;
        code.set(key, c);
      }
      lastKey = key;
      lastCode = c;
    }
    provisional[k++] = lastCode;
  }
  return { ungrouped };
}

function gather(column: ArrayLike<number>, task: Int32Array): Float64Array {
  const out = new Float64Array(task.length);
  for (let k = 0; k < task.length; k++) out[k] = column[task[k]];
  return out;
}

/** Incomplete tasks end at the clip time (never before they start). */
function clipIncomplete(start: Float64Array, end: Float64Array, kind: Uint8Array, task: Int32Array, clipAt: number | null): void {
  for (let k = 0; k < task.length; k++) {
    if (kind[task[k]] === 2) end[k] = Math.max(start[k], clipAt ?? start[k]);
  }
}

/**
 * The group of a task, or null when it has none: its type; its stage instance, which is the
 * pipeline and the stage (`pipeline.0001/stage.0000`; RADICAL-EnTK stages are stored that way
 * already); or its pipeline.
 */
export function groupKey(by: GroupBy, type: string, stage: string | null, pipeline: string | null): string | null {
  if (by === 'type') return type === '' ? null : type;
  if (by === 'pipeline') return pipeline === null || pipeline === '' ? null : pipeline;
  if (stage === null || stage === '') return null;
  if (pipeline === null || pipeline === '' || stage.startsWith(`${pipeline}/`)) return stage;
  return `${pipeline}/${stage}`;
}

/** The group of task i of a table, or null when it has none. */
export function taskGroupKey(tasks: TaskColumns, by: GroupBy, i: number): string | null {
  if (by === 'type') return groupKey(by, tasks.type[i], null, null);
  return groupKey(by, tasks.type[i] ?? '', tasks.stage[i] ?? null, tasks.pipeline[i] ?? null);
}

/**
 * Group names as integer codes, numbered in the order the groups first start (ties by name),
 * so that tables and charts list them in the order they ran.
 */
export function encodeGroups(keys: readonly string[], start: ArrayLike<number>): { group: Int32Array; groups: string[] } {
  const code = new Map<string, number>();
  const provisional = new Int32Array(keys.length);
  keys.forEach((key, i) => {
    let c = code.get(key);
    if (c === undefined) {
      c = code.size;
      code.set(key, c);
    }
    provisional[i] = c;
  });
  return orderGroups([...code.keys()], provisional, start);
}

/** Renumbers provisional group codes (of `names`) by each group's first start, then name; in place. */
function orderGroups(names: string[], provisional: Int32Array, start: ArrayLike<number>): { group: Int32Array; groups: string[] } {
  const first = firstStarts(names.length, provisional, start);
  const order = names.map((_, c) => c).sort((a, b) => first[a] - first[b] || (names[a] < names[b] ? -1 : names[a] > names[b] ? 1 : 0));
  const renumber = new Int32Array(order.length);
  order.forEach((c, rank) => (renumber[c] = rank));
  for (let i = 0; i < provisional.length; i++) provisional[i] = renumber[provisional[i]];
  return { group: provisional, groups: order.map((c) => names[c]) };
}

function firstStarts(groups: number, code: Int32Array, start: ArrayLike<number>): Float64Array {
  const first = new Float64Array(groups).fill(Infinity);
  for (let i = 0; i < code.length; i++) if (start[i] < first[code[i]]) first[code[i]] = start[i];
  return first;
}

/** One interval as plain data, for tests and small callers. */
export interface IntervalInput {
  start: number;
  end: number;
  group?: string;
  cores?: number;
  gpus?: number;
}

/**
 * Intervals from plain objects (group defaults to "task", cores and GPUs to unknown).
 *
 * @example intervalsFrom([{ start: 0, end: 10, group: 'sim' }, { start: 5, end: 15, group: 'ml' }])
 */
export function intervalsFrom(list: readonly IntervalInput[]): TaskIntervals {
  const m = list.length;
  const start = Float64Array.from(list, (x) => x.start);
  const { group, groups } = encodeGroups(
    list.map((x) => x.group ?? 'task'),
    start,
  );
  return {
    length: m,
    start,
    end: Float64Array.from(list, (x) => x.end),
    cores: Float64Array.from(list, (x) => x.cores ?? NaN),
    gpus: Float64Array.from(list, (x) => x.gpus ?? NaN),
    group,
    groups,
    task: Int32Array.from(list, (_, i) => i),
  };
}

/** First start and last end of the intervals (makespan = end - start), or null when there are none. */
export function spanOf(spans: Spans): { start: number; end: number } | null {
  if (spans.length === 0) return null;
  let start = Infinity;
  let end = -Infinity;
  for (let i = 0; i < spans.length; i++) {
    if (spans.start[i] < start) start = spans.start[i];
    if (spans.end[i] > end) end = spans.end[i];
  }
  return { start, end };
}
