/**
 * A percentile bootstrap confidence interval of a statistic of two samples (asyncscope: the
 * change of the median from the baseline to the candidate). Each resample draws m values from x
 * and n from y with replacement; the interval is the central `level` share of the resampled
 * statistics. Seeded, so a check gives the same interval on every machine and every run.
 *
 * It says how large a change could be, where the Mann-Whitney test only says whether there is one.
 */
import { quantile } from 'simple-statistics';
import { seededRandom } from '../../util/seeded-random.js';

export interface Interval {
  low: number;
  high: number;
  level: number;
}

export interface BootstrapOptions {
  resamples?: number;
  level?: number;
  seed?: number;
}

/**
 * @example bootstrapInterval([10, 11, 12], [12, 13, 14], (a, b) => median(b) - median(a)) // => { low: ~0, high: ~4, level: 0.95 }
 */
export function bootstrapInterval(
  x: readonly number[],
  y: readonly number[],
  statistic: (x: number[], y: number[]) => number,
  options: BootstrapOptions = {},
): Interval | null {
  const resamples = options.resamples ?? 1000;
  const level = options.level ?? 0.95;
  if (x.length === 0 || y.length === 0) return null;
  const random = seededRandom(options.seed ?? 1);
  const xs = new Array<number>(x.length);
  const ys = new Array<number>(y.length);
  const stats: number[] = [];
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < x.length; i++) xs[i] = x[Math.floor(random() * x.length)];
    for (let i = 0; i < y.length; i++) ys[i] = y[Math.floor(random() * y.length)];
    const s = statistic(xs, ys);
    if (Number.isFinite(s)) stats.push(s);
  }
  if (stats.length === 0) return null;
  const [low, high] = quantile(stats, [(1 - level) / 2, 1 - (1 - level) / 2]);
  return { low, high, level };
}
