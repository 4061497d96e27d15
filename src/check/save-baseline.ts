/**
 * Saving a baseline: what a run (or a label's repeated runs) measured, `analyze --json` of each,
 * with `compare --json` against a synchronous run and the prediction of a spec when asked, written
 * to a versioned file (baseline.ts) that `check` compares later runs with.
 */
import type { GroupBy } from '../analysis/intervals.js';
import { analyzeStoredRun } from '../analysis/stored-run.js';
import type { ComparisonJson } from '../model/compare.js';
import { InputError } from '../errors.js';
import type { Store } from '../store/store.js';
import { makeBaseline, writeBaselineFile, type Baseline } from './baseline.js';
import { selectorFromArgs } from './candidates-flag.js';
import { loadModel } from './model-loader.js';
import { selectTargets } from './selectors.js';

export interface BaselineRequest {
  /** The run, or the label whose runs are the samples. */
  run: string;
  /** The latest N runs of the label. */
  repeats?: number;
  by: GroupBy;
  /** Also compare each sample with this synchronous run. */
  sync?: string;
  /** Also save the prediction of this spec file. */
  spec?: string;
  /** The baseline file to write. */
  out: string;
  /** The running asyncscope's version, and the time, recorded in the file. */
  version: string;
  created: Date;
}

export interface BaselineContext {
  store: () => Promise<Store>;
  warn: (message: string) => void;
}

/** Measures the runs, writes the baseline file and returns what it holds. */
export async function saveBaseline(request: BaselineRequest, context: BaselineContext): Promise<Baseline> {
  const { by } = request;
  const model = request.sync !== undefined || request.spec !== undefined ? await loadModel() : null;
  const predict = request.spec === undefined ? null : model!.prediction(request.spec);
  const store = await context.store();
  const runs = (await selectTargets(store, selectorFromArgs({ run: request.run, repeats: request.repeats })!)).flatMap((t) => t.runs);
  const syncRun = request.sync === undefined ? null : await store.resolveRun(request.sync);
  const syncData = syncRun && (await model!.runData(store, syncRun));
  const samples = [];
  for (const run of runs) {
    const analysis = await analyzeStoredRun(store, run, { by });
    for (const warning of analysis.warnings) context.warn(`${run.id}: ${warning}`);
    if (analysis.json.makespan_s === null) context.warn(`${run.id}: nothing to measure (${analysis.json.note}): rules on its figures will refuse to judge`);
    let compare: ComparisonJson | null = null;
    if (syncData) {
      if (syncRun!.pk === run.pk) throw new InputError(`--sync ${request.sync} is the run being saved: give the synchronous run of the same workflow`);
      const comparison = model!.compare(syncData, await model!.runData(store, run));
      for (const warning of comparison.warnings) context.warn(warning);
      compare = model!.comparisonJson(comparison);
    }
    samples.push({ id: run.id, label: run.label, mode: run.mode, analyze: analysis.json, compare });
  }
  const baseline = makeBaseline({
    asyncscopeVersion: request.version,
    created: request.created,
    run: request.run,
    by,
    samples,
    syncRun: syncRun?.id ?? null,
    spec: request.spec ?? null,
    predict,
  });
  writeBaselineFile(request.out, baseline);
  return baseline;
}
