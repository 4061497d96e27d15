/**
 * The report's one door to the store: reads the runs, runs the analyzers and the model on them,
 * and returns plain data (report-data.ts). Everything after this step is pure.
 */
import { analyzePrepared, seriesOfRun } from '../analysis/analyze-run.js';
import type { GroupBy } from '../analysis/intervals.js';
import { analyzeStoredRun, prepareStoredRun } from '../analysis/stored-run.js';
import { InputError } from '../errors.js';
import { compareRuns } from '../model/compare.js';
import { loadRunData, storedCriticalPath } from '../model/from-store.js';
import { pairSweep, pairWhatIf } from './what-if-data.js';
import type { WorkflowSpec } from '../model/spec.js';
import type { StoredRun } from '../run/stored-run.js';
import type { Store } from '../store/store.js';
import { predictedTimeline } from './predicted-timeline.js';
import { CRITICAL_PATH_LIMIT, type PairReport, type ReportData, type RunReport, type TimelineData } from './report-data.js';
import { timelineData } from './timeline-data.js';

/** Bins of the concurrency series: with its two lines (mean and peak per bin) and a closing point each, 2,000 points. */
export const SERIES_BINS = 999;

export interface PairRequest {
  sync: StoredRun;
  async: StoredRun;
  /** The asynchronous structure to predict instead of the inferred one. */
  spec?: WorkflowSpec;
  specPath?: string;
  /** Heading of the comparison [default: the runs' workflow, else their labels]. */
  title?: string;
}

export interface ReportRequest {
  /** Runs that get a section of their own, in this order. */
  runs: StoredRun[];
  pairs: PairRequest[];
  by: GroupBy;
  /** Called before each long step (for a progress bar). */
  onStep?: (label: string) => void;
}

export async function gatherReport(store: Store, request: ReportRequest): Promise<ReportData> {
  const warnings: string[] = [];
  for (const run of [...request.runs, ...request.pairs.flatMap((p) => [p.sync, p.async])]) assertTimeline(run);
  const runs: RunReport[] = [];
  for (const run of request.runs) {
    request.onStep?.(`analyzing ${run.label}`);
    const report = await runReport(store, run, request.by);
    warnings.push(...report.warnings.map((w) => `${run.id}: ${w}`));
    runs.push(report.data);
  }
  const pairs: PairReport[] = [];
  for (const pair of request.pairs) {
    request.onStep?.(`comparing ${pair.sync.label} and ${pair.async.label}`);
    const report = await pairReport(store, pair, request.by, runs);
    warnings.push(...report.comparison.warnings);
    pairs.push(report);
  }
  return { by: request.by, runs, pairs, warnings };
}

/**
 * A run without start times (a WfCommons instance: runtimes and a DAG, no schedule) has no
 * timeline to draw or measure: the report refuses it rather than print a page of dashes.
 */
function assertTimeline(run: StoredRun): void {
  if (run.scheduled && run.executed === 0) {
    // A header-only table, or a session killed before any task ran: a page of empty charts would say nothing.
    const what = run.tasks === 0 ? 'no tasks' : `${run.tasks} task(s), none of them executed (no start and end)`;
    throw new InputError(`run ${run.id} has ${what}: there is nothing to report`);
  }
  if (!run.scheduled) {
    throw new InputError(
      `run ${run.id} has task runtimes but no start times (e.g. a WfCommons instance): there is no timeline to report; predict its makespans with asyncscope predict --from-run ${run.id}`,
    );
  }
}

async function runReport(store: Store, run: StoredRun, by: GroupBy): Promise<{ data: RunReport; warnings: string[] }> {
  const prepared = await prepareStoredRun(store, run, { by });
  const analysis = analyzePrepared(run, prepared);
  return {
    data: {
      run,
      analysis: analysis.json,
      series: seriesOfRun(prepared, SERIES_BINS),
      timeline: analysis.json.groups.length > 0 ? timelineData(prepared, analysis.json.groups) : null,
      criticalPath: run.executed > 0 && run.tasks <= CRITICAL_PATH_LIMIT ? (await storedCriticalPath(store, run)).json : null,
    },
    warnings: analysis.warnings,
  };
}

async function pairReport(store: Store, pair: PairRequest, by: GroupBy, runs: RunReport[]): Promise<PairReport> {
  const comparison = compareRuns({ sync: await loadRunData(store, pair.sync), async: await loadRunData(store, pair.async), spec: pair.spec });
  const { syncPrediction, asyncPrediction } = comparison;
  const asyncDoa = runs.find((r) => r.run.pk === pair.async.pk && by === 'type')?.analysis.asynchronicity.doa;
  return {
    title: pair.title ?? pairTitle(pair.sync, pair.async),
    sync: pair.sync,
    async: pair.async,
    specPath: pair.specPath ?? null,
    comparison,
    timelines: {
      sync: { measured: await measuredByType(store, pair.sync, by, runs), predicted: predictedTimeline(syncPrediction.graph, syncPrediction.schedules.sync) },
      async: { measured: await measuredByType(store, pair.async, by, runs), predicted: predictedTimeline(asyncPrediction.graph, asyncPrediction.schedules.async) },
    },
    whatif: pairWhatIf(comparison.asyncSpec),
    sweep: pairSweep(comparison, asyncDoa !== undefined ? asyncDoa : await measuredDoa(store, pair.async)),
  };
}

/** The model predicts per task type, so the measured timeline it is set beside is grouped by type too. */
async function measuredByType(store: Store, run: StoredRun, by: GroupBy, runs: RunReport[]): Promise<TimelineData> {
  const known = by === 'type' ? runs.find((r) => r.run.pk === run.pk)?.timeline : undefined;
  if (known) return known;
  const prepared = await prepareStoredRun(store, run, { by: 'type' });
  return timelineData(prepared, analyzePrepared(run, prepared).json.groups);
}

/** The measured degree of asynchronicity of a run, by task type (as the sweep's axis). */
async function measuredDoa(store: Store, run: StoredRun): Promise<number | null> {
  return (await analyzeStoredRun(store, run, { by: 'type' })).json.asynchronicity.doa;
}

function pairTitle(sync: StoredRun, async: StoredRun): string {
  if (sync.workflow !== null && sync.workflow === async.workflow) return sync.workflow;
  return `${sync.label} and ${async.label}`;
}
