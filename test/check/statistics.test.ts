/**
 * The statistics a check decides with, against references: R's wilcox.test example, the
 * published table of critical values of U, a brute-force enumeration, scipy's asymptotic test,
 * and seeded trials for the error rates.
 */
import { median } from 'simple-statistics';
import { describe, expect, it } from 'vitest';
import { bootstrapInterval } from '../../src/check/statistics/bootstrap.js';
import { iqrFence } from '../../src/check/statistics/iqr-fence.js';
import { exactDistribution, mannWhitney, smallestExactP } from '../../src/check/statistics/mann-whitney.js';
import { normalCdf } from '../../src/check/statistics/normal.js';
import { signTest, smallestSignP } from '../../src/check/statistics/sign-test.js';
import { normalSampler, sample } from '../helpers/random.js';

/** The largest u with P(U <= u) <= alpha, or null when even U = 0 is more likely. */
function criticalU(m: number, n: number, alpha: number): number | null {
  const dist = exactDistribution(m, n);
  let cumulative = 0;
  let critical: number | null = null;
  for (let u = 0; u < dist.length; u++) {
    cumulative += dist[u];
    if (cumulative <= alpha + 1e-12) critical = u;
    else break;
  }
  return critical;
}

describe('Mann-Whitney U', () => {
  // R, ?wilcox.test: "Hollander & Wolfe (1973), 69f. Permeability constants of the human chorioamnion";
  // wilcox.test(x, y, alternative = "g") gives W = 35, p-value = 0.1272 (scipy: 0.12720612720612720).
  const x = [0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46];
  const y = [1.15, 0.88, 0.9, 0.74, 1.21];

  it("reproduces R's wilcox.test example exactly", () => {
    const greater = mannWhitney(x, y, 'greater');
    expect(greater).toMatchObject({ u: 35, method: 'exact' });
    expect(greater.p).toBeCloseTo(0.1272061272, 9);
    expect(mannWhitney(x, y, 'less').p).toBeCloseTo(0.8967698968, 9);
    expect(mannWhitney(x, y, 'two-sided').p).toBeCloseTo(0.2544122544, 9);
    expect(mannWhitney(y, x, 'less').u).toBe(10 * 5 - 35); // U_x + U_y = m n
  });

  it('matches the published table of critical values of U', () => {
    // Critical values of the Mann-Whitney U as printed in statistics textbooks (and given by R as
    // qwilcox(alpha, m, n) - 1): [m, n, one-tailed 0.05, two-tailed 0.05, two-tailed 0.01].
    const table: [number, number, number, number, number | null][] = [
      [4, 4, 1, 0, null],
      [5, 5, 4, 2, 0],
      [6, 6, 7, 5, 2],
      [7, 7, 11, 8, 4],
      [8, 8, 15, 13, 7],
      [10, 10, 27, 23, 16],
      [12, 12, 42, 37, 27],
      [15, 15, 72, 64, 51],
      [20, 20, 138, 127, 105],
      [5, 10, 11, 8, 4],
      [8, 12, 26, 22, 15],
    ];
    for (const [m, n, oneTailed05, twoTailed05, twoTailed01] of table) {
      expect([m, n, criticalU(m, n, 0.05), criticalU(m, n, 0.025), criticalU(m, n, 0.005)]).toEqual([m, n, oneTailed05, twoTailed05, twoTailed01]);
    }
  });

  it('has the distribution a brute-force enumeration of every arrangement gives', () => {
    const m = 4;
    const n = 5;
    const counts = new Array<number>(m * n + 1).fill(0);
    let arrangements = 0;
    // Every choice of which 4 of the 9 ranks belong to x; U = sum of x ranks - m(m+1)/2.
    for (let mask = 0; mask < 1 << (m + n); mask++) {
      let bits = 0;
      let rankSum = 0;
      for (let r = 0; r < m + n; r++) if (mask & (1 << r)) (bits++, (rankSum += r + 1));
      if (bits !== m) continue;
      counts[rankSum - (m * (m + 1)) / 2]++;
      arrangements++;
    }
    expect(arrangements).toBe(126);
    const dist = Array.from(exactDistribution(m, n));
    dist.forEach((p, u) => expect(p).toBeCloseTo(counts[u] / arrangements, 12));
    expect(Array.from(exactDistribution(2, 2)).map((p) => p * 6)).toEqual([1, 1, 2, 1, 1].map((c) => expect.closeTo(c, 12)));
  });

  it('gives the smallest p when every x lies above every y', () => {
    expect(smallestExactP(3, 3)).toBeCloseTo(1 / 20, 12);
    expect(smallestExactP(2, 2)).toBeCloseTo(1 / 6, 12);
    expect(smallestExactP(1, 19)).toBeCloseTo(1 / 20, 12);
    expect(mannWhitney([4, 5, 6], [1, 2, 3], 'greater').p).toBeCloseTo(1 / 20, 12);
    expect(mannWhitney([4, 5, 6], [1, 2, 3], 'less').p).toBeCloseTo(1, 12);
  });

  it('uses the normal approximation with the tie correction when values tie (as R and scipy do)', () => {
    // scipy.stats.mannwhitneyu(x, y, method='asymptotic', use_continuity=True)
    const tx = [1, 2, 2, 3, 3, 3, 4, 5, 5, 6];
    const ty = [2, 3, 4, 4, 5, 6, 6, 7, 7, 8];
    const less = mannWhitney(tx, ty, 'less');
    expect(less).toMatchObject({ u: 23.5, method: 'normal' });
    expect(less.p).toBeCloseTo(0.0235347702, 6);
    expect(mannWhitney(tx, ty, 'greater').p).toBeCloseTo(0.9803983224, 6);
    expect(mannWhitney(tx, ty, 'two-sided').p).toBeCloseTo(0.0470695404, 6);
  });

  it('uses the normal approximation from 50 values on, close to the exact p', () => {
    const big = Array.from({ length: 60 }, (_, i) => i + 1);
    const shifted = big.map((v) => v + 7.5);
    const r = mannWhitney(big, shifted, 'less');
    expect(r).toMatchObject({ u: 1378, method: 'normal' });
    expect(r.p).toBeCloseTo(0.0134729281, 6); // scipy asymptotic; its exact p is 0.01329
  });

  it('says nothing when every value ties', () => {
    expect(mannWhitney([3, 3, 3], [3, 3, 3, 3], 'greater').p).toBe(1);
  });

  it('refuses an empty sample', () => {
    expect(() => mannWhitney([], [1], 'greater')).toThrow(RangeError);
  });
});

describe('seeded trials', () => {
  const trials = 1000;
  const draw = normalSampler(20240601);

  it('samples from one distribution are significant at alpha 0.05 in about 5% of trials', () => {
    let rejections = 0;
    for (let t = 0; t < trials; t++) {
      if (mannWhitney(sample(draw, 10, 100, 10), sample(draw, 10, 100, 10), 'greater').p <= 0.05) rejections++;
    }
    // Exact test of size 0.05 (a little below: U is discrete): expected about 50 of 1000.
    expect(rejections / trials).toBeLessThanOrEqual(0.08);
    expect(rejections / trials).toBeGreaterThanOrEqual(0.02);
  });

  it('finds a 20% shift over 10 vs 10 samples with 10% noise', () => {
    let found = 0;
    for (let t = 0; t < 200; t++) {
      if (mannWhitney(sample(draw, 10, 120, 10), sample(draw, 10, 100, 10), 'greater').p <= 0.05) found++;
    }
    expect(found / 200).toBeGreaterThanOrEqual(0.95);
  });
});

describe('sign test', () => {
  it('is the binomial tail of the count above the reference', () => {
    expect(signTest([0.71, 0.72, 0.69, 0.7, 0.74], 0.8, 'less')).toEqual({ above: 0, n: 5, p: 1 / 32 });
    expect(signTest([0.71, 0.72, 0.69, 0.7, 0.74], 0.8, 'greater').p).toBe(1);
    // 8 of 10 above: P(K >= 8) = (45 + 10 + 1) / 1024
    expect(signTest([1, 2, 3, 4, 5, 6, 7, 8, -1, -2], 0, 'greater').p).toBeCloseTo(56 / 1024, 12);
    expect(signTest([1, 2, 3, 4, 5, 6, 7, 8, -1, -2], 0, 'two-sided').p).toBeCloseTo(112 / 1024, 12);
  });

  it('drops values equal to the reference', () => {
    expect(signTest([5, 5, 6, 7], 5, 'greater')).toEqual({ above: 2, n: 2, p: 0.25 });
    expect(signTest([5, 5], 5, 'greater').p).toBe(1);
    expect(smallestSignP(5)).toBe(1 / 32);
  });
});

describe('IQR fence', () => {
  it('leaves out values beyond 1.5 IQR of the quartiles', () => {
    // Q1 = 11, Q3 = 13 (R type 7): fence [8, 16]
    expect(iqrFence([10, 11, 12, 13, 40])).toEqual({ kept: [10, 11, 12, 13], outliers: [40], low: 8, high: 16 });
    expect(iqrFence([-50, 10, 11, 12, 13]).outliers).toEqual([-50]);
  });

  it('keeps everything when there are too few values for quartiles', () => {
    expect(iqrFence([1, 2, 1000])).toEqual({ kept: [1, 2, 1000], outliers: [], low: null, high: null });
  });
});

describe('bootstrap interval of the median difference', () => {
  const diff = (a: number[], b: number[]) => median(b) - median(a);

  it('is reproducible with a seed and covers a real shift', () => {
    const draw = normalSampler(7);
    const base = sample(draw, 10, 100, 5);
    const cand = sample(draw, 10, 120, 5);
    const a = bootstrapInterval(base, cand, diff, { seed: 3 });
    const b = bootstrapInterval(base, cand, diff, { seed: 3 });
    expect(a).toEqual(b);
    expect(a!.low).toBeGreaterThan(10);
    expect(a!.high).toBeLessThan(30);
    expect(a!.low).toBeLessThan(20);
    expect(a!.high).toBeGreaterThan(20);
  });

  it('is a single point for constant samples', () => {
    expect(bootstrapInterval([1, 1, 1], [3, 3, 3], diff)).toEqual({ low: 2, high: 2, level: 0.95 });
  });
});

describe('normal distribution', () => {
  it('agrees with scipy.stats.norm.cdf', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.6449)).toBeCloseTo(0.9500047825, 6);
    expect(normalCdf(-1.96)).toBeCloseTo(0.0249978951, 6);
    expect(normalCdf(-4) / 3.167124183e-5).toBeCloseTo(1, 5);
  });
});
