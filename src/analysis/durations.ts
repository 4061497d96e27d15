/**
 * Durations between two events of each task (RADICAL-Analytics' `duration()`), with statistics
 * and the total time covered.
 *
 * The per-task durations tell how long one task spent between the events; their statistics
 * describe the distribution. How long the run as a whole spent in that phase is the length of
 * the union of the tasks' ranges, not their sum, because tasks go through it concurrently:
 *
 *   task a  |=====|             scheduling a [0, 2)
 *   task b     |======|         scheduling b [1, 4)
 *   task c               |==|   scheduling c [6, 7)
 *           0  1  2  3  4  5  6  7
 *   durations 2, 3, 1: mean 2, sum 6; total (union [0, 4) + [6, 7)) = 5 s
 */
import { durationStats, type DurationStats } from './duration-stats.js';
import { endpointJson, type Endpoint, type EventSpans } from './event-spans.js';
import { encodeGroups, type GroupBy, type Spans, type TaskIntervals } from './intervals.js';
import { groupStatsOf } from './groups.js';
import { maxConcurrency } from './concurrency.js';
import { timelineOf } from './timeline.js';
import { sharedLength, unionOf } from './union.js';

export interface DurationSummary {
  /** Tasks having both events. */
  tasks: number;
  /** Earliest FROM and latest TO (seconds from time zero). */
  first: number;
  last: number;
  /** Length of the union of the ranges: how long at least one task was in the phase. */
  total: number;
  /** Sum of the per-task durations. */
  sum: number;
  duration: DurationStats;
}

export interface GroupDurations extends DurationSummary {
  name: string;
}

export interface Durations {
  /** Null when no task has both events. */
  all: DurationSummary | null;
  /** Per group, in the order the groups first enter the phase; empty unless keys were given. */
  groups: GroupDurations[];
  /** Most tasks in the phase at one instant. */
  maxConcurrent: number;
  /**
   * How long the phase and task execution went on at once (the intersection of the union of the
   * spans with the union of the given execution intervals): the part of the phase hidden behind
   * computation. Null when no execution intervals were given or no task has both ends.
   */
  overlapExecution: number | null;
}

/**
 * Statistics of the spans, overall and (when `groupKeys` gives one key per span) per group.
 *
 * @example durationsOf(spans).all // => { tasks: 3, total: 5, sum: 6, duration: { mean: 2, ... } } for the drawing above
 */
export function durationsOf(spans: EventSpans, groupKeys?: readonly string[], execution?: Spans): Durations {
  const intervals = spanIntervals(spans, groupKeys ?? null);
  const timeline = timelineOf(intervals);
  const maxConcurrent = maxConcurrency(timeline);
  if (spans.length === 0) return { all: null, groups: [], maxConcurrent, overlapExecution: null };
  const overlapExecution = execution === undefined ? null : sharedLength(spans, execution);
  let first = Infinity;
  let last = -Infinity;
  let sum = 0;
  for (let i = 0; i < spans.length; i++) {
    if (spans.start[i] < first) first = spans.start[i];
    if (spans.end[i] > last) last = spans.end[i];
    sum += spans.end[i] - spans.start[i];
  }
  const lengths = new Float64Array(spans.length);
  for (let i = 0; i < spans.length; i++) lengths[i] = spans.end[i] - spans.start[i];
  const all: DurationSummary = {
    tasks: spans.length,
    first,
    last,
    total: unionOf(timeline, { start: first, end: last }).busy,
    sum,
    duration: durationStats(lengths)!,
  };
  const groupSum = new Float64Array(intervals.groups.length);
  for (let i = 0; i < intervals.length; i++) groupSum[intervals.group[i]] += intervals.end[i] - intervals.start[i];
  const codeOf = new Map(intervals.groups.map((name, c) => [name, c]));
  const groups: GroupDurations[] = groupKeys
    ? groupStatsOf(intervals, timeline).map((g) => ({
        name: g.name,
        tasks: g.tasks,
        first: g.start,
        last: g.end,
        total: g.busy,
        sum: groupSum[codeOf.get(g.name)!],
        duration: g.duration,
      }))
    : [];
  return { all, groups, maxConcurrent, overlapExecution };
}

/** The spans as task intervals (no resources), grouped by the given keys or all in one group. */
export function spanIntervals(spans: EventSpans, groupKeys: readonly string[] | null): TaskIntervals {
  if (groupKeys !== null && groupKeys.length !== spans.length) throw new Error('spanIntervals: one group key per span is needed');
  const keys = groupKeys ?? new Array<string>(spans.length).fill('all');
  const { group, groups } = encodeGroups(keys, spans.start);
  const unknown = new Float64Array(spans.length).fill(NaN);
  return { length: spans.length, start: spans.start, end: spans.end, cores: unknown, gpus: unknown, group, groups, task: spans.task };
}

/** A summary as JSON (seconds). */
export interface DurationSummaryJson {
  tasks: number;
  first_s: number;
  last_s: number;
  total_s: number;
  sum_s: number;
  duration_s: DurationStats;
}

export function durationSummaryJson(summary: DurationSummary): DurationSummaryJson {
  return {
    tasks: summary.tasks,
    first_s: summary.first,
    last_s: summary.last,
    total_s: summary.total,
    sum_s: summary.sum,
    duration_s: { ...summary.duration },
  };
}

/** One task's span, for `durations --per-task`. */
export interface TaskDurationJson {
  uid: string;
  from_s: number;
  to_s: number;
  duration_s: number;
}

/** The stable JSON of `durations --json` (documented in the README). */
export interface DurationsJson {
  id: string;
  label: string;
  from: { event: string } | { state: string };
  to: { event: string } | { state: string };
  by: GroupBy | null;
  /** Tasks having both ends, and those that do not. */
  tasks: number;
  /** Spans measured: one per task, or with `--all-spans` every span of every task. */
  spans: number;
  missing: number;
  first_s: number | null;
  last_s: number | null;
  total_s: number | null;
  sum_s: number | null;
  max_concurrent: number;
  /** How long the phase went on while some task was executing, and that time's fraction of total_s. */
  overlap_execution_s: number | null;
  overlap_execution_fraction: number | null;
  duration_s: DurationStats | null;
  groups: ({ name: string } & DurationSummaryJson)[];
  per_task: TaskDurationJson[] | null;
}

export interface DurationsQuery {
  run: { id: string; label: string; tasks: number };
  from: Endpoint;
  to: Endpoint;
  by: GroupBy | null;
}

export function durationsJson(query: DurationsQuery, spans: EventSpans, result: Durations, perTask: TaskDurationJson[] | null): DurationsJson {
  const all = result.all;
  const tasks = spanTaskCount(spans);
  const overlap = result.overlapExecution;
  return {
    id: query.run.id,
    label: query.run.label,
    from: endpointJson(query.from),
    to: endpointJson(query.to),
    by: query.by,
    tasks,
    spans: spans.length,
    missing: query.run.tasks - tasks,
    first_s: all?.first ?? null,
    last_s: all?.last ?? null,
    total_s: all?.total ?? null,
    sum_s: all?.sum ?? null,
    max_concurrent: result.maxConcurrent,
    overlap_execution_s: overlap,
    overlap_execution_fraction: overlap !== null && all !== null && all.total > 0 ? overlap / all.total : null,
    duration_s: all ? { ...all.duration } : null,
    groups: result.groups.map((g) => ({ name: g.name, ...durationSummaryJson(g) })),
    per_task: perTask,
  };
}

/** Each task's span with its uid (`uids` by task index). */
export function taskDurations(spans: EventSpans, uids: readonly string[]): TaskDurationJson[] {
  return Array.from(spans.task, (task, i) => ({ uid: uids[task], from_s: spans.start[i], to_s: spans.end[i], duration_s: spans.end[i] - spans.start[i] }));
}

/** How many tasks the spans come from (several spans of one task with `--all-spans`). */
export function spanTaskCount(spans: EventSpans): number {
  return new Set(spans.task).size;
}
