/**
 * The edge between the store and the analyses: read what a stored run's analysis needs, then
 * hand it to the pure functions. This is the only file of src/analysis that reads the store;
 * commands and reports call these.
 */
import type { StoredRun } from '../run/stored-run.js';
import type { Store } from '../store/store.js';
import { analyzePrepared, prepareRun, seriesOfRun, type AnalyzeOptions, type PreparedRun, type RunAnalysis } from './analyze-run.js';
import { checkEndpoint, eventFilter, eventSpans, type Endpoint, type EventSpans } from './event-spans.js';
import { columnsFor, taskGroupKey, type GroupBy } from './intervals.js';
import type { RunSeries } from './series.js';

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
 * Each task's span between two events or states, after checking the run has them (InputError
 * naming the ones it has otherwise).
 */
export async function storedEventSpans(store: Store, run: StoredRun, from: Endpoint, to: Endpoint): Promise<EventSpans> {
  const vocabulary = await store.eventVocabulary(run);
  checkEndpoint(from, vocabulary, run);
  checkEndpoint(to, vocabulary, run);
  return eventSpans(await store.loadEvents(run, eventFilter(from, to)), from, to);
}

/** The group (by type, stage or pipeline) of some of the run's tasks, given by index. */
export async function storedGroupKeys(store: Store, run: StoredRun, by: GroupBy, taskIndexes: ArrayLike<number>): Promise<string[]> {
  const tasks = await store.loadTaskColumns(run, columnsFor(by));
  return Array.from(taskIndexes, (i) => taskGroupKey(tasks, by, i) ?? `(no ${by})`);
}
