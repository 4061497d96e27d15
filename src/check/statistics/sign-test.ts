/**
 * The sign test: is the median of a sample above (or below) a fixed value? Under the null
 * hypothesis each value lies above it with probability 1/2, so the count above is binomial
 * (n, 1/2). Values equal to the reference carry no sign and are dropped. Exact for any n.
 *
 * asyncscope uses it for absolute bounds (`--min utilization.gpu=0.80`), where the reference is a
 * number the user chose rather than a sample with its own noise.
 */
import type { Alternative } from './mann-whitney.js';

export interface SignTestResult {
  /** Values above the reference. */
  above: number;
  /** Values that differ from the reference (the binomial n). */
  n: number;
  p: number;
}

/**
 * @example signTest([0.71, 0.72, 0.69, 0.70, 0.74], 0.8, 'less') // => { above: 0, n: 5, p: 0.03125 }
 */
export function signTest(values: readonly number[], reference: number, alternative: Alternative): SignTestResult {
  let above = 0;
  let n = 0;
  for (const v of values) {
    if (v === reference) continue;
    n++;
    if (v > reference) above++;
  }
  if (n === 0) return { above, n, p: 1 };
  const atLeast = binomialTail(n, above); // P(K >= above)
  const atMost = 1 - binomialTail(n, above + 1); // P(K <= above)
  const p = alternative === 'greater' ? atLeast : alternative === 'less' ? atMost : Math.min(1, 2 * Math.min(atLeast, atMost));
  return { above, n, p: Math.min(1, p) };
}

/** The smallest one-sided p-value a sign test of n values can give: 1 / 2^n. */
export function smallestSignP(n: number): number {
  return 0.5 ** n;
}

/** P(K >= k) for K ~ Binomial(n, 1/2). */
function binomialTail(n: number, k: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  let term = 0.5 ** n; // P(K = 0)
  let tail = 0;
  for (let i = 0; i <= n; i++) {
    if (i >= k) tail += term;
    term = (term * (n - i)) / (i + 1);
  }
  return tail;
}
