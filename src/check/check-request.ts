/**
 * A check as the command line asks for it: the candidate runs (RUN, --repeats), bounds in the
 * order given, what relative and model metrics compare with (--baseline, --sync, --spec, --by), a
 * rules file and the settings. `checkRequest` turns it into rules and settings and runs them: the
 * rules file's rules first, each completed by what the command line names (a rule's own choice
 * wins), then one rule per bound flag; flags override the file's settings.
 */
import type { GroupBy } from '../analysis/intervals.js';
import { InputError } from '../errors.js';
import { ciClues, type Environment } from '../provenance/ci-environment.js';
import { redactUrl } from '../provenance/redact.js';
import { parseSince, parseWhere, type RunFilter } from '../run/run-filter.js';
import { selectorFromArgs } from './candidates-flag.js';
import { alphaValue, DEFAULT_SETTINGS, DEFAULT_WINDOW, type CheckRule, type CheckSettings, type HistoryBaseline } from './check-rule.js';
import { BOUND_FLAG, BOUND_KINDS, ruleFromFlag, type BoundKind } from './rules.js';
import { runCheck, type CheckContext, type CheckReport } from './run-check.js';

export interface CheckRequest {
  /** RUN: an id or label (with --repeats, the label whose latest runs are judged). */
  run?: string;
  repeats?: number;
  /** --rules FILE. */
  rulesFile?: string;
  baseline?: string;
  sync?: string;
  spec?: string;
  by?: GroupBy;
  /** The bound flags, in the order given on the command line (see `boundsInOrder`). */
  bounds: readonly BoundFlag[];
  /** --alpha as typed. */
  alpha?: string;
  minSamples?: number;
  informational: boolean;
  /** --history LABEL: the baseline is the runs of LABEL stored before the candidate. */
  history?: string;
  /** --where KEY=VALUE and --since, as typed: which runs of the history count. */
  where?: readonly string[];
  since?: string;
  window?: number;
  failOn?: 'candidate' | 'change-point';
  /** --this-job: the candidate is the runs of RUN this CI job stored (its job URL, from the environment). */
  thisJob?: boolean;
  /** The environment to find this job in (tests pass their own). */
  env?: Environment;
}

/** One `--min`, `--max`, `--max-increase` or `--max-decrease METRIC=VALUE`. */
export interface BoundFlag {
  kind: BoundKind;
  value: string;
}

/** Plans the check and judges it. Problems that make it impossible to judge are InputErrors (exit 2). */
export async function checkRequest(request: CheckRequest, context: CheckContext): Promise<CheckReport> {
  const { rules, settings } = await planCheck(request, context.warn);
  return runCheck(rules, settings, context);
}

/** The rules and settings of a request. */
export async function planCheck(request: CheckRequest, warn: (message: string) => void): Promise<{ rules: CheckRule[]; settings: CheckSettings }> {
  const history = historyOf(request);
  const candidates = selectorFromArgs({ run: request.run, repeats: request.repeats, history: history?.label, filter: request.thisJob ? thisJobFilter(request.env ?? process.env) : undefined });
  const given = { baseline: request.baseline ?? null, sync: request.sync ?? null, spec: request.spec ?? null, by: request.by ?? null, history };

  const rules: CheckRule[] = [];
  let fileSettings: Partial<CheckSettings> = {};
  if (request.rulesFile !== undefined) {
    const { readRulesFile } = await import('./rules-file.js'); // the YAML parser loads only for a rules file
    const file = readRulesFile(request.rulesFile);
    fileSettings = file.settings;
    for (const rule of file.rules) {
      rules.push({
        ...rule,
        runs: rule.runs ?? candidates,
        baseline: rule.baseline ?? given.baseline,
        sync: rule.sync ?? given.sync,
        spec: rule.spec ?? given.spec,
        by: rule.by ?? given.by,
        history: rule.baseline === null ? given.history : null,
      });
    }
    if (candidates !== null && file.rules.every((r) => r.runs !== null || r.metric.source === 'predict')) {
      warn(`${request.run} is not checked: every rule of ${request.rulesFile} names its own runs`);
    }
  }
  for (const { kind, value } of request.bounds) rules.push({ ...ruleFromFlag(kind, value), runs: candidates, ...given });
  if (rules.length === 0) throw new InputError('no rules to check: give bounds (--max-increase makespan_s=5%, --min utilization.gpu=0.80, ...) or --rules FILE');

  const settings: CheckSettings = {
    alpha: request.alpha !== undefined ? alphaValue(Number(request.alpha), (p) => new InputError(`--alpha ${request.alpha}: ${p}`)) : (fileSettings.alpha ?? DEFAULT_SETTINGS.alpha),
    minSamples: request.minSamples ?? fileSettings.minSamples ?? DEFAULT_SETTINGS.minSamples,
    informational: request.informational || (fileSettings.informational ?? DEFAULT_SETTINGS.informational),
  };
  return { rules, settings };
}

/**
 * The bound flags in the order they were given on the command line (`argv`), which oclif's
 * parsed flags do not keep across flags: rules are reported in the order the user wrote them.
 */
export function boundsInOrder(argv: readonly string[], given: Partial<Record<BoundKind, readonly string[]>>): BoundFlag[] {
  const position = (kind: BoundKind, value: string) => {
    const flag = `--${BOUND_FLAG[kind]}`;
    const at = argv.findIndex((token, i) => (token === flag && argv[i + 1] === value) || token === `${flag}=${value}`);
    return at < 0 ? Infinity : at;
  };
  const bounds = BOUND_KINDS.flatMap((kind) => (given[kind] ?? []).map((value) => ({ kind, value, at: position(kind, value) })));
  bounds.sort((a, b) => a.at - b.at);
  return bounds.map(({ kind, value }) => ({ kind, value }));
}

/** The history baseline the flags ask for; null without --history (its companions are then refused). */
function historyOf(request: CheckRequest): HistoryBaseline | null {
  const { history, where = [], since, window, failOn } = request;
  if (history === undefined) {
    const stray = [where.length > 0 && '--where', since !== undefined && '--since', window !== undefined && '--window', failOn !== undefined && '--fail-on'].filter(Boolean);
    if (stray.length > 0) throw new InputError(`${stray.join(', ')} select the runs of a history: give --history LABEL`);
    return null;
  }
  if (history.trim() === '') throw new InputError('--history must name a label');
  if (request.baseline !== undefined) throw new InputError('--history and --baseline are two baselines: give one');
  const filter: RunFilter = { where: where.map(parseWhere), since: since === undefined ? null : parseSince(since, new Date()) };
  if (window !== undefined && !(Number.isInteger(window) && window >= 1)) throw new InputError(`--window ${window}: give a number of runs, at least 1`);
  return { label: history, filter, window: window ?? DEFAULT_WINDOW, failOn: failOn ?? 'candidate' };
}

/** --this-job: the runs whose job URL is this CI job's, as ingest recorded it. */
function thisJobFilter(env: Environment): RunFilter {
  const jobUrl = ciClues(env).job_url;
  if (jobUrl === undefined) throw new InputError('--this-job: no CI job found in the environment (GitHub Actions or GitLab CI): name the runs instead (RUN, --repeats N)');
  return { where: [{ field: 'job_url', value: redactUrl(jobUrl) }], since: null };
}
