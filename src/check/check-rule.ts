/**
 * A rule with everything it needs to be judged: where its candidate runs, its baseline, its
 * synchronous run (compare.* metrics) and its spec (predict.* metrics) come from. Command-line
 * flags and rules files both give these.
 */
import type { GroupBy } from '../analysis/intervals.js';
import type { InputError } from '../errors.js';
import type { RunFilter } from '../run/run-filter.js';
import type { Rule } from './rules.js';
import type { RunSelector } from './selectors.js';

export interface CheckRule extends Rule {
  /** The candidate runs; null for predict.* metrics, which need none. */
  runs: RunSelector | null;
  /** Baseline file; needed by max_increase / max_decrease. */
  baseline: string | null;
  /** The synchronous run (id or label of one run) that compare.* metrics compare each candidate with. */
  sync: string | null;
  /** The spec file predict.* metrics predict. */
  spec: string | null;
  /** Grouping of the analyses; null: the baseline's, else by type. */
  by: GroupBy | null;
  /** A baseline of stored runs instead of a file (`--history LABEL`); null otherwise. */
  history?: HistoryBaseline | null;
}

/** `--history LABEL [--where ...] [--window N] [--fail-on ...]`: the baseline is the runs stored before the candidate. */
export interface HistoryBaseline {
  label: string;
  /** --where / --since: which runs of the label count (the candidate's runs need not match). */
  filter: RunFilter;
  /** How many runs before the candidate. */
  window: number;
  /** `candidate`: the Mann-Whitney check of the candidate against the window; `change-point`: E-Divisive over both. */
  failOn: 'candidate' | 'change-point';
}

export const DEFAULT_WINDOW = 20;

export interface CheckSettings {
  /** Significance level, in (0, 0.5]. */
  alpha: number;
  /** Refuse (exit 2) to judge a rule with fewer candidate runs or baseline samples than this. */
  minSamples: number;
  /** Report failures without failing the check. */
  informational: boolean;
}

export const DEFAULT_SETTINGS: CheckSettings = { alpha: 0.05, minSamples: 1, informational: false };

/** A significance level: above 0, at most 0.5 (`fail` builds the error with its context). */
export function alphaValue(value: unknown, fail: (problem: string) => InputError): number {
  if (typeof value !== 'number' || !(value > 0 && value <= 0.5)) throw fail(`${JSON.stringify(value)}: expected a significance level above 0 and at most 0.5, e.g. 0.05`);
  return value;
}
