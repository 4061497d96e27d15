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
import type { EventSpans } from './event-spans.js';
import { encodeGroups, type TaskIntervals } from './intervals.js';
import { groupStatsOf } from './groups.js';
import { maxConcurrency } from './concurrency.js';
import { timelineOf } from './timeline.js';
import { unionOf } from './union.js';

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
}

/**
 * Statistics of the spans, overall and (when `groupKeys` gives one key per span) per group.
 *
 * @example durationsOf(spans).all // => { tasks: 3, total: 5, sum: 6, duration: { mean: 2, ... } } for the drawing above
 */
export function durationsOf(spans: EventSpans, groupKeys?: readonly string[]): Durations {
  const intervals = spanIntervals(spans, groupKeys ?? null);
  const timeline = timelineOf(intervals);
  const maxConcurrent = maxConcurrency(timeline);
  if (spans.length === 0) return { all: null, groups: [], maxConcurrent };
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
  return { all, groups, maxConcurrent };
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
