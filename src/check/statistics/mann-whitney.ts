/**
 * The Mann-Whitney U test (Wilcoxon rank-sum test): do the values of x tend to be larger (or
 * smaller) than those of y? It compares ranks, not values, so it assumes no distribution and one
 * wild run moves it by one rank at most.
 *
 *     U = number of pairs (x_i, y_j) with x_i > y_j, plus half the pairs with x_i = y_j
 *
 * U runs from 0 (every x below every y) to m n (every x above); if x and y come from the same
 * distribution, every arrangement of the m + n ranks is equally likely and U centres on m n / 2.
 *
 * p-values follow R's `wilcox.test`:
 * - **exact** when both samples have fewer than 50 values and there are no ties: the
 *   distribution of U over all C(m + n, m) arrangements, by the recurrence
 *   P_{m,n}(u) = m/(m+n) P_{m-1,n}(u - n) + n/(m+n) P_{m,n-1}(u) (the largest value of the pooled
 *   sample is either an x, adding n to U, or a y);
 * - otherwise the **normal approximation** with continuity correction and the tie correction of
 *   the variance: var U = m n / 12 ((N + 1) - sum(t^3 - t) / (N (N - 1))), t the sizes of the
 *   groups of tied values, N = m + n.
 *
 * Checked against R's own example (Hollander & Wolfe 1973, p. 69: W = 35, p = 0.1272 one-sided)
 * and the published table of critical values of U (test/check/statistics.test.ts).
 */
import { normalCdf } from './normal.js';

/** Which difference the test looks for: x larger than y, x smaller, or either. */
export type Alternative = 'greater' | 'less' | 'two-sided';

export interface MannWhitneyResult {
  /** U of x (R's W). */
  u: number;
  p: number;
  method: 'exact' | 'normal';
}

/** Below this size of both samples, and without ties, p is exact (as in R). */
export const EXACT_BELOW = 50;

/**
 * @example mannWhitney([0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46], [1.15, 0.88, 0.90, 0.74, 1.21], 'greater')
 *   // => { u: 35, p: 0.1272, method: 'exact' }
 */
export function mannWhitney(x: readonly number[], y: readonly number[], alternative: Alternative): MannWhitneyResult {
  const m = x.length;
  const n = y.length;
  if (m === 0 || n === 0) throw new RangeError('the Mann-Whitney test needs at least one value in each sample');
  const { rankSumX, tieTerm } = ranks(x, y);
  const u = rankSumX - (m * (m + 1)) / 2;
  if (m < EXACT_BELOW && n < EXACT_BELOW && tieTerm === 0) {
    return { u, p: exactP(u, m, n, alternative), method: 'exact' };
  }
  return { u, p: normalP(u, m, n, tieTerm, alternative), method: 'normal' };
}

/**
 * The smallest p-value the exact test can give for samples of these sizes, one-sided:
 * 1 / C(m + n, m) (every x above every y). When it exceeds alpha, no outcome is significant.
 *
 * @example smallestExactP(3, 3) // => 0.05
 */
export function smallestExactP(m: number, n: number): number {
  let p = 1;
  // 1 / C(m + n, m) as a product, without overflowing factorials.
  for (let i = 1; i <= Math.min(m, n); i++) p *= i / (Math.max(m, n) + i);
  return p;
}

/**
 * P(U = u) for u = 0 .. m n when all C(m + n, m) arrangements are equally likely.
 *
 * @example exactDistribution(2, 2) // => [1/6, 1/6, 2/6, 1/6, 1/6]
 */
export function exactDistribution(m: number, n: number): Float64Array {
  const key = `${m},${n}`;
  const cached = distributionCache.get(key);
  if (cached) return cached;
  // prev[j] holds P_{i-1, j}, row[j] P_{i, j}; each an array over u = 0 .. (i j).
  let prev: Float64Array[] = Array.from({ length: n + 1 }, () => Float64Array.of(1)); // P_{0,j}: U = 0 surely
  for (let i = 1; i <= m; i++) {
    const row: Float64Array[] = [Float64Array.of(1)]; // P_{i,0}
    for (let j = 1; j <= n; j++) {
      const p = new Float64Array(i * j + 1);
      const a = prev[j]; // P_{i-1,j}, shifted by j
      const b = row[j - 1]; // P_{i,j-1}
      const wa = i / (i + j);
      const wb = j / (i + j);
      for (let u = 0; u < a.length; u++) p[u + j] += wa * a[u];
      for (let u = 0; u < b.length; u++) p[u] += wb * b[u];
      row.push(p);
    }
    prev = row;
  }
  const result = prev[n];
  distributionCache.set(key, result);
  return result;
}

const distributionCache = new Map<string, Float64Array>();

function exactP(u: number, m: number, n: number, alternative: Alternative): number {
  const dist = exactDistribution(m, n);
  let below = 0; // P(U <= u)
  let above = 0; // P(U >= u)
  for (let k = 0; k < dist.length; k++) {
    if (k <= u) below += dist[k];
    if (k >= u) above += dist[k];
  }
  if (alternative === 'greater') return Math.min(1, above);
  if (alternative === 'less') return Math.min(1, below);
  return Math.min(1, 2 * Math.min(below, above));
}

function normalP(u: number, m: number, n: number, tieTerm: number, alternative: Alternative): number {
  const N = m + n;
  const variance = ((m * n) / 12) * (N + 1 - tieTerm / (N * (N - 1)));
  if (!(variance > 0)) return 1; // every value tied: no evidence either way
  const sd = Math.sqrt(variance);
  const d = u - (m * n) / 2;
  if (alternative === 'greater') return 1 - normalCdf((d - 0.5) / sd);
  if (alternative === 'less') return normalCdf((d + 0.5) / sd);
  const z = (d - Math.sign(d) * 0.5) / sd;
  return Math.min(1, 2 * Math.min(normalCdf(z), 1 - normalCdf(z)));
}

/** Sum of the (mid)ranks of x in the pooled sample, and sum(t^3 - t) over groups of ties. */
function ranks(x: readonly number[], y: readonly number[]): { rankSumX: number; tieTerm: number } {
  const pooled = [...x.map((v) => ({ v, fromX: true })), ...y.map((v) => ({ v, fromX: false }))].sort((a, b) => a.v - b.v);
  let rankSumX = 0;
  let tieTerm = 0;
  for (let i = 0; i < pooled.length; ) {
    let j = i;
    while (j + 1 < pooled.length && pooled[j + 1].v === pooled[i].v) j++;
    const midrank = (i + j) / 2 + 1; // ranks i+1 .. j+1
    for (let k = i; k <= j; k++) if (pooled[k].fromX) rankSumX += midrank;
    const t = j - i + 1;
    tieTerm += t * t * t - t;
    i = j + 1;
  }
  return { rankSumX, tieTerm };
}
