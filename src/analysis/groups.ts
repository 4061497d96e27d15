/**
 * Per-group figures: for each task type (stage instance, pipeline), how many tasks, when the
 * group first started and last ended, its busy time (the union of its tasks' intervals), the
 * statistics of its task durations, and the cores and GPUs per task.
 *
 *   sim  |======|                sim [0, 6)   4 cores
 *   sim      |======|            sim [4, 10)  4 cores
 *   ml              |===|        ml  [10, 14) 8 cores, 1 GPU
 *        0   4  6   10  14       sim: 2 tasks, start 0, end 10, busy 10, durations 6 and 6
 *                                ml:  1 task,  start 10, end 14, busy 4,  duration 4
 *
 * A group's busy time is at most end - start; it is less when the group had idle stretches.
 */
import { durationStats, type DurationStats } from './duration-stats.js';
import type { TaskIntervals } from './intervals.js';
import type { Timeline } from './timeline.js';

/** Cores or GPUs per task of a group: one number, a range when tasks differ, null when unknown. */
export type PerTask = number | { min: number; max: number } | null;

export interface GroupStats {
  name: string;
  tasks: number;
  /** First start and last end of the group's tasks (seconds from time zero). */
  start: number;
  end: number;
  /** Length of the union of the group's intervals. */
  busy: number;
  cores: PerTask;
  gpus: PerTask;
  duration: DurationStats;
}

/**
 * One entry per group, in the groups' order (first start).
 *
 * @example groupStatsOf(intervals, timelineOf(intervals))[1] // => { name: 'ml', tasks: 1, start: 10, end: 14, busy: 4, ... } above
 */
export function groupStatsOf(intervals: TaskIntervals, timeline: Timeline, busy: ArrayLike<number> = groupBusy(intervals, timeline)): GroupStats[] {
  const g = intervals.groups.length;
  // Counting sort of the intervals by group, so each group's durations are one contiguous run.
  const offset = groupOffsets(intervals.group, g);
  const durations = new Float64Array(intervals.length);
  const start = new Float64Array(g).fill(Infinity);
  const end = new Float64Array(g).fill(-Infinity);
  const cores = new Range(g);
  const gpus = new Range(g);
  collectByGroup(intervals, offset, durations, start, end, cores, gpus);
  const out: GroupStats[] = [];
  for (let c = 0; c < g; c++) {
    const own = durations.subarray(offset[c], offset[c + 1]);
    const duration = durationStats(own);
    if (duration === null) continue; // a group name with no interval (cannot happen for selected intervals)
    out.push({ name: intervals.groups[c], tasks: own.length, start: start[c], end: end[c], busy: busy[c], cores: cores.of(c), gpus: gpus.of(c), duration });
  }
  return out;
}

/** Where each group's run starts in a by-group ordering (offset[c] .. offset[c + 1]). */
function groupOffsets(group: Int32Array, groups: number): Int32Array {
  const offset = new Int32Array(groups + 1);
  for (let i = 0; i < group.length; i++) offset[group[i] + 1]++;
  for (let c = 0; c < groups; c++) offset[c + 1] += offset[c];
  return offset;
}

function collectByGroup(intervals: TaskIntervals, offset: Int32Array, durations: Float64Array, start: Float64Array, end: Float64Array, cores: Range, gpus: Range): void {
  const fill = offset.slice(0, offset.length - 1);
  for (let i = 0; i < intervals.length; i++) {
    const c = intervals.group[i];
    durations[fill[c]++] = intervals.end[i] - intervals.start[i];
    if (intervals.start[i] < start[c]) start[c] = intervals.start[i];
    if (intervals.end[i] > end[c]) end[c] = intervals.end[i];
    cores.add(c, intervals.cores[i]);
    gpus.add(c, intervals.gpus[i]);
  }
}

/** Length of the union of each group's intervals, indexed by group. */
export function groupBusy(intervals: Pick<TaskIntervals, 'groups'>, timeline: Timeline): Float64Array {
  const g = intervals.groups.length;
  const running = new Int32Array(g);
  const openedAt = new Float64Array(g);
  const busy = new Float64Array(g);
  for (let p = 0; p < timeline.length; p++) {
    const c = timeline.group[p];
    if (timeline.isStart[p] === 1) {
      if (running[c]++ === 0) openedAt[c] = timeline.time[p];
    } else if (--running[c] === 0) {
      busy[c] += timeline.time[p] - openedAt[c];
    }
  }
  return busy;
}

/** Smallest and largest known amount per group. */
class Range {
  private readonly min: Float64Array;
  private readonly max: Float64Array;

  constructor(groups: number) {
    this.min = new Float64Array(groups).fill(Infinity);
    this.max = new Float64Array(groups).fill(-Infinity);
  }

  add(group: number, value: number): void {
    if (Number.isNaN(value)) return;
    if (value < this.min[group]) this.min[group] = value;
    if (value > this.max[group]) this.max[group] = value;
  }

  of(group: number): PerTask {
    const min = this.min[group];
    const max = this.max[group];
    if (min === Infinity) return null;
    return min === max ? min : { min, max };
  }
}
