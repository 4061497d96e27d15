/**
 * Task intervals: the input of every timeline analysis.
 *
 * A run's tasks become half-open intervals [start, end) on one time axis, each with its cores,
 * GPUs and group (task type, stage instance or pipeline). Only executed tasks (start and end
 * known) are kept; incomplete ones (started, never ended) are left out, or clipped at the
 * run's last event time when the user asks for them (`--include-incomplete`).
 */
import type { TaskColumns, TextColumn } from '../store/tasks.js';

/** What tasks are grouped by: their type, their stage instance (pipeline + stage), or their pipeline. */
export type GroupBy = 'type' | 'stage' | 'pipeline';
export const GROUP_BY: readonly GroupBy[] = ['type', 'stage', 'pipeline'];

/** Intervals with no group or resources: the minimum a timeline needs. */
export interface Spans {
  readonly length: number;
  readonly start: Float64Array;
  readonly end: Float64Array;
}

/** Intervals of tasks, column by column; index i of every column describes one interval. */
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

  let executed = 0;
  let incomplete = 0;
  let neverStarted = 0;
  let invalid = 0;
  let lastEnd = -Infinity;
  // 0 skip, 1 executed, 2 incomplete and included
  const kind = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
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
  const clipAt = options.clipAt ?? (lastEnd === -Infinity ? null : lastEnd);

  const m = executed + (include ? incomplete : 0);
  const start = new Float64Array(m);
  const end = new Float64Array(m);
  const cores = new Float64Array(m);
  const gpus = new Float64Array(m);
  const task = new Int32Array(m);
  const keys: string[] = new Array(m);
  let ungrouped = 0;
  let k = 0;
  for (let i = 0; i < n; i++) {
    if (kind[i] === 0) continue;
    const s = tasks.start[i];
    start[k] = s;
    end[k] = kind[i] === 1 ? tasks.end[i] : Math.max(s, clipAt ?? s);
    cores[k] = tasks.cores[i];
    gpus[k] = tasks.gpus[i];
    task[k] = i;
    const key = taskGroupKey(tasks, by, i);
    if (key === null) ungrouped++;
    keys[k] = key ?? `(no ${by})`;
    k++;
  }
  const { group, groups } = encodeGroups(keys, start);
  return {
    intervals: { length: m, start, end, cores, gpus, group, groups, task },
    tasks: n,
    executed,
    incomplete,
    clipped: include ? incomplete : 0,
    neverStarted,
    invalid,
    ungrouped,
  };
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
  const first: number[] = [];
  const provisional = new Int32Array(keys.length);
  for (let i = 0; i < keys.length; i++) {
    let c = code.get(keys[i]);
    if (c === undefined) {
      c = first.length;
      code.set(keys[i], c);
      first.push(Infinity);
    }
    provisional[i] = c;
    if (start[i] < first[c]) first[c] = start[i];
  }
  const names = [...code.keys()];
  const order = names.map((_, c) => c).sort((a, b) => first[a] - first[b] || (names[a] < names[b] ? -1 : names[a] > names[b] ? 1 : 0));
  const renumber = new Int32Array(order.length);
  order.forEach((c, rank) => (renumber[c] = rank));
  const group = new Int32Array(keys.length);
  for (let i = 0; i < keys.length; i++) group[i] = renumber[provisional[i]];
  return { group, groups: order.map((c) => names[c]) };
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
