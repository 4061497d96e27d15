/**
 * Concurrency: how many tasks run at time t, its maximum, and its time-weighted mean over the
 * makespan.
 *
 *   task a  |========|          a [0, 8)
 *   task b     |===|            b [2, 5)
 *   task c         |=====|      c [5, 10)
 *   n(t)    1  2   2  1  0
 *           0  2   5  8  10     max 2 (on [2, 8)); mean (8 + 3 + 5) / 10 = 1.6
 *
 * Intervals are half-open: b ends at 5 as c starts, so they never run together. The mean over
 * the makespan equals the sum of the task durations divided by the makespan.
 */
import type { Spans } from './intervals.js';
import type { Timeline } from './timeline.js';

export interface Concurrency {
  /** Most tasks running at one instant. */
  max: number;
  /** Time-weighted mean over the makespan; null when the makespan is zero. */
  mean: number | null;
}

/**
 * @example concurrencyOf(spans, timelineOf(spans), 10) // => { max: 2, mean: 1.6 } for the drawing above
 */
export function concurrencyOf(spans: Spans, timeline: Timeline, makespan: number): Concurrency {
  return { max: maxConcurrency(timeline), mean: makespan > 0 ? totalDuration(spans) / makespan : null };
}

/** Most intervals open at one instant: the count after all points at one time are applied. */
export function maxConcurrency(timeline: Timeline): number {
  let running = 0;
  let max = 0;
  for (let p = 0; p < timeline.length; p++) {
    running += timeline.isStart[p] === 1 ? 1 : -1;
    // Ends come first at a shared time, so the count only grows through a time's starts:
    // its value after the last of them is the one that holds.
    if (running > max) max = running;
  }
  return max;
}

/** Sum of the interval lengths. */
export function totalDuration(spans: Spans): number {
  let sum = 0;
  for (let i = 0; i < spans.length; i++) sum += spans.end[i] - spans.start[i];
  return sum;
}
