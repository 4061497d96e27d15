/**
 * The timeline: every interval's start and end in time order, built once per run and walked by
 * each metric (union, concurrency, asynchronicity, overlap, groups, series) in one linear pass.
 * Sorting is the only O(n log n) step of an analysis; everything after it is O(n).
 *
 * Intervals are half-open, [start, end): a task that ends at t and one that starts at t do not
 * run together, so at equal times ends come before starts. A zero-length interval runs at no
 * time and is left out of the timeline (it still counts as a task in groups and durations).
 *
 * Walking a timeline: between point k-1 and point k, the state after point k-1 holds for
 * `time[k] - time[k-1]` seconds (zero between points at the same time, so ties need no care
 * in time-weighted sums).
 */
import type { Spans } from './intervals.js';
import { sortInPlace } from './sort.js';

export interface Timeline {
  /** Number of points: two per interval of positive length. */
  readonly length: number;
  /** Point times, ascending; at equal times ends come first. */
  readonly time: Float64Array;
  /** The interval each point belongs to. */
  readonly interval: Int32Array;
  /** 1 for a start, 0 for an end. */
  readonly isStart: Uint8Array;
  /** The group of the point's interval (0 when the spans have no groups). */
  readonly group: Int32Array;
}

/**
 * The sorted start and end points of the intervals of positive length.
 *
 * @example
 *   // [0, 10) and [10, 20): points 0 start, 10 end, 10 start, 20 end
 *   timelineOf(intervalsFrom([{ start: 0, end: 10 }, { start: 10, end: 20 }])).time // => [0, 10, 10, 20]
 */
export function timelineOf(spans: Spans & { readonly group?: Int32Array }): Timeline {
  // Each loop is a function of its own, so that V8 optimizes it on the first call (see selectIntervals).
  const m = countPositive(spans);
  // Kept intervals in order; `kept` maps them back, unless every interval is kept.
  const kept = m === spans.length ? null : new Int32Array(m);
  // Ends in the first half, starts in the second: the stable sort then puts ends first at ties.
  const keys = new Float64Array(2 * m);
  fillKeys(spans, kept, keys, m);
  const { sorted: time, order, spare } = sortInPlace(keys);
  // The sort's index arrays are reused for the interval and group of each point.
  const interval = new Int32Array(order.buffer, order.byteOffset, 2 * m);
  const group = new Int32Array(spare.buffer, spare.byteOffset, 2 * m);
  const isStart = new Uint8Array(2 * m);
  gatherPoints(m, kept, spans.group ?? null, interval, isStart, group);
  return { length: 2 * m, time, interval, isStart, group };
}

function countPositive(spans: Spans): number {
  let m = 0;
  for (let i = 0; i < spans.length; i++) if (spans.end[i] > spans.start[i]) m++;
  return m;
}

function fillKeys(spans: Spans, kept: Int32Array | null, keys: Float64Array, m: number): void {
  let k = 0;
  for (let i = 0; i < spans.length; i++) {
    if (!(spans.end[i] > spans.start[i])) continue;
    if (kept) kept[k] = i;
    keys[k] = spans.end[i];
    keys[m + k] = spans.start[i];
    k++;
  }
}

/** Turns each sorted point's key position (in `interval`, in place) into its interval, start flag and group. */
function gatherPoints(m: number, kept: Int32Array | null, groups: Int32Array | null, interval: Int32Array, isStart: Uint8Array, group: Int32Array): void {
  for (let p = 0; p < 2 * m; p++) {
    const q = interval[p];
    const start = q >= m;
    const j = start ? q - m : q;
    const i = kept ? kept[j] : j;
    interval[p] = i;
    isStart[p] = start ? 1 : 0;
    group[p] = groups ? groups[i] : 0;
  }
}
