/**
 * Relative rules judged by change points (`check --history --fail-on change-point`): a real shift
 * beyond the threshold fails, a smaller one or an improvement passes, one wild latest run passes
 * (it is not a shift), too short a history cannot be judged.
 */
import { describe, expect, it } from 'vitest';
import { evaluateChangePoint } from '../../src/check/change-point.js';
import { ruleFromFlag } from '../../src/check/rules.js';
import { normalSampler } from '../helpers/random.js';

/** 23 runs (a window of 20 and 3 candidates) about 160 s, 2 % noise; from run `at` on, times `factor`. */
function runs(at: number, factor: number, seed = 5) {
  const draw = normalSampler(seed);
  const values = Array.from({ length: 23 }, (_, i) => 160 * (i >= at ? factor : 1) * (1 + 0.02 * draw(0, 1)));
  return { baseline: values.slice(0, 20), candidate: values.slice(20), names: values.map((_, i) => `#${i + 8} run-${i + 7}`) };
}
const bound = (flag: 'max_increase' | 'max_decrease', text: string) => ruleFromFlag(flag, `makespan_s=${text}`).bound;

describe('change-point rules', () => {
  it('fails on a 10 % shift beyond +5 %, naming the run where it began', () => {
    const e = evaluateChangePoint(bound('max_increase', '5%'), runs(13, 1.1), { unit: 'seconds' });
    expect(e).toMatchObject({ passed: false, beyond: true, significant: true, test: { name: 'E-Divisive', method: 'permutation' } });
    expect(e.value / e.baseline! - 1).toBeGreaterThan(0.07);
    expect(e.message).toMatch(/^change point at #21 run-20 \(E-Divisive p = 0\.005 <= alpha 0\.01, last 23 runs\): median [\d.]+ of 10 runs since vs [\d.]+ of 13 before: \+\d+\.\d%, beyond \+5% \(limit [\d.]+\)$/);
  });

  it('passes a shift within the threshold, and an improvement', () => {
    expect(evaluateChangePoint(bound('max_increase', '15%'), runs(13, 1.1)).passed).toBe(true);
    const better = evaluateChangePoint(bound('max_increase', '5%'), runs(13, 0.9));
    expect(better).toMatchObject({ passed: true, significant: true });
    expect(better.message).toMatch(/-\d+\.\d%, within \+5% .*: not a regression$/);
  });

  it('judges max_decrease in the other direction', () => {
    expect(evaluateChangePoint(bound('max_decrease', '5%'), runs(13, 0.9)).passed).toBe(false);
    expect(evaluateChangePoint(bound('max_decrease', '5%'), runs(13, 1.1)).passed).toBe(true);
  });

  it('passes one wild latest run: beyond the limit, but not a shift', () => {
    const r = runs(99, 1);
    const candidate = [...r.candidate.slice(0, 2), 220];
    const e = evaluateChangePoint(bound("max_increase", "5%"), { ...r, candidate: candidate.slice(2), baseline: [...r.baseline, ...candidate.slice(0, 2)] }, { unit: "seconds" });
    expect(e.passed).toBe(true);
    expect(e.beyond).toBe(true);
    expect(e.message).toMatch(/^no change point in the last 23 runs \(E-Divisive, strongest candidate p = [\d.]+ > alpha 0\.01\); 220\.000 vs baseline median [\d.]+, beyond the limit [\d.]+ but not a shift: taken for noise, passed$/);
  });

  it('cannot judge a history shorter than two segments', () => {
    const e = evaluateChangePoint(bound('max_increase', '5%'), { baseline: [1, 2, 3], candidate: [9, 9], names: [] });
    expect(e).toMatchObject({ passed: true, noTest: 'too-few', significant: null, test: null });
    expect(e.message).toMatch(/^too few runs for change points \(5 runs; segments of at least 3\)/);
  });

  it('refuses absolute rules', () => {
    expect(() => evaluateChangePoint(ruleFromFlag('max', 'makespan_s=100').bound, runs(13, 1.1))).toThrow(RangeError);
  });
});
