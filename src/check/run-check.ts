/**
 * The check, from rules to verdicts: for every rule and every candidate it selects, read the
 * metric's values (one per candidate run, from the store; one per baseline sample, from the
 * baseline file), refuse what cannot be judged, and evaluate. This and save-baseline.ts are the
 * parts of src/check that read the store and files; the rest is pure.
 *
 * Every problem that makes a rule impossible to judge (an unknown run or group, a figure that
 * was not measured, a relative rule without a baseline, fewer samples than --min-samples) is an
 * InputError (exit 2), raised before any verdict is printed.
 */
import type { GroupBy } from '../analysis/intervals.js';
import { analyzeStoredRun } from '../analysis/stored-run.js';
import { InputError } from '../errors.js';
import type { ComparisonJson } from '../model/compare.js';
import type { PredictionJson } from '../model/predict.js';
import { shortCommit } from '../run/provenance.js';
import type { StoredRun } from '../run/stored-run.js';
import type { Store } from '../store/store.js';
import { filterText } from '../run/run-filter.js';
import { readBaselineFile, type Baseline } from './baseline.js';
import { evaluateChangePoint } from './change-point.js';
import type { CheckRule, CheckSettings, HistoryBaseline } from './check-rule.js';
import { evaluate, type Evaluation } from './evaluate.js';
import { metricValue, type MetricUnit } from './metrics.js';
import { loadModel, type Model } from './model-loader.js';
import { BOUND_FLAG, isRelative } from './rules.js';
import { selectTargets, type Target } from './selectors.js';

export interface CheckContext {
  /** The store, opened when a rule first needs runs. */
  store: () => Promise<Store>;
  /** The running asyncscope's version (baselines of other format versions are refused). */
  version: string;
  warn: (message: string) => void;
}

/** One rule judged on one candidate. */
export interface CheckOutcome {
  rule: CheckRule;
  /** The candidate: a label, a run id, or `spec FILE`. */
  run: string;
  unit: MetricUnit;
  evaluation: Evaluation;
  /** Reported without failing the check (the rule's own setting, or --informational). */
  informational: boolean;
  /** The evaluation's message, and for an informational failure that it does not fail the check. */
  message: string;
}

export interface CheckReport {
  outcomes: CheckOutcome[];
  /** No rule failed that counts: the exit code is 0. */
  passed: boolean;
  settings: CheckSettings;
}

export async function runCheck(rules: readonly CheckRule[], settings: CheckSettings, context: CheckContext): Promise<CheckReport> {
  const model = rules.some((r) => r.metric.source !== 'analyze') ? await loadModel() : null;
  const sources = new Sources(context, model);
  const outcomes: CheckOutcome[] = [];
  for (const rule of rules) {
    const label = `rule "${rule.name}"`;
    const history = rule.history ?? null;
    const baseline = rule.baseline === null || history ? null : sources.baseline(rule.baseline);
    if (isRelative(rule.bound.kind) && baseline === null && !history) {
      throw new InputError(`${label}: --${BOUND_FLAG[rule.bound.kind]} compares with a baseline: give --baseline FILE or --history LABEL (or baseline: in the rules file)`);
    }
    if (history && rule.metric.source === 'predict') throw new InputError(`${label}: ${rule.metric.text} is a prediction: a history of runs has none to compare with`);
    const by = history ? (rule.by ?? 'type') : groupingOf(rule, baseline, label);
    for (const candidate of await candidatesOf(rule, sources, label)) {
      const values = await candidate.values(by);
      if (history) {
        outcomes.push(await judgeAgainstHistory(rule, history, candidate, values, by, settings, sources, label));
        continue;
      }
      const baselineValues = baseline ? baselineValuesFor(rule, baseline, label) : null;
      if (rule.metric.source !== 'predict') {
        if (values.length < settings.minSamples) {
          throw new InputError(
            `${label}: ${candidate.name} has ${values.length} run(s), fewer than --min-samples ${settings.minSamples}: run the benchmark more times (same label), or lower --min-samples`,
          );
        }
        if (isRelative(rule.bound.kind) && baselineValues && baselineValues.length < settings.minSamples) {
          throw new InputError(
            `${label}: baseline ${rule.baseline} holds ${baselineValues.length} sample(s), fewer than --min-samples ${settings.minSamples}: save it from more runs (asyncscope baseline save LABEL)`,
          );
        }
      }
      const evaluation = evaluate(rule.bound, { candidate: values, baseline: baselineValues }, { alpha: settings.alpha, unit: rule.metric.unit });
      const informational = rule.informational || settings.informational;
      const message = !evaluation.passed && informational ? `${evaluation.message}; informational: does not fail the check` : evaluation.message;
      outcomes.push({ rule, run: candidate.name, unit: rule.metric.unit, evaluation, informational, message });
    }
  }
  const passed = outcomes.every((o) => o.evaluation.passed || o.informational);
  return { outcomes, passed, settings };
}

interface Candidate {
  name: string;
  /** The candidate's runs (none for a prediction). */
  runs: StoredRun[];
  /** The metric's value per run (grouping `by`). */
  values: (by: GroupBy) => Promise<number[]>;
}

/**
 * `--history LABEL`: the baseline is the last `window` runs of the label that match the filter and
 * were stored before the candidate's first run (the candidate's own runs left out). Runs that did
 * not measure the metric are left out of it, with a warning.
 */
async function judgeAgainstHistory(
  rule: CheckRule,
  history: HistoryBaseline,
  candidate: Candidate,
  values: number[],
  by: GroupBy,
  settings: CheckSettings,
  sources: Sources,
  label: string,
): Promise<CheckOutcome> {
  const store = await sources.store();
  const own = new Set(candidate.runs.map((r) => r.pk));
  const first = Math.min(...candidate.runs.map((r) => r.pk));
  const before = (await store.findRuns(history.filter, history.label)).filter((r) => r.pk < first && !own.has(r.pk));
  const chosen = before.slice(-history.window);
  const runs: StoredRun[] = [];
  const baselineValues: number[] = [];
  for (const run of chosen) {
    let value: { value: number | null; note: string | null };
    try {
      value = await sources.metricOf(rule, run, by);
    } catch (error) {
      // An older run without the group a metric names, say: not part of this baseline.
      if (!(error instanceof InputError)) throw error;
      value = { value: null, note: error.message };
    }
    if (value.value === null) {
      sources.warn(`${label}: ${run.id} of the history did not measure ${rule.metric.text}${value.note ? ` (${value.note})` : ''}: left out of the baseline`);
      continue;
    }
    runs.push(run);
    baselineValues.push(value.value);
  }
  const filters = filterText(history.filter);
  const text = `${runs.length} run${runs.length === 1 ? '' : 's'} of ${history.label} before the candidate${filters.length > 0 ? ` (${filters.join(', ')})` : ''}`;
  if (baselineValues.length === 0) {
    throw new InputError(`${label}: no run of ${history.label}${filters.length > 0 ? ` with ${filters.join(', ')}` : ''} was stored before ${candidate.name}: nothing to compare with (see asyncscope runs --where label=${history.label})`);
  }
  if (values.length < settings.minSamples) {
    throw new InputError(`${label}: ${candidate.name} has ${values.length} run(s), fewer than --min-samples ${settings.minSamples}: run the benchmark more times (same label), or lower --min-samples`);
  }
  if (isRelative(rule.bound.kind) && baselineValues.length < settings.minSamples) {
    throw new InputError(`${label}: the history holds ${text}, fewer than --min-samples ${settings.minSamples}: store more runs, widen --window or the --where filter, or lower --min-samples`);
  }
  const byChangePoint = history.failOn === 'change-point' && isRelative(rule.bound.kind);
  const evaluation = byChangePoint
    ? evaluateChangePoint(rule.bound, { baseline: baselineValues, candidate: values, names: [...runs, ...candidate.runs].map(runName) }, { unit: rule.metric.unit })
    : evaluate(rule.bound, { candidate: values, baseline: baselineValues }, { alpha: settings.alpha, unit: rule.metric.unit });
  const informational = rule.informational || settings.informational;
  const judged = `${evaluation.message}; baseline: ${text}`;
  const message = !evaluation.passed && informational ? `${judged}; informational: does not fail the check` : judged;
  return { rule, run: candidate.name, unit: rule.metric.unit, evaluation, informational, message };
}

/** `run-20 (commit 1f2a901)`: how a change point names the run it began at. */
function runName(run: StoredRun): string {
  const commit = run.provenance.commit;
  if (commit === null) return run.id;
  return `${run.id} (commit ${shortCommit(commit)})`;
}

async function candidatesOf(rule: CheckRule, sources: Sources, label: string): Promise<Candidate[]> {
  const metric = rule.metric;
  if (metric.source === 'predict') {
    if (rule.spec === null) throw new InputError(`${label}: ${metric.text} is a prediction: give the spec to predict (--spec FILE, or spec: in the rules file)`);
    const spec = rule.spec;
    return [{ name: `spec ${spec}`, runs: [], values: async () => [required(metricValue(metric, { predict: sources.prediction(spec) }, `spec ${spec}`), `spec ${spec}`, metric.text)] }];
  }
  if (rule.runs === null) throw new InputError(`${label}: which runs does it judge? give RUN (or runs: in the rules file)`);
  const store = await sources.store();
  const targets: Target[] = await selectTargets(store, rule.runs);
  if (metric.source === 'compare') {
    if (rule.sync === null) throw new InputError(`${label}: ${metric.text} compares a synchronous run with each candidate: give --sync RUN (or sync: in the rules file)`);
    const syncRun = await store.resolveRun(rule.sync);
    return targets.map((t) => ({
      name: t.name,
      runs: t.runs,
      values: () => mapInOrder(t.runs, async (run) => required(metricValue(metric, { compare: await sources.comparison(syncRun, run) }, `run ${run.id}`), `run ${run.id}`, metric.text)),
    }));
  }
  return targets.map((t) => ({
    name: t.name,
    runs: t.runs,
    values: (by) =>
      mapInOrder(t.runs, async (run) => {
        const analysis = await sources.analysis(run, by);
        return required(metricValue(metric, { analyze: analysis }, `run ${run.id}`), `run ${run.id}`, metric.text, analysis.note);
      }),
  }));
}

/**
 * The baseline's values of the rule's metric. Relative rules need them (an InputError says why
 * they are missing); absolute rules only show them, so a baseline without them shows nothing.
 */
function baselineValuesFor(rule: CheckRule, baseline: { file: string; doc: Baseline }, label: string): number[] | null {
  if (isRelative(rule.bound.kind)) return baselineValuesOf(rule, baseline, label);
  try {
    return baselineValuesOf(rule, baseline, label);
  } catch (error) {
    if (error instanceof InputError) return null;
    throw error;
  }
}

function baselineValuesOf(rule: CheckRule, baseline: { file: string; doc: Baseline }, label: string): number[] {
  const { file, doc } = baseline;
  const metric = rule.metric;
  if (metric.source === 'predict') {
    if (doc.predict === null) throw new InputError(`${label}: baseline ${file} holds no prediction: save it with --spec FILE`);
    return [required(metricValue(metric, { predict: doc.predict }, `baseline ${file}`), `baseline ${file}`, metric.text)];
  }
  return doc.samples.map((sample) => {
    const where = `baseline ${file} (run ${sample.id})`;
    if (metric.source === 'compare' && sample.compare === null) throw new InputError(`${label}: baseline ${file} holds no compare results: save it with --sync RUN`);
    const value = metricValue(metric, { analyze: sample.analyze, compare: sample.compare ?? undefined }, where);
    const note = typeof sample.analyze.note === 'string' ? sample.analyze.note : null;
    return required(value, where, metric.text, note);
  });
}

/** The grouping to analyze candidates by: the rule's, else the baseline's, else by type; a conflict is an error. */
function groupingOf(rule: CheckRule, baseline: { file: string; doc: Baseline } | null, label: string): GroupBy {
  if (baseline && rule.by !== null && rule.by !== baseline.doc.by && (rule.metric.source === 'analyze' || rule.metric.source === 'compare')) {
    throw new InputError(`${label}: grouped by ${rule.by}, but baseline ${baseline.file} was saved grouped by ${baseline.doc.by}: use the same grouping (or save the baseline again with --by ${rule.by})`);
  }
  return rule.by ?? baseline?.doc.by ?? 'type';
}

/** `f` of each item, one after the other (a store reads one thing at a time anyway), results in order. */
async function mapInOrder<T, R>(items: readonly T[], f: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (const item of items) results.push(await f(item));
  return results;
}

function required(value: number | null, where: string, metric: string, note: string | null = null): number {
  if (value === null) throw new InputError(`${where}: ${metric} was not measured${note ? ` (${note})` : ''}: it cannot be checked`);
  return value;
}

/** Loads each baseline, analysis, comparison and prediction once, however many rules read it. */
class Sources {
  private baselines = new Map<string, { file: string; doc: Baseline }>();
  private analyses = new Map<string, Record<string, unknown> & { note: string | null }>();
  private comparisons = new Map<string, ComparisonJson>();
  private predictions = new Map<string, PredictionJson>();

  constructor(
    private readonly context: CheckContext,
    private readonly model: Model | null,
  ) {}

  store(): Promise<Store> {
    return this.context.store();
  }

  warn(message: string): void {
    this.context.warn(message);
  }

  /** The rule's metric of one run (analyze or compare metrics), or null with the reason when not measured. */
  async metricOf(rule: CheckRule, run: StoredRun, by: GroupBy): Promise<{ value: number | null; note: string | null }> {
    const metric = rule.metric;
    if (metric.source === 'compare') {
      if (rule.sync === null) throw new InputError(`rule "${rule.name}": ${metric.text} compares a synchronous run with each run: give --sync RUN (or sync: in the rules file)`);
      const sync = await (await this.store()).resolveRun(rule.sync);
      return { value: metricValue(metric, { compare: await this.comparison(sync, run) }, `run ${run.id}`), note: null };
    }
    const analysis = await this.analysis(run, by);
    return { value: metricValue(metric, { analyze: analysis }, `run ${run.id}`), note: analysis.note };
  }

  baseline(file: string): { file: string; doc: Baseline } {
    let entry = this.baselines.get(file);
    if (!entry) this.baselines.set(file, (entry = { file, doc: readBaselineFile(file, this.context.version) }));
    return entry;
  }

  async analysis(run: StoredRun, by: GroupBy): Promise<Record<string, unknown> & { note: string | null }> {
    const key = `${run.pk}/${by}`;
    let json = this.analyses.get(key);
    if (!json) {
      const analysis = await analyzeStoredRun(await this.store(), run, { by });
      for (const warning of analysis.warnings) this.context.warn(`${run.id}: ${warning}`);
      json = analysis.json as unknown as Record<string, unknown> & { note: string | null };
      this.analyses.set(key, json);
    }
    return json;
  }

  async comparison(sync: StoredRun, run: StoredRun): Promise<ComparisonJson> {
    const key = `${sync.pk}/${run.pk}`;
    let json = this.comparisons.get(key);
    if (!json) {
      const store = await this.store();
      const model = this.model!;
      const comparison = model.compare(await model.runData(store, sync), await model.runData(store, run));
      for (const warning of comparison.warnings) this.context.warn(warning);
      json = this.model!.comparisonJson(comparison);
      this.comparisons.set(key, json);
    }
    return json;
  }

  prediction(spec: string): PredictionJson {
    let json = this.predictions.get(spec);
    if (!json) this.predictions.set(spec, (json = this.model!.prediction(spec)));
    return json;
  }
}

