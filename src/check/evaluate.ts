/**
 * The verdict of one rule on the samples of a metric: the candidate's values (one per run) and,
 * for relative rules, the baseline's.
 *
 * A rule fails when the candidate is beyond its limit AND, when there are repeats to judge noise
 * by, the difference is significant:
 *
 * 1. The candidate's value is the **median** of its runs, after leaving out outliers beyond
 *    Tukey's **IQR fence** (with 4 runs or more); the baseline's likewise.
 * 2. The **limit**: the threshold for `min`/`max`; the baseline's median moved by the threshold
 *    for `max_increase`/`max_decrease`. The value is **beyond** the limit when it is on its bad side.
 * 3. **Significance**, when there are repeats:
 *    - relative rules: the one-sided **Mann-Whitney U** test of all candidate values against all
 *      baseline values, in the rule's bad direction (is the candidate larger, for max_increase?);
 *    - absolute rules: the one-sided **sign test** of the candidate values against the limit.
 *    Significant when p <= alpha. With one value on each side (or a single candidate run for an
 *    absolute rule) there is no test: the rule judges the values alone, like any threshold check.
 *    When the samples are too few for the test ever to reach alpha (3 vs 3 can give p = 0.05 at
 *    best, 2 vs 2 only 0.167), there is no test either, and the message says so; `--min-samples`
 *    refuses such checks instead.
 * 4. The rule **fails** when the value is beyond the limit and the test, if any, is significant.
 *    Beyond the limit but not significant passes, and the message says it was taken for noise.
 *
 * With three runs or more on each side, the message also gives a seeded bootstrap 95 %
 * confidence interval of the change of the median (how large the change could be).
 */
import { median } from 'simple-statistics';
import { pValue, signed } from '../text/numbers.js';
import { formatValue, type MetricUnit } from './metrics.js';
import { badWhenLarger, isBeyond, isRelative, limitOf, type Bound } from './rules.js';
import { bootstrapInterval, type Interval } from './statistics/bootstrap.js';
import { iqrFence } from './statistics/iqr-fence.js';
import { mannWhitney, smallestExactP } from './statistics/mann-whitney.js';
import { signTest, smallestSignP } from './statistics/sign-test.js';

export interface Samples {
  /** One value per candidate run (or the single prediction of a spec). */
  candidate: readonly number[];
  /** One value per baseline sample; null without a baseline. */
  baseline: readonly number[] | null;
}

export interface EvaluateOptions {
  /** Significance level of the tests, in (0, 0.5]. */
  alpha: number;
  unit?: MetricUnit;
  /** Bootstrap seed, so that the interval is the same on every run. */
  seed?: number;
}

export interface TestOutcome {
  /** E-Divisive: a change point among the last runs of a history (change-point.ts). */
  name: 'Mann-Whitney U' | 'sign test' | 'E-Divisive';
  /** U of the candidate (Mann-Whitney), or the number of values above the limit (sign test). */
  statistic: number;
  p: number;
  method: 'exact' | 'normal' | 'permutation';
}

export interface Evaluation {
  /** Median of the candidate values inside the IQR fence. */
  value: number;
  /** Median of the baseline values inside the fence; null without a baseline. */
  baseline: number | null;
  limit: number;
  beyond: boolean;
  /** The test's verdict; null when no test was made (see `noTest`). */
  significant: boolean | null;
  passed: boolean;
  test: TestOutcome | null;
  /** Why no test was made: 'single' (one value each), 'too-few' (the test could not reach alpha). */
  noTest: 'single' | 'too-few' | null;
  candidateRuns: number;
  baselineSamples: number;
  outliers: { candidate: number; baseline: number };
  /** Bootstrap interval of the change (relative when the threshold is a percentage). */
  interval: Interval | null;
  message: string;
}

export const BOOTSTRAP_MIN_SAMPLES = 3;

export function evaluate(bound: Bound, samples: Samples, options: EvaluateOptions): Evaluation {
  const { alpha } = options;
  const unit = options.unit ?? 'number';
  const relative = isRelative(bound.kind);
  const candidate = samples.candidate;
  const base = relative ? samples.baseline : null;
  if (candidate.length === 0) throw new RangeError('no candidate values to judge');
  if (relative && (base === null || base.length === 0)) throw new RangeError(`a ${bound.kind} rule needs baseline values`);

  const fencedCandidate = iqrFence(candidate);
  // An absolute rule shows the baseline too, when there is one, but does not judge by it.
  const fencedBaseline = samples.baseline && samples.baseline.length > 0 ? iqrFence(samples.baseline) : null;
  const value = median(fencedCandidate.kept);
  const baseline = fencedBaseline ? median(fencedBaseline.kept) : null;
  const limit = limitOf(bound, relative ? baseline : null);
  const beyond = isBeyond(bound.kind, value, limit);
  const alternative = badWhenLarger(bound.kind) ? 'greater' : 'less';

  let test: TestOutcome | null = null;
  let noTest: Evaluation['noTest'] = null;
  let smallest = 0;
  if (relative && base) {
    if (candidate.length === 1 && base.length === 1) noTest = 'single';
    else if ((smallest = smallestExactP(candidate.length, base.length)) > alpha) noTest = 'too-few';
    else {
      const r = mannWhitney(candidate, base, alternative);
      test = { name: 'Mann-Whitney U', statistic: r.u, p: r.p, method: r.method };
    }
  } else if (candidate.length === 1) {
    noTest = 'single';
  } else if ((smallest = smallestSignP(candidate.length)) > alpha) {
    noTest = 'too-few';
  } else {
    const r = signTest(candidate, limit, alternative);
    test = { name: 'sign test', statistic: r.above, p: r.p, method: 'exact' };
  }
  const significant = test ? test.p <= alpha : null;
  const passed = !(beyond && significant !== false);

  let interval: Interval | null = null;
  if (relative && base && candidate.length >= BOOTSTRAP_MIN_SAMPLES && base.length >= BOOTSTRAP_MIN_SAMPLES) {
    const asPercent = bound.threshold.unit === 'relative';
    interval = bootstrapInterval(
      base,
      candidate,
      (b, c) => {
        const mb = median(b);
        const change = median(c) - mb;
        return asPercent ? change / Math.abs(mb) : change;
      },
      { seed: options.seed ?? 1, resamples: 1000 },
    );
  }

  const evaluation: Evaluation = {
    value,
    baseline,
    limit,
    beyond,
    significant,
    passed,
    test,
    noTest,
    candidateRuns: candidate.length,
    baselineSamples: samples.baseline?.length ?? 0,
    outliers: { candidate: fencedCandidate.outliers.length, baseline: relative ? (fencedBaseline?.outliers.length ?? 0) : 0 },
    interval,
    message: '',
  };
  evaluation.message = describe(bound, evaluation, { alpha, unit, smallest });
  return evaluation;
}

/**
 * The one-line reason: what was compared, how far it moved, against which limit, and what the
 * statistics said.
 */
function describe(bound: Bound, e: Evaluation, o: { alpha: number; unit: MetricUnit; smallest: number }): string {
  const f = (v: number) => formatValue(o.unit, v);
  const relative = isRelative(bound.kind);
  const parts: string[] = [];
  const value = e.candidateRuns > 1 ? `median ${f(e.value)} of ${e.candidateRuns} runs` : f(e.value);

  if (relative && e.baseline !== null) {
    const base = e.baselineSamples > 1 ? `baseline median ${f(e.baseline)} of ${e.baselineSamples} samples` : `baseline ${f(e.baseline)}`;
    let what = `${value} vs ${base}: ${changeText(bound, e.value - e.baseline, e.baseline, o.unit)}`;
    if (e.interval) {
      const ci = (v: number) => changeText(bound, v, null, o.unit, true);
      what += ` (${Math.round(e.interval.level * 100)}% CI ${ci(e.interval.low)} to ${ci(e.interval.high)})`;
    }
    const sign = bound.kind === 'max_increase' ? '+' : '-';
    const limitText = `${sign}${bound.threshold.text.replace(/^[+-]/, '')}`;
    parts.push(`${what}, ${e.beyond ? 'beyond' : 'within'} ${limitText} (limit ${f(e.limit)})`);
  } else {
    const side = bound.kind === 'min' ? (e.beyond ? 'below the minimum' : 'at or above the minimum') : e.beyond ? 'above the maximum' : 'at or below the maximum';
    parts.push(`${value} is ${side} ${f(e.limit)}`);
  }

  const outliers = e.outliers.candidate + e.outliers.baseline;
  if (outliers > 0) parts.push(`${outliers} outlier(s) beyond the IQR fence left out of the median(s)`);

  if (e.test) {
    const verdict = `${e.test.name} p ${pValue(e.test.p)} ${e.test.p <= o.alpha ? '<=' : '>'} alpha ${o.alpha}`;
    if (e.beyond) parts.push(e.significant ? `significant (${verdict})` : `but not significant (${verdict}): taken for noise, passed`);
    else if (e.significant) parts.push(`a significant change (${verdict}), within the limit`);
  } else if (e.noTest === 'too-few') {
    const sizes = relative ? `${e.candidateRuns} runs and ${e.baselineSamples} baseline samples` : `${e.candidateRuns} runs`;
    parts.push(`too few runs for a test at alpha ${o.alpha} (${sizes} give p = ${Number(o.smallest.toPrecision(2))} at best): judged on the median${relative ? 's' : ''} alone`);
  }
  return parts.join('; ');
}

/** `+35.1%` for a percentage threshold, `-22.5pp` for points, else the signed change in the metric's unit. */
function changeText(bound: Bound, change: number, baseline: number | null, unit: MetricUnit, alreadyRelative = false): string {
  const t = bound.threshold;
  if (t.unit === 'relative') {
    const fraction = alreadyRelative ? change : baseline === null || baseline === 0 ? null : change / Math.abs(baseline);
    if (fraction !== null) return signed(`${(Math.abs(fraction) * 100).toFixed(1)}%`, fraction);
    return `${signed(formatValue(unit, Math.abs(change)), change)} (the baseline is 0)`;
  }
  if (/pp$/i.test(t.text)) return signed(`${(Math.abs(change) * 100).toFixed(1)}pp`, change);
  return signed(formatValue(unit, Math.abs(change)), change);
}
