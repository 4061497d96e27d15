/**
 * Tukey's fence: values further than 1.5 interquartile ranges below the first quartile or above
 * the third are outliers. A CI machine that was busy with something else for one run gives such a
 * value; leaving it out of the median keeps one bad run from deciding a check.
 *
 * Quartiles interpolate linearly between the nearest ranks (R type 7, numpy's default), as the
 * duration percentiles of docs/metrics.md do. With fewer than 4 values quartiles say little, so
 * no value is fenced out.
 */
import { quantile } from 'simple-statistics';

export interface Fenced {
  /** The values inside the fence, in their original order. */
  kept: number[];
  /** The values outside it. */
  outliers: number[];
  /** The fence, or null when there were too few values to draw one. */
  low: number | null;
  high: number | null;
}

export const FENCE_MIN_VALUES = 4;

/**
 * @example iqrFence([10, 11, 12, 13, 40]) // => { kept: [10, 11, 12, 13], outliers: [40], low: 8, high: 16 }
 *   (Q1 = 11, Q3 = 13, IQR = 2: the fence is [11 - 3, 13 + 3])
 */
export function iqrFence(values: readonly number[], k = 1.5): Fenced {
  if (values.length < FENCE_MIN_VALUES) return { kept: [...values], outliers: [], low: null, high: null };
  const [q1, q3] = quantile(values as number[], [0.25, 0.75]);
  const low = q1 - k * (q3 - q1);
  const high = q3 + k * (q3 - q1);
  const kept: number[] = [];
  const outliers: number[] = [];
  for (const v of values) (v < low || v > high ? outliers : kept).push(v);
  return { kept, outliers, low, high };
}
