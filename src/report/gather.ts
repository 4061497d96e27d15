/**
 * The report's one door to the store: reads the runs, runs the analyzers and the model on them,
 * and returns plain data (report-data.ts). Everything after this step is pure.
 */
import { analyzePrepared, seriesOfRun } from '../analysis/analyze-run.js';
import type { GroupBy } from '../analysis/intervals.js';
import { prepareStoredRun } from '../analysis/stored-run.js';
import { InputError } from '../errors.js';
import { compareRuns } from '../model/compare.js';
import { loadRunData } from '../model/from-store.js';
import type { WorkflowSpec } from '../model/spec.js';
import type { StoredRun } from '../run/stored-run.js';
import type { Db } from '../store/database.js';
import { predictedTimeline } from './predicted-timeline.js';
import type { PairReport, ReportData, RunReport, TimelineData } from './report-data.js';
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

export function gatherReport(db: Db, request: ReportRequest): ReportData {
  const warnings: string[] = [];
  for (const run of [...request.runs, ...request.pairs.flatMap((p) => [p.sync, p.async])]) assertTimeline(run);
  const runs = request.runs.map((run) => {
    request.onStep?.(`analyzing ${run.label}`);
    const report = runReport(db, run, request.by);
    warnings.push(...report.warnings.map((w) => `${run.id}: ${w}`));
    return report.data;
  });
  const pairs = request.pairs.map((pair) => {
    request.onStep?.(`comparing ${pair.sync.label} and ${pair.async.label}`);
    const report = pairReport(db, pair, request.by, runs);
    warnings.push(...report.comparison.warnings);
    return report;
  });
  return { by: request.by, runs, pairs, warnings };
}

/**
 * A run without start times (a WfCommons instance: runtimes and a DAG, no schedule) has no
 * timeline to draw or measure: the report refuses it rather than print a page of dashes.
 */
function assertTimeline(run: StoredRun): void {
  if (!run.scheduled) {
    throw new InputError(
      `run ${run.id} has task runtimes but no start times (e.g. a WfCommons instance): there is no timeline to report; predict its makespans with asyncscope predict --from-run ${run.id}`,
    );
  }
}

function runReport(db: Db, run: StoredRun, by: GroupBy): { data: RunReport; warnings: string[] } {
  const prepared = prepareStoredRun(db, run, { by });
  const analysis = analyzePrepared(run, prepared);
  return {
    data: {
      run,
      analysis: analysis.json,
      series: seriesOfRun(prepared, SERIES_BINS),
      timeline: analysis.json.groups.length > 0 ? timelineData(prepared, analysis.json.groups) : null,
    },
    warnings: analysis.warnings,
  };
}

function pairReport(db: Db, pair: PairRequest, by: GroupBy, runs: RunReport[]): PairReport {
  const comparison = compareRuns({ sync: loadRunData(db, pair.sync), async: loadRunData(db, pair.async), spec: pair.spec });
  const { syncPrediction, asyncPrediction } = comparison;
  return {
    title: pair.title ?? pairTitle(pair.sync, pair.async),
    sync: pair.sync,
    async: pair.async,
    specPath: pair.specPath ?? null,
    comparison,
    timelines: {
      sync: { measured: measuredByType(db, pair.sync, by, runs), predicted: predictedTimeline(syncPrediction.graph, syncPrediction.schedules.sync) },
      async: { measured: measuredByType(db, pair.async, by, runs), predicted: predictedTimeline(asyncPrediction.graph, asyncPrediction.schedules.async) },
    },
  };
}

/** The model predicts per task type, so the measured timeline it is set beside is grouped by type too. */
function measuredByType(db: Db, run: StoredRun, by: GroupBy, runs: RunReport[]): TimelineData {
  const known = by === 'type' ? runs.find((r) => r.run.pk === run.pk)?.timeline : undefined;
  if (known) return known;
  const prepared = prepareStoredRun(db, run, { by: 'type' });
  return timelineData(prepared, analyzePrepared(run, prepared).json.groups);
}

function pairTitle(sync: StoredRun, async: StoredRun): string {
  if (sync.workflow !== null && sync.workflow === async.workflow) return sync.workflow;
  return `${sync.label} and ${async.label}`;
}
