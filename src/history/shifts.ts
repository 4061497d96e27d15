/**
 * The shifts of a metric's series: E-Divisive's change points (e-divisive.ts), each described by
 * the segments on either side: their medians, how far the series moved and in which direction.
 * What `asyncscope history` prints and the trend page marks.
 */
import { mean, median } from 'simple-statistics';
import { eDivisive, segmentBounds, type EDivisiveOptions, type EDivisiveResult } from './e-divisive.js';

/** A stretch of the series between change points. */
export interface Segment {
  /** First position (0-based) and end (exclusive). */
  start: number;
  end: number;
  median: number;
  mean: number;
}

export interface Shift {
  /** Position (0-based) of the first value of the new regime. */
  index: number;
  /** The segments before and after it. */
  before: Segment;
  after: Segment;
  /** after.median - before.median, in the metric's units. */
  change: number;
  /** change / |before.median|; null when before.median is 0. */
  relative: number | null;
  /** Permutation p-value and Q statistic when it was found; order 1 was found first. */
  p: number;
  q: number;
  order: number;
}

export interface Shifts {
  shifts: Shift[];
  segments: Segment[];
  /** The strongest candidate that was not significant (what would have been next). */
  rejected: EDivisiveResult['rejected'];
  options: EDivisiveResult['options'];
}

export function findShifts(values: readonly number[], options: EDivisiveOptions = {}): Shifts {
  const result = eDivisive(values, options);
  const segments = segmentBounds(result.changePoints, values.length)
    .filter(([start, end]) => end > start)
    .map(([start, end]) => segmentOf(values, start, end));
  const shifts = result.changePoints.map((c, i) => {
    const before = segments[i];
    const after = segments[i + 1];
    const change = after.median - before.median;
    return { index: c.index, before, after, change, relative: before.median === 0 ? null : change / Math.abs(before.median), p: c.p, q: c.q, order: c.order };
  });
  return { shifts, segments, rejected: result.rejected, options: result.options };
}

function segmentOf(values: readonly number[], start: number, end: number): Segment {
  const part = values.slice(start, end);
  return { start, end, median: median(part), mean: mean(part) };
}
