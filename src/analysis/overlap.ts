/**
 * Overlap of two groups: how long both ran at the same time.
 *
 *   overlap(A, B) = length of (union of A's intervals) intersected with (union of B's intervals)
 *   fraction      = overlap / min(busy A, busy B)
 *
 * The fraction is 1.0 when the shorter group ran entirely beside the other one.
 *
 *   A  |==========|            A [0, 10)
 *   B        |==========|      B [5, 15)
 *   C                    |==|  C [16, 18)
 *      0     5    10   15      overlap(A, B) = 5 s, fraction 5 / min(10, 10) = 0.5
 *                              C overlaps nothing: no entry
 *
 * How it is computed in one sweep: C_a(t), the time group a has been running up to t, can be read
 * at any moment of the sweep. A stretch [t, t') in which group b runs overlaps a for
 * C_a(t') - C_a(t) seconds. So when b's stretch closes, that difference is added for the groups
 * that ran at some point of it: those running when it opened (remembered then, with their C)
 * and those that opened during it (read from a log of openings). The cost is O(n) for the sweep
 * plus, per stretch, the number of groups running beside it: never the square of the number of
 * tasks or of groups that never meet.
 */
import type { TaskIntervals } from './intervals.js';
import type { Timeline } from './timeline.js';

export interface Overlap {
  a: string;
  b: string;
  seconds: number;
  /** seconds / min(busy a, busy b), in [0, 1]. */
  fraction: number;
}

/** Beyond this many groups, pair sums live in a Map instead of a dense g x g array. */
const DENSE_PAIRS_LIMIT = 1024;

/**
 * Every pair of groups that ran together for a positive time, `a` before `b` in the groups'
 * order. `busy` is each group's busy time (`groupBusy`).
 *
 * @example overlapsOf(intervals, timelineOf(intervals), busy) // => [{ a: 'A', b: 'B', seconds: 5, fraction: 0.5 }] above
 */
export function overlapsOf(intervals: Pick<TaskIntervals, 'groups'>, timeline: Timeline, busy: ArrayLike<number>): Overlap[] {
  const g = intervals.groups.length;
  const pairs = new PairSums(g);
  const running = new Int32Array(g);
  const runTime = new Float64Array(g); // C_a up to the group's last opening (or closing)
  const openedAt = new Float64Array(g);
  const cumulative = (a: number, t: number) => runTime[a] + (running[a] > 0 ? t - openedAt[a] : 0);

  // The groups running now, with each one's position, for O(1) removal.
  const active = new Int32Array(g);
  const position = new Int32Array(g);
  let k = 0;
  // Per running group: the groups running when it opened, with their C then; its place in the log.
  const besideGroups: number[][] = Array.from({ length: g }, () => []);
  const besideTime: number[][] = Array.from({ length: g }, () => []);
  const logFrom = new Int32Array(g);
  // Every opening in sweep order: which group, and its C at that moment.
  const logGroup: number[] = [];
  const logTime: number[] = [];
  const seen = new Int32Array(g).fill(-1);
  let closing = 0;

  for (let p = 0; p < timeline.length; p++) {
    const b = timeline.group[p];
    const t = timeline.time[p];
    if (timeline.isStart[p] === 1) {
      if (running[b]++ > 0) continue;
      openedAt[b] = t;
      const groups = besideGroups[b];
      const times = besideTime[b];
      groups.length = 0;
      times.length = 0;
      for (let x = 0; x < k; x++) {
        groups.push(active[x]);
        times.push(cumulative(active[x], t));
      }
      logFrom[b] = logGroup.length + 1; // after b's own entry
      logGroup.push(b);
      logTime.push(runTime[b]);
      position[b] = k;
      active[k++] = b;
    } else {
      if (--running[b] > 0) continue;
      runTime[b] += t - openedAt[b];
      const last = active[--k];
      active[position[b]] = last;
      position[last] = position[b];
      // The overlap of a pair is counted from the stretches of its later group (a < b) only.
      closing++;
      const groups = besideGroups[b];
      const times = besideTime[b];
      for (let x = 0; x < groups.length; x++) {
        const a = groups[x];
        seen[a] = closing;
        if (a < b) pairs.add(a, b, cumulative(a, t) - times[x]);
      }
      for (let e = logFrom[b]; e < logGroup.length; e++) {
        const a = logGroup[e];
        if (seen[a] === closing) continue; // counted already, from its first opening in the stretch
        seen[a] = closing;
        if (a < b) pairs.add(a, b, cumulative(a, t) - logTime[e]);
      }
    }
  }

  const out: Overlap[] = [];
  pairs.forEach((a, b, seconds) => {
    if (!(seconds > 0)) return;
    const shorter = Math.min(busy[a], busy[b]);
    out.push({ a: intervals.groups[a], b: intervals.groups[b], seconds, fraction: shorter > 0 ? Math.min(1, seconds / shorter) : 0 });
  });
  return out;
}

/** Sums per pair of groups a < b, visited in order of a, then b. */
class PairSums {
  private readonly dense: Float64Array | null;
  private readonly sparse = new Map<number, number>();

  constructor(private readonly groups: number) {
    this.dense = groups <= DENSE_PAIRS_LIMIT ? new Float64Array(groups * groups) : null;
  }

  add(a: number, b: number, value: number): void {
    if (value === 0) return;
    const key = a * this.groups + b;
    if (this.dense) this.dense[key] += value;
    else this.sparse.set(key, (this.sparse.get(key) ?? 0) + value);
  }

  forEach(visit: (a: number, b: number, sum: number) => void): void {
    const g = this.groups;
    if (this.dense) {
      for (let a = 0; a < g; a++) for (let b = a + 1; b < g; b++) if (this.dense[a * g + b] !== 0) visit(a, b, this.dense[a * g + b]);
      return;
    }
    for (const key of [...this.sparse.keys()].sort((x, y) => x - y)) visit(Math.floor(key / g), key % g, this.sparse.get(key)!);
  }
}
