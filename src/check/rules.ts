/**
 * Rules: a metric and a bound on it.
 *
 *     --min METRIC=VALUE           fails when the value is below VALUE
 *     --max METRIC=VALUE           fails when it is above VALUE
 *     --max-increase METRIC=LIMIT  fails when it rose more than LIMIT over the baseline
 *     --max-decrease METRIC=LIMIT  fails when it fell more than LIMIT below the baseline
 *
 * A threshold is a plain number in the metric's own units (seconds, a fraction, tasks), a
 * percentage, or percentage points:
 * - for `min` and `max`, `80%` is the number 0.80 and `80pp` too: `--min utilization.gpu=80%`;
 * - for `max-increase` and `max-decrease`, `5%` is relative to the baseline (5 % of its value),
 *   `30` is absolute (30 s more makespan) and `5pp` is 0.05 absolute (five percentage points of a
 *   fraction: `--max-decrease utilization.gpu=5pp`).
 */
import { InputError } from '../errors.js';
import { parseMetric, type Metric } from './metrics.js';

export const BOUND_KINDS = ['min', 'max', 'max_increase', 'max_decrease'] as const;
export type BoundKind = (typeof BOUND_KINDS)[number];

/** The flag of each bound kind, as written on the command line. */
export const BOUND_FLAG: Record<BoundKind, string> = { min: 'min', max: 'max', max_increase: 'max-increase', max_decrease: 'max-decrease' };

export interface Threshold {
  /** `relative` only for max_increase / max_decrease written as a percentage: a fraction of the baseline. */
  unit: 'absolute' | 'relative';
  value: number;
  /** As the user wrote it, for names and messages: `5%`, `0.8`, `5pp`. */
  text: string;
}

export interface Bound {
  kind: BoundKind;
  threshold: Threshold;
}

/** A rule as the check evaluates it; where its samples come from is decided by the caller. */
export interface Rule {
  name: string;
  metric: Metric;
  bound: Bound;
  /** Reported without failing the check. */
  informational: boolean;
}

/** Relative bounds need a baseline; absolute ones do not. */
export function isRelative(kind: BoundKind): boolean {
  return kind === 'max_increase' || kind === 'max_decrease';
}

/** True when larger values are the bad direction for this bound (max, max_increase). */
export function badWhenLarger(kind: BoundKind): boolean {
  return kind === 'max' || kind === 'max_increase';
}

/**
 * Parses a threshold: `0.8`, `-5`, `80%`, `5pp`; null when it is not one (the caller names where).
 * Relative rules take no negative thresholds: a "maximum increase of -5 %" would be a required
 * decrease, which `max_decrease` or `max` says plainly.
 */
export function parseThreshold(kind: BoundKind, input: string | number): Threshold | null {
  if (typeof input === 'number') {
    if (!Number.isFinite(input) || (isRelative(kind) && input < 0)) return null;
    return { unit: 'absolute', value: input, text: String(input) };
  }
  const text = input.trim();
  const match = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?)\s*(%|pp)?$/i.exec(text);
  if (!match) return null;
  const number = Number(match[1]);
  if (!Number.isFinite(number)) return null;
  if (isRelative(kind) && number < 0) return null;
  const suffix = match[2]?.toLowerCase();
  if (suffix === '%' && isRelative(kind)) return { unit: 'relative', value: number / 100, text };
  if (suffix === '%' || suffix === 'pp') return { unit: 'absolute', value: number / 100, text };
  return { unit: 'absolute', value: number, text };
}

export const THRESHOLD_HELP = 'a number in the metric\'s units (0.8, 30), a percentage (5%) or percentage points (5pp)';

/**
 * A rule from a command-line flag value `METRIC=THRESHOLD` (split at the last `=`, so a quoted
 * group name may contain one).
 *
 * @example ruleFromFlag('max_increase', 'makespan_s=5%') // => { name: 'makespan_s max-increase 5%', ... }
 */
export function ruleFromFlag(kind: BoundKind, value: string): Rule {
  const at = value.lastIndexOf('=');
  if (at <= 0) throw new InputError(`--${BOUND_FLAG[kind]} ${JSON.stringify(value)}: write METRIC=THRESHOLD, e.g. --${BOUND_FLAG[kind]} ${example(kind)}`);
  const metric = parseMetric(value.slice(0, at).trim());
  const threshold = parseThreshold(kind, value.slice(at + 1));
  if (!threshold) {
    throw new InputError(
      `--${BOUND_FLAG[kind]} ${value}: ${JSON.stringify(value.slice(at + 1))} is not a threshold: give ${THRESHOLD_HELP}${isRelative(kind) ? ', not negative' : ''}`,
    );
  }
  return { name: `${metric.text} ${BOUND_FLAG[kind]} ${threshold.text}`, metric, bound: { kind, threshold }, informational: false };
}

function example(kind: BoundKind): string {
  return { min: 'utilization.gpu=0.80', max: 'makespan_s=1400', max_increase: 'makespan_s=5%', max_decrease: 'asynchronicity.doa=10%' }[kind];
}

/**
 * The value a candidate must not pass: the threshold itself for min/max; for relative bounds the
 * baseline moved by the threshold (a percentage of the baseline's magnitude, so that a negative
 * baseline, like a signed prediction error, still moves the right way).
 *
 * @example limitOf({ kind: 'max_increase', threshold: { unit: 'relative', value: 0.05 } }, 1332.734) // => 1399.371
 */
export function limitOf(bound: Bound, baseline: number | null): number {
  const { kind, threshold } = bound;
  if (!isRelative(kind)) return threshold.value;
  if (baseline === null) throw new Error(`a ${kind} bound needs a baseline`);
  const step = threshold.unit === 'relative' ? Math.abs(baseline) * threshold.value : threshold.value;
  return kind === 'max_increase' ? baseline + step : baseline - step;
}

/** True when the value is on the wrong side of the limit (touching it is within). */
export function isBeyond(kind: BoundKind, value: number, limit: number): boolean {
  return badWhenLarger(kind) ? value > limit : value < limit;
}
