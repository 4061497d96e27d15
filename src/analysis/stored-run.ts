/**
 * The edge between the store and the analyses: read what a stored run's analysis needs, then
 * hand it to the pure functions. This is the only file of src/analysis that reads the store;
 * commands and reports call these.
 */
import type { StoredRun } from '../run/stored-run.js';
import type { Store } from '../store/store.js';
import { analyzePrepared, prepareRun, seriesOfRun, type AnalyzeOptions, type PreparedRun, type RunAnalysis } from './analyze-run.js';
import { durationsJson, durationsOf, spanTaskCount, taskDurations, type Durations, type DurationsJson, type TaskDurationJson } from './durations.js';
import { checkEndpoint, endpointText, eventFilter, eventSpans, type Endpoint, type EventSpans } from './event-spans.js';
import { columnsFor, taskGroupKey, type GroupBy, type Spans } from './intervals.js';
import { concurrencyJson, concurrencySeriesOf, type ConcurrencyJson, type ConcurrencySeries, type RunSeries } from './series.js';

/** Loads the run's task columns (only those the grouping needs) and prepares its timeline. */
export async function prepareStoredRun(store: Store, run: StoredRun, options: AnalyzeOptions = {}): Promise<PreparedRun> {
  const by = options.by ?? 'type';
  const tasks = await store.loadTaskColumns(run, columnsFor(by));
  // Incomplete tasks end at the run's last event; without events selectIntervals falls back to the last end.
  const clipAt = options.includeIncomplete && run.incomplete > 0 ? await store.lastEventTime(run) : null;
  return prepareRun(tasks, { ...options, by, clipAt });
}

/** Everything `analyze` reports for one stored run. */
export async function analyzeStoredRun(store: Store, run: StoredRun, options: AnalyzeOptions = {}): Promise<RunAnalysis> {
  return analyzePrepared(run, await prepareStoredRun(store, run, options));
}

/**
 * The chart series of a stored run (concurrency, cores and GPUs in use, total and per group), in
 * `bins` bins over its makespan; null when the run has no timeline (unscheduled, nothing executed
 * or zero makespan).
 */
export async function storedRunSeries(store: Store, run: StoredRun, options: AnalyzeOptions & { bins: number }): Promise<RunSeries | null> {
  if (!run.scheduled) return null;
  return seriesOfRun(await prepareStoredRun(store, run, options), options.bins);
}

/**
 * Each task's span between two events or states (with `every`, each of its spans), after checking
 * the run has them (InputError naming the ones it has otherwise).
 */
export async function storedEventSpans(store: Store, run: StoredRun, from: Endpoint, to: Endpoint, every = false): Promise<EventSpans> {
  const vocabulary = await store.eventVocabulary(run);
  checkEndpoint(from, vocabulary, run);
  checkEndpoint(to, vocabulary, run);
  return eventSpans(await store.loadEvents(run, eventFilter(from, to)), from, to, every);
}

/** The group (by type, stage or pipeline) of some of the run's tasks, given by index. */
export async function storedGroupKeys(store: Store, run: StoredRun, by: GroupBy, taskIndexes: ArrayLike<number>): Promise<string[]> {
  const tasks = await store.loadTaskColumns(run, columnsFor(by));
  return Array.from(taskIndexes, (i) => taskGroupKey(tasks, by, i) ?? `(no ${by})`);
}

/** What `durations` reports of a stored run. */
export interface DurationsReport {
  spans: EventSpans;
  durations: Durations;
  /** Tasks without both ends. */
  missing: number;
  perTask: TaskDurationJson[] | null;
  json: DurationsJson;
  warnings: string[];
}

/**
 * Each task's duration between two events or states, with their statistics (per group with
 * `by`), and every task's own span with `perTask`.
 */
export async function storedDurations(
  store: Store,
  run: StoredRun,
  options: { from: Endpoint; to: Endpoint; by: GroupBy | null; perTask: boolean; every?: boolean },
): Promise<DurationsReport> {
  const { from, to, by } = options;
  const spans = await storedEventSpans(store, run, from, to, options.every);
  // The phase against task execution: how much of it went on while some task was executing.
  const execution = run.scheduled ? (await prepareStoredRun(store, run)).intervals : undefined;
  const durations = durationsOf(spans, by === null ? undefined : await storedGroupKeys(store, run, by, spans.task), execution);
  const perTask = options.perTask ? taskDurations(spans, await store.loadTaskUids(run)) : null;
  const warnings = durations.all === null ? [`${run.id}: no task has both ${endpointText(from)} and ${endpointText(to)} after it`] : [];
  return { spans, durations, missing: run.tasks - spanTaskCount(spans), perTask, json: durationsJson({ run, from, to, by }, spans, durations, perTask), warnings };
}

/** What `concurrency` reports of a stored run. */
export interface ConcurrencyReport {
  tasks: number;
  series: ConcurrencySeries | null;
  /** Why there are no figures, else null. */
  note: string | null;
  json: ConcurrencyJson;
  warnings: string[];
}

/**
 * How many tasks are between two events over time; without `ends`, executing (the stored
 * execution intervals, incomplete tasks clipped at the last event with `includeIncomplete`).
 */
export async function storedConcurrency(
  store: Store,
  run: StoredRun,
  options: { ends: { from: Endpoint; to: Endpoint } | null; bins: number; includeIncomplete: boolean; every?: boolean },
): Promise<ConcurrencyReport> {
  const { ends } = options;
  let spans: Spans;
  let note: string | null = null;
  const warnings: string[] = [];
  if (ends === null) {
    const prepared = await prepareStoredRun(store, run, { includeIncomplete: options.includeIncomplete });
    spans = prepared.intervals;
    if (!run.scheduled) note = 'the trace gives task runtimes but no start times (e.g. a WfCommons instance): there is no timeline';
    else if (spans.length === 0) note = 'no task has both a start and an end time';
    if (prepared.selection.incomplete > 0 && prepared.selection.clipped === 0) {
      warnings.push(`${run.id}: ${prepared.selection.incomplete} incomplete task(s) (started, never ended) excluded; --include-incomplete clips them at the run's last event time`);
    }
  } else {
    spans = await storedEventSpans(store, run, ends.from, ends.to, options.every);
    if (spans.length === 0) note = `no task has both ${endpointText(ends.from)} and ${endpointText(ends.to)} after it`;
  }
  const series = concurrencySeriesOf(spans, options.bins);
  return { tasks: spans.length, series, note, json: concurrencyJson(run, ends, spans.length, series, note), warnings };
}
