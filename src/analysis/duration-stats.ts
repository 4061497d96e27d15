/**
 * Summary statistics of task durations, computed with simple-statistics: min, median, mean,
 * 95th percentile, max and (population) standard deviation.
 *
 * Percentiles interpolate linearly between the two nearest ranks (numpy's default, R type 7):
 * for durations 10, 20, 30, 40 the median is 25 and p95 = 30 + 0.85 x 10 = 38.5. The standard
 * deviation divides by n, so one task gives 0 rather than no value.
 */
import { max, mean, min, quantile, standardDeviation } from 'simple-statistics';

export interface DurationStats {
  min: number;
  median: number;
  mean: number;
  p95: number;
  max: number;
  stddev: number;
}

/**
 * Statistics of some durations (in any order; not modified); null when there are none.
 * The percentiles come from simple-statistics' `quantile`, which selects rather than sorts: O(n).
 *
 * @example durationStats(Float64Array.of(40, 10, 30, 20)) // => { min: 10, median: 25, mean: 25, p95: 38.5, max: 40, stddev: 11.18 }
 */
export function durationStats(values: Float64Array): DurationStats | null {
  if (values.length === 0) return null;
  // simple-statistics reads only `length`, indexes and `slice`, so a typed array serves as its `number[]`.
  const x = values as unknown as number[];
  const [median, p95] = quantile(x, [0.5, 0.95]);
  return { min: min(x), median, mean: mean(x), p95, max: max(x), stddev: standardDeviation(x) };
}
