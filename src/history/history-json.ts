/**
 * `history --json`: the series of each metric over the runs of a history and its change points.
 *
 *     { "label", "filters": [...], "runs": N,
 *       "settings": { "alpha", "permutations", "min_size", "exponent", "seed" },
 *       "metrics": [ { "metric",
 *                      "series": [ { "position", "id", "stored_at", "commit", "branch", "value" } ],
 *                      "unmeasured": [ { "position", "id", "reason" } ],
 *                      "change_points": [ { "position", "id", "stored_at", "commit", "branch",
 *                                           "before": { "median", "mean", "runs" }, "after": {...},
 *                                           "change", "relative_change", "p", "q", "order" } ],
 *                      "strongest_rejected": { "position", "p" } | null } ] }
 *
 * Positions are 1-based places in the history (the `#` of the table and the trend page).
 */
import type { MetricSeries } from './series.js';
import type { Segment } from './shifts.js';

/** What the JSON says of a run (the store's run with its provenance, reduced). */
export interface HistoryRunFacts {
  id: string;
  storedAt: string;
  commit: string | null;
  branch: string | null;
}

export interface SegmentJson {
  median: number;
  mean: number;
  runs: number;
}

export interface ChangePointJson {
  position: number;
  id: string;
  stored_at: string;
  commit: string | null;
  branch: string | null;
  before: SegmentJson;
  after: SegmentJson;
  change: number;
  relative_change: number | null;
  p: number;
  q: number;
  order: number;
}

export interface HistoryMetricJson {
  metric: string;
  series: { position: number; id: string; stored_at: string; commit: string | null; branch: string | null; value: number }[];
  unmeasured: { position: number; id: string; reason: string }[];
  change_points: ChangePointJson[];
  strongest_rejected: { position: number; p: number } | null;
}

export interface HistoryJson {
  label: string;
  filters: string[];
  runs: number;
  settings: { alpha: number; permutations: number; min_size: number; exponent: number; seed: number };
  metrics: HistoryMetricJson[];
}

export interface MetricOfHistory {
  metric: string;
  series: MetricSeries;
  unmeasured: { run: number; reason: string }[];
}

export function historyJson(label: string, filters: string[], runs: readonly HistoryRunFacts[], metrics: readonly MetricOfHistory[]): HistoryJson {
  const options = metrics[0]?.series.shifts.options;
  return {
    label,
    filters,
    runs: runs.length,
    settings: options
      ? { alpha: options.alpha, permutations: options.permutations, min_size: options.minSize, exponent: options.exponent, seed: options.seed }
      : { alpha: 0, permutations: 0, min_size: 0, exponent: 0, seed: 0 },
    metrics: metrics.map((m) => metricJson(runs, m)),
  };
}

function metricJson(runs: readonly HistoryRunFacts[], m: MetricOfHistory): HistoryMetricJson {
  const s = m.series;
  const at = (index: number) => runs[s.positions[index]];
  return {
    metric: m.metric,
    series: s.positions.map((run, k) => ({ position: run + 1, id: runs[run].id, stored_at: runs[run].storedAt, commit: runs[run].commit, branch: runs[run].branch, value: s.measured[k] })),
    unmeasured: m.unmeasured.map((u) => ({ position: u.run + 1, id: runs[u.run].id, reason: u.reason })),
    change_points: s.shifts.shifts.map((c) => ({
      position: s.positions[c.index] + 1,
      id: at(c.index).id,
      stored_at: at(c.index).storedAt,
      commit: at(c.index).commit,
      branch: at(c.index).branch,
      before: segmentJson(c.before),
      after: segmentJson(c.after),
      change: c.change,
      relative_change: c.relative,
      p: c.p,
      q: c.q,
      order: c.order,
    })),
    strongest_rejected: s.shifts.rejected ? { position: s.positions[s.shifts.rejected.index] + 1, p: s.shifts.rejected.p } : null,
  };
}

function segmentJson(segment: Segment): SegmentJson {
  return { median: segment.median, mean: segment.mean, runs: segment.end - segment.start };
}
