/**
 * Flags shared by the commands that select runs by provenance (`runs`, `history`,
 * `report --history`): --where and --since; and those of the change-point search (`history`,
 * `report --history`). check has its own (its request is built below the command layer).
 */
import * as Flags from '@oclif/core/flags';
import { InputError } from '../errors.js';
import { E_DIVISIVE_DEFAULTS, type EDivisiveOptions } from '../history/e-divisive.js';
import { parseSince, parseWhere, type RunFilter } from '../run/run-filter.js';

export const runFilterFlags = {
  where: Flags.string({
    description: 'Only runs with KEY=VALUE: id, label, mode, workflow, format, commit (a prefix), commit_title, branch, ci, job_url, host, asyncscope_version, or a --meta key (repeatable: all must hold)',
    helpValue: 'KEY=VALUE',
    multiple: true,
    multipleNonGreedy: true,
  }),
  since: Flags.string({ description: 'Only runs stored since then: 30d, 12h, 2w, or a date (2026-01-31)', helpValue: 'WHEN' }),
};

export function filterFromFlags(flags: { where?: string[]; since?: string }, now = new Date()): RunFilter {
  return { where: (flags.where ?? []).map(parseWhere), since: flags.since === undefined ? null : parseSince(flags.since, now) };
}

export const changePointFlags = {
  alpha: Flags.string({
    description: `Significance level of the change points' permutation test, in (0, 1) [default: ${E_DIVISIVE_DEFAULTS.alpha}]`,
    helpValue: 'P',
    helpGroup: 'CHANGE POINTS',
  }),
  permutations: Flags.integer({ description: `Permutations per test [default: ${E_DIVISIVE_DEFAULTS.permutations}]`, min: 9, max: 9999, helpValue: 'N', helpGroup: 'CHANGE POINTS' }),
  'min-size': Flags.integer({ description: `Fewest runs on either side of a change point [default: ${E_DIVISIVE_DEFAULTS.minSize}]`, min: 2, helpValue: 'N', helpGroup: 'CHANGE POINTS' }),
};

export function changePointOptions(flags: { alpha?: string; permutations?: number; 'min-size'?: number }): EDivisiveOptions {
  let alpha: number | undefined;
  if (flags.alpha !== undefined) {
    alpha = Number(flags.alpha);
    if (flags.alpha.trim() === '' || !(alpha > 0 && alpha < 1)) throw new InputError(`--alpha ${flags.alpha}: give a significance level between 0 and 1, e.g. 0.01`);
  }
  return { alpha, permutations: flags.permutations, minSize: flags['min-size'] };
}
