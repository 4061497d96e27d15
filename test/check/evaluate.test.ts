/**
 * The verdict of a rule: hand-computed limits and messages, the noise rules (significance,
 * too few samples, outliers), and seeded trials of the false-alarm rate and the power.
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/check/evaluate.js';
import { parseThreshold, type Bound, type BoundKind } from '../../src/check/rules.js';
import { normalSampler, sample } from '../helpers/random.js';

function bound(kind: BoundKind, text: string): Bound {
  return { kind, threshold: parseThreshold(kind, text)! };
}

const ALPHA = { alpha: 0.05 };

describe('one value on each side: a plain threshold check', () => {
  it('fails DG2 sync against the DG2 async baseline by +35.1% makespan', () => {
    const e = evaluate(bound('max_increase', '5%'), { candidate: [1800.123], baseline: [1332.734] }, { ...ALPHA, unit: 'seconds' });
    expect(e).toMatchObject({ value: 1800.123, baseline: 1332.734, beyond: true, passed: false, significant: null, test: null, noTest: 'single' });
    expect(e.limit).toBeCloseTo(1332.734 * 1.05, 9);
    expect(e.message).toBe('1800.123 vs baseline 1332.734: +35.1%, beyond +5% (limit 1399.371)');
  });

  it('passes a run against its own baseline', () => {
    const e = evaluate(bound('max_increase', '5%'), { candidate: [1332.734], baseline: [1332.734] }, { ...ALPHA, unit: 'seconds' });
    expect(e).toMatchObject({ passed: true, beyond: false });
    expect(e.message).toBe('1332.734 vs baseline 1332.734: +0.0%, within +5% (limit 1399.371)');
  });

  it('takes absolute and percentage-point thresholds in the metric units', () => {
    const seconds = evaluate(bound('max_increase', '30'), { candidate: [801.5], baseline: [771.494] }, { ...ALPHA, unit: 'seconds' });
    expect(seconds.limit).toBeCloseTo(801.494, 9);
    expect(seconds.passed).toBe(false);
    expect(seconds.message).toContain('+30.006');
    const points = evaluate(bound('max_decrease', '5pp'), { candidate: [0.6412], baseline: [0.8664] }, ALPHA);
    expect(points.limit).toBeCloseTo(0.8164, 9);
    expect(points.message).toBe('0.6412 vs baseline 0.8664: -22.5pp, beyond -5pp (limit 0.8164)');
  });

  it('moves a negative baseline by its magnitude (a signed prediction error)', () => {
    // baseline error -0.04: +50% allows up to -0.02, -50% down to -0.06
    expect(evaluate(bound('max_increase', '50%'), { candidate: [-0.03], baseline: [-0.04] }, ALPHA).limit).toBeCloseTo(-0.02, 12);
    expect(evaluate(bound('max_decrease', '50%'), { candidate: [-0.03], baseline: [-0.04] }, ALPHA).limit).toBeCloseTo(-0.06, 12);
  });

  it('judges a change from a zero baseline in absolute terms', () => {
    const e = evaluate(bound('max_increase', '10%'), { candidate: [0.2], baseline: [0] }, ALPHA);
    expect(e).toMatchObject({ limit: 0, beyond: true, passed: false });
    expect(e.message).toContain('+0.2 (the baseline is 0)');
  });

  it('checks absolute bounds without a baseline; touching the limit is within', () => {
    expect(evaluate(bound('min', '0.80'), { candidate: [0.6412], baseline: null }, ALPHA)).toMatchObject({ passed: false, limit: 0.8, baseline: null });
    expect(evaluate(bound('min', '80%'), { candidate: [0.8], baseline: null }, ALPHA).passed).toBe(true);
    expect(evaluate(bound('max', '1400'), { candidate: [1400], baseline: null }, ALPHA).passed).toBe(true);
    expect(evaluate(bound('max', '1400'), { candidate: [1400.001], baseline: null }, ALPHA).message).toBe('1400.001 is above the maximum 1400');
  });

  it('refuses a relative rule without baseline values', () => {
    expect(() => evaluate(bound('max_increase', '5%'), { candidate: [1], baseline: null }, ALPHA)).toThrow(/baseline/);
  });
});

describe('repeats: beyond the limit AND significant', () => {
  it('fails a significant shift and says which test decided', () => {
    const e = evaluate(bound('max_increase', '5%'), { candidate: [120, 121, 119, 122, 118], baseline: [100, 101, 99, 102, 98] }, { ...ALPHA, unit: 'seconds' });
    expect(e).toMatchObject({ value: 120, baseline: 100, beyond: true, significant: true, passed: false, candidateRuns: 5, baselineSamples: 5 });
    expect(e.test).toMatchObject({ name: 'Mann-Whitney U', statistic: 25, method: 'exact' });
    expect(e.test!.p).toBeCloseTo(1 / 252, 12); // every candidate above every baseline value: 1 / C(10, 5)
    expect(e.message).toMatch(/^median 120\.000 of 5 runs vs baseline median 100\.000 of 5 samples: \+20\.0% \(95% CI \+\d+\.\d% to \+\d+\.\d%\), beyond \+5% \(limit 105\.000\); significant \(Mann-Whitney U p = 0\.004 <= alpha 0\.05\)$/);
  });

  it('passes a change beyond the limit that is not significant, and says it was taken for noise', () => {
    // medians 110 vs 102 (+7.8%), but two candidates lie below every baseline value: U = 15 of 25,
    // P(U >= 15) = 87/252 = 0.345 (scipy.stats.mannwhitneyu, exact)
    const e = evaluate(bound('max_increase', '5%'), { candidate: [90, 95, 110, 111, 112], baseline: [100, 101, 102, 103, 104] }, ALPHA);
    expect(e).toMatchObject({ value: 110, baseline: 102, beyond: true, significant: false, passed: true });
    expect(e.test!.statistic).toBe(15);
    expect(e.message).toContain('but not significant (Mann-Whitney U p = 0.35 > alpha 0.05): taken for noise, passed');
    expect(e.test!.p).toBeCloseTo(87 / 252, 12);
  });

  it('reports a significant change within the limit as passed', () => {
    const e = evaluate(bound('max_increase', '50%'), { candidate: [120, 121, 119, 122, 118], baseline: [100, 101, 99, 102, 98] }, ALPHA);
    expect(e).toMatchObject({ beyond: false, significant: true, passed: true });
    expect(e.message).toContain('a significant change');
  });

  it('judges on the medians alone, and says so, when the samples are too few for the test to reach alpha', () => {
    const e = evaluate(bound('max_increase', '5%'), { candidate: [120, 121], baseline: [100, 101] }, ALPHA);
    expect(e).toMatchObject({ beyond: true, significant: null, noTest: 'too-few', passed: false });
    expect(e.message).toContain('too few runs for a test at alpha 0.05 (2 runs and 2 baseline samples give p = 0.17 at best): judged on the medians alone');
    // 3 vs 3 can reach exactly 0.05
    expect(evaluate(bound('max_increase', '5%'), { candidate: [120, 121, 122], baseline: [100, 101, 102] }, ALPHA).significant).toBe(true);
    // one candidate against 19 baseline samples can too (p = 1/20)
    const baseline = Array.from({ length: 19 }, (_, i) => 100 + i / 10);
    expect(evaluate(bound('max_increase', '5%'), { candidate: [130], baseline }, ALPHA)).toMatchObject({ significant: true, passed: false });
    expect(evaluate(bound('max_increase', '5%'), { candidate: [130], baseline: baseline.slice(1) }, ALPHA).noTest).toBe('too-few');
  });

  it('leaves outliers beyond the IQR fence out of the median, not out of the test', () => {
    const e = evaluate(bound('max_increase', '5%'), { candidate: [100, 101, 102, 103, 500], baseline: [100, 101, 102, 103, 104] }, ALPHA);
    expect(e.value).toBe(101.5);
    expect(e.outliers).toEqual({ candidate: 1, baseline: 0 });
    expect(e.passed).toBe(true);
    expect(e.message).toContain('1 outlier(s) beyond the IQR fence left out of the median(s)');
  });

  it('tests absolute bounds with the sign test against the limit', () => {
    const five = evaluate(bound('min', '0.8'), { candidate: [0.71, 0.72, 0.69, 0.7, 0.74], baseline: null }, ALPHA);
    expect(five).toMatchObject({ value: 0.71, beyond: true, significant: true, passed: false });
    expect(five.test).toMatchObject({ name: 'sign test', statistic: 0, p: 1 / 32 });
    const noisy = evaluate(bound('min', '0.8'), { candidate: [0.5, 0.75, 0.78, 0.9, 0.95, 0.99], baseline: null }, ALPHA);
    expect(noisy).toMatchObject({ value: expect.closeTo(0.84, 12), beyond: false, passed: true }); // median (0.78 + 0.9) / 2
    const below = evaluate(bound('min', '0.8'), { candidate: [0.5, 0.6, 0.7, 0.78, 0.9, 0.95], baseline: null }, ALPHA);
    expect(below).toMatchObject({ value: expect.closeTo(0.74, 12), beyond: true, significant: false, passed: true });
    expect(below.test!.p).toBeCloseTo(22 / 64, 12); // 2 of 6 above: P(K <= 2) = (1 + 6 + 15) / 64
    const four = evaluate(bound('min', '0.8'), { candidate: [0.71, 0.72, 0.69, 0.7], baseline: null }, ALPHA);
    expect(four).toMatchObject({ noTest: 'too-few', passed: false }); // 1/16 > 0.05
  });
});

describe('seeded trials', () => {
  const draw = normalSampler(99);

  it('samples from one distribution fail a 0% rule in no more than about 5% of 1000 trials', () => {
    let failures = 0;
    for (let t = 0; t < 1000; t++) {
      const e = evaluate(bound('max_increase', '0%'), { candidate: sample(draw, 10, 100, 10), baseline: sample(draw, 10, 100, 10) }, ALPHA);
      if (!e.passed) failures++;
    }
    expect(failures / 1000).toBeLessThanOrEqual(0.08);
  });

  it('a 5% rule on samples with 15% noise raises a false alarm in about 5% of trials, where a one-point check does in over a third', () => {
    let failures = 0;
    let onePoint = 0;
    for (let t = 0; t < 1000; t++) {
      const candidate = sample(draw, 10, 100, 15);
      const baseline = sample(draw, 10, 100, 15);
      if (!evaluate(bound('max_increase', '5%'), { candidate, baseline }, ALPHA).passed) failures++;
      if (!evaluate(bound('max_increase', '5%'), { candidate: candidate.slice(0, 1), baseline: baseline.slice(0, 1) }, ALPHA).passed) onePoint++;
    }
    expect(failures / 1000).toBeLessThanOrEqual(0.08);
    expect(onePoint / 1000).toBeGreaterThan(0.3);
  });

  it('a real 20% shift over 10 vs 10 samples with 10% noise fails', () => {
    const e = evaluate(bound('max_increase', '5%'), { candidate: sample(draw, 10, 120, 10), baseline: sample(draw, 10, 100, 10) }, ALPHA);
    expect(e).toMatchObject({ beyond: true, significant: true, passed: false });
    let caught = 0;
    let caughtFew = 0;
    for (let t = 0; t < 1000; t++) {
      if (!evaluate(bound('max_increase', '5%'), { candidate: sample(draw, 10, 120, 10), baseline: sample(draw, 10, 100, 10) }, ALPHA).passed) caught++;
      if (!evaluate(bound('max_increase', '5%'), { candidate: sample(draw, 3, 120, 10), baseline: sample(draw, 5, 100, 10) }, ALPHA).passed) caughtFew++;
    }
    expect(caught / 1000).toBeGreaterThanOrEqual(0.95);
    expect(caughtFew / 1000).toBeGreaterThanOrEqual(0.5); // 3 runs against 5 baseline samples: less power, still most of the time
  });
});
