/**
 * Degree of asynchronicity: how many distinct groups (task types, stages, pipelines) run at
 * once.
 *
 *   k(t)           = number of distinct groups with a task running at t
 *   async_fraction = time with k >= 2 / time with k >= 1
 *   doa            = time-weighted mean of k over the time with k >= 1
 *
 * doa is 1.0 when groups run strictly one at a time (a synchronous, level-by-level run) and
 * grows with the number of groups that overlap; async_fraction says for how much of the busy
 * time more than one group ran.
 *
 *   sim   |==========|          sim [0, 10)
 *   sim     |====|              sim [2, 6)      (same group: k stays 1)
 *   ml          |========|      ml  [6, 14)
 *   k(t)  1     2    1   0
 *         0     6   10  14      k>=1: 14 s, k>=2: 4 s -> async_fraction 4/14 = 0.2857
 *                               doa = (6x1 + 4x2 + 4x1) / 14 = 18/14 = 1.2857
 */
import type { TaskIntervals } from './intervals.js';
import type { Timeline } from './timeline.js';

export interface Asynchronicity {
  /** Time with k >= 2 divided by time with k >= 1; null when nothing ran for a positive time. */
  asyncFraction: number | null;
  /** Time-weighted mean of k over the time with k >= 1; null likewise. */
  doa: number | null;
  /** Seconds with k >= 1 (the busy time) and with k >= 2. */
  activeSeconds: number;
  concurrentSeconds: number;
  /** Largest k. */
  maxGroups: number;
}

/**
 * @example asynchronicityOf(intervals, timelineOf(intervals)) // => { asyncFraction: 0.2857, doa: 1.2857, ... } above
 */
export function asynchronicityOf(intervals: Pick<TaskIntervals, 'groups'>, timeline: Timeline): Asynchronicity {
  const running = new Int32Array(intervals.groups.length);
  let k = 0;
  let maxGroups = 0;
  let active = 0;
  let concurrent = 0;
  let weighted = 0;
  for (let p = 0; p < timeline.length; p++) {
    if (p > 0 && k > 0) {
      const dt = timeline.time[p] - timeline.time[p - 1];
      active += dt;
      weighted += k * dt;
      if (k >= 2) concurrent += dt;
    }
    const g = timeline.group[p];
    if (timeline.isStart[p] === 1) {
      if (running[g]++ === 0) k++;
    } else if (--running[g] === 0) {
      k--;
    }
    if (k > maxGroups) maxGroups = k;
  }
  if (!(active > 0)) return { asyncFraction: null, doa: null, activeSeconds: 0, concurrentSeconds: 0, maxGroups };
  return {
    asyncFraction: Math.min(1, concurrent / active),
    doa: Math.max(1, weighted / active),
    activeSeconds: active,
    concurrentSeconds: concurrent,
    maxGroups,
  };
}
