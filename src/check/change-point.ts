/**
 * `check --history LABEL --fail-on change-point`: a relative rule judged by the change points of
 * the history instead of by the latest runs against the runs before them. The series is the
 * baseline window followed by the candidate runs; E-Divisive (src/history/) looks for change
 * points in it, and the last one, if any, is the shift the candidate runs live with:
 *
 *   value    = median of the segment from that change point to the end (the candidate's regime)
 *   baseline = median of the segment before it
 *   limit    = the baseline moved by the rule's threshold (as for any relative rule)
 *
 * The rule fails when the value is beyond the limit: a shift, significant by the permutation
 * test, and larger than the threshold in the rule's bad direction. No change point passes, even
 * when the latest run alone is beyond the limit: one noisy point does not fail the job. The shift
 * shows after `minSize` runs (3 by default) in the new regime.
 */
import { median } from 'simple-statistics';
import type { EDivisiveOptions } from '../history/e-divisive.js';
import { findShifts } from '../history/shifts.js';
import type { Evaluation } from './evaluate.js';
import { pValue, signed } from '../text/numbers.js';
import { formatValue, type MetricUnit } from './metrics.js';
import { badWhenLarger, isBeyond, isRelative, limitOf, type Bound } from './rules.js';

export interface ChangePointSamples {
  /** The window of runs before the candidate, oldest first. */
  baseline: readonly number[];
  /** The candidate runs, oldest first. */
  candidate: readonly number[];
  /** A name per run of baseline + candidate (`#12 run-id, commit 1f2a901`), for the message. */
  names: readonly string[];
}

export function evaluateChangePoint(bound: Bound, samples: ChangePointSamples, options: EDivisiveOptions & { unit?: MetricUnit } = {}): Evaluation {
  if (!isRelative(bound.kind)) throw new RangeError(`a ${bound.kind} rule has no baseline to shift from`);
  const { unit = 'number', ...edivisive } = options;
  const f = (v: number) => formatValue(unit, v);
  const series = [...samples.baseline, ...samples.candidate];
  if (samples.candidate.length === 0 || samples.baseline.length === 0) throw new RangeError('a change-point check needs baseline and candidate runs');
  const { shifts, rejected, options: used } = findShifts(series, edivisive);
  const last = shifts.at(-1);
  const base: Omit<Evaluation, 'value' | 'baseline' | 'limit' | 'beyond' | 'significant' | 'passed' | 'test' | 'noTest' | 'message'> = {
    candidateRuns: samples.candidate.length,
    baselineSamples: samples.baseline.length,
    outliers: { candidate: 0, baseline: 0 },
    interval: null,
  };
  const runs = `${series.length} runs`;
  if (last === undefined) {
    const value = median(samples.candidate as number[]);
    const baseline = median(samples.baseline as number[]);
    const limit = limitOf(bound, baseline);
    const beyond = isBeyond(bound.kind, value, limit);
    const tooShort = series.length < 2 * used.minSize;
    const why = tooShort
      ? `too few runs for change points (${runs}; segments of at least ${used.minSize})`
      : `no change point in the last ${runs} (E-Divisive, strongest candidate p ${pValue(rejected?.p ?? 1)} > alpha ${used.alpha})`;
    const standing = `${samples.candidate.length > 1 ? `median ${f(value)} of ${samples.candidate.length} runs` : f(value)} vs baseline median ${f(baseline)}`;
    return {
      ...base,
      value,
      baseline,
      limit,
      beyond,
      significant: tooShort ? null : false,
      passed: true,
      test: tooShort || rejected === null ? null : { name: 'E-Divisive', statistic: rejected.q, p: rejected.p, method: 'permutation' },
      noTest: tooShort ? 'too-few' : null,
      message: `${why}; ${standing}${beyond ? `, beyond the limit ${f(limit)} but not a shift: taken for noise, passed` : ''}`,
    };
  }
  const value = last.after.median;
  const baseline = last.before.median;
  const limit = limitOf(bound, baseline);
  const beyond = isBeyond(bound.kind, value, limit);
  const change = value - baseline;
  const changeText =
    bound.threshold.unit === 'relative' && baseline !== 0
      ? signed(`${(Math.abs(change / baseline) * 100).toFixed(1)}%`, change)
      : signed(formatValue(unit, Math.abs(change)), change);
  const sign = bound.kind === 'max_increase' ? '+' : '-';
  const where = samples.names[last.index] ?? `run ${last.index + 1} of ${series.length}`;
  const worse = badWhenLarger(bound.kind) ? change > 0 : change < 0;
  const verdict = beyond
    ? `beyond ${sign}${bound.threshold.text.replace(/^[+-]/, '')} (limit ${f(limit)})`
    : `within ${sign}${bound.threshold.text.replace(/^[+-]/, '')} (limit ${f(limit)})${worse ? '' : ': not a regression'}`;
  return {
    ...base,
    value,
    baseline,
    limit,
    beyond,
    significant: true,
    passed: !beyond,
    test: { name: 'E-Divisive', statistic: last.q, p: last.p, method: 'permutation' },
    noTest: null,
    message:
      `change point at ${where} (E-Divisive p ${pValue(last.p)} <= alpha ${used.alpha}, last ${runs}): ` +
      `median ${f(value)} of ${last.after.end - last.after.start} runs since vs ${f(baseline)} of ${last.before.end - last.before.start} before: ${changeText}, ${verdict}`,
  };
}
