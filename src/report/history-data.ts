/**
 * What a trend page (`report --history LABEL`) is made of: the runs of a history in the order
 * they were stored, with where each came from, and per metric its value for each run, its change
 * points and the band of the baseline that `check --history` would judge the latest runs against.
 * Plain data, gathered from the store before anything is drawn.
 */
import type { EDivisiveOptions } from '../history/e-divisive.js';
import { metricSeries, type MetricSeries } from '../history/series.js';
import type { StoredRun } from '../run/stored-run.js';
import type { TrendAxis } from './charts/trend-chart.js';

export interface HistoryRun {
  id: string;
  label: string;
  mode: string;
  /** When it was stored, ISO 8601 UTC. */
  storedAt: string;
  commit: string | null;
  commitTitle: string | null;
  branch: string | null;
  ci: string | null;
  jobUrl: string | null;
  host: string | null;
}

/** A metric over the runs (`values[i]` is run i's), with its change points and band (src/history/series.ts). */
export interface HistoryMetric extends MetricSeries {
  /** The metric's canonical text (`makespan_s`, `groups.sim.busy_s`). */
  metric: string;
  axisTitle: string;
  format: (value: number) => string;
  /** Why a value is null, for the runs without one (index into runs). */
  unmeasured: { run: number; reason: string }[];
}

export interface HistoryReportData {
  label: string;
  /** The filters, as given (`branch=main`, `since 30d`). */
  filters: string[];
  x: TrendAxis;
  runs: HistoryRun[];
  metrics: HistoryMetric[];
  /** The check's baseline: `window` runs before the latest `repeats`. */
  window: number;
  repeats: number;
}

export interface HistoryMetricInput {
  metric: string;
  /** Seconds get `(s)` on the axis. */
  unit: string;
  values: (number | null)[];
  unmeasured: { run: number; reason: string }[];
  format: (value: number) => string;
}

export interface HistoryReportInput {
  label: string;
  filters: string[];
  x: TrendAxis;
  runs: readonly StoredRun[];
  metrics: readonly HistoryMetricInput[];
  window: number;
  repeats: number;
  changePoints?: EDivisiveOptions;
}

/** The page's data from the runs and each metric's values: the series, change points and band of each. */
export function historyReportData(input: HistoryReportInput): HistoryReportData {
  return {
    label: input.label,
    filters: input.filters,
    x: input.x,
    runs: input.runs.map(historyRun),
    metrics: input.metrics.map((m) => ({
      metric: m.metric,
      axisTitle: m.unit === 'seconds' ? `${m.metric} (s)` : m.metric,
      format: m.format,
      unmeasured: m.unmeasured,
      ...metricSeries(m.values, { ...input.changePoints, window: input.window, repeats: input.repeats }),
    })),
    window: input.window,
    repeats: input.repeats,
  };
}

function historyRun(run: StoredRun): HistoryRun {
  const p = run.provenance;
  return { id: run.id, label: run.label ?? '', mode: run.mode, storedAt: run.importedAt, commit: p.commit, commitTitle: p.commit_title, branch: p.branch, ci: p.ci, jobUrl: p.job_url, host: p.host };
}
