/**
 * A history read from the store: the runs of a label that match a filter (oldest stored first)
 * and, per metric, each run's value, or why it has none. What `asyncscope history` and
 * `report --history` compute their series and change points from (src/history/). Metrics are
 * those of a run's analysis (`analyze --json`: makespan_s, utilization.gpu, groups.NAME.busy_s,
 * ...), named as check names them.
 */
import type { GroupBy } from '../analysis/intervals.js';
import { analyzeStoredRun } from '../analysis/stored-run.js';
import { InputError } from '../errors.js';
import { MAX_SERIES_LENGTH } from '../history/e-divisive.js';
import { filterText, type RunFilter } from '../run/run-filter.js';
import type { StoredRun } from '../run/stored-run.js';
import type { Store } from '../store/store.js';
import { formatValue, metricValue, parseMetric, type Metric } from './metrics.js';

export interface HistoryQuery {
  label: string;
  filter: RunFilter;
  /** Metric paths as typed (`makespan_s`, `groups.sim.busy_s`). */
  metrics: readonly string[];
  by: GroupBy;
}

export interface MetricValues {
  metric: Metric;
  /** Run i's value, null when it did not measure the metric. */
  values: (number | null)[];
  /** Why a run has no value (index into the runs). */
  unmeasured: { run: number; reason: string }[];
  /** A value in the metric's unit, as check prints it. */
  format: (value: number) => string;
}

export interface HistoryValues {
  runs: StoredRun[];
  metrics: MetricValues[];
  /** The filters, as text (`branch=main`, `since 2026-...`). */
  filters: string[];
}

/** Parses the metrics first (an unknown or unsupported one is refused before anything is read). */
export function historyMetrics(texts: readonly string[]): Metric[] {
  if (texts.length === 0) throw new InputError('give the metric to follow: --metric makespan_s (repeatable)');
  const metrics = texts.map(parseMetric);
  for (const m of metrics) {
    if (m.source !== 'analyze') {
      throw new InputError(`--metric ${m.text}: a history follows the figures of one run (those of asyncscope analyze --json: makespan_s, utilization.gpu, groups.NAME.busy_s, ...), not ${m.source} results`);
    }
  }
  const seen = new Set<string>();
  return metrics.filter((m) => !seen.has(m.text) && seen.add(m.text));
}

export async function historyValues(store: Store, query: HistoryQuery, warn: (message: string) => void, onRun?: (done: number, total: number) => void): Promise<HistoryValues> {
  const metrics = historyMetrics(query.metrics);
  if (query.label.trim() === '') throw new InputError('the history needs a label: asyncscope history LABEL');
  const runs = await store.findRuns(query.filter, query.label);
  const filters = filterText(query.filter);
  if (runs.length === 0) {
    const any = (await store.findRunsByLabel(query.label)).length > 0;
    throw new InputError(
      any
        ? `no run of ${JSON.stringify(query.label)} matches ${filters.join(', ')} (see asyncscope runs --where label=${query.label})`
        : `no run carries the label ${JSON.stringify(query.label)} (see asyncscope runs)`,
    );
  }
  if (runs.length > MAX_SERIES_LENGTH) {
    throw new InputError(`${runs.length} runs of ${JSON.stringify(query.label)} match: a history takes at most ${MAX_SERIES_LENGTH} (the change-point search is quadratic): narrow it with --since or --where`);
  }
  const out: MetricValues[] = metrics.map((metric) => ({ metric, values: [], unmeasured: [], format: (v: number) => formatValue(metric.unit, v) }));
  for (const [i, run] of runs.entries()) {
    const analysis = await analyzeStoredRun(store, run, { by: query.by });
    for (const warning of analysis.warnings) warn(`${run.id}: ${warning}`);
    const json = analysis.json as unknown as Record<string, unknown> & { note?: string | null };
    for (const m of out) {
      let value: number | null;
      let reason: string | null = null;
      try {
        value = metricValue(m.metric, { analyze: json }, `run ${run.id}`);
        if (value === null) reason = json.note ?? 'not measured';
      } catch (error) {
        // An older run without the group a metric names: a gap in the series, not an error.
        if (!(error instanceof InputError)) throw error;
        value = null;
        reason = error.message;
      }
      m.values.push(value);
      if (value === null) m.unmeasured.push({ run: i, reason: reason ?? 'not measured' });
    }
    onRun?.(i + 1, runs.length);
  }
  return { runs, metrics: out, filters };
}
