/**
 * The model's one door to the store: reads what inference and calibration need of a stored run.
 * Everything else in src/model is pure.
 */
import type { StoredRun } from '../run/stored-run.js';
import type { Store } from '../store/store.js';
import { dataSpans, isDataEvent } from './data-spans.js';
import { HOLD_EVENTS, holdExtraTimes } from './hold-times.js';
import { platformFromCapacity } from './platform.js';
import { criticalPathJson, runCriticalPath, type CriticalPathJson, type RunCriticalPath } from './run-critical-path.js';
import type { RunData } from './infer-spec.js';
import type { DataSpans } from './waits.js';

export async function loadRunData(store: Store, run: StoredRun): Promise<RunData> {
  return {
    id: run.id,
    mode: run.mode,
    workflow: run.workflow,
    capacity: run.capacity,
    scheduled: run.scheduled,
    makespanS: run.makespanS,
    tasks: await store.loadTasks(run),
    edges: await store.loadEdges(run),
    ranks: await store.loadTaskRanks(run),
    holdExtraS: holdExtraTimes(await store.loadEvents(run, { names: HOLD_EVENTS }), run.tasks),
  };
}

/** The run's staging and transfer spans (data-spans.ts), or null when its events record none. */
export async function loadDataSpans(store: Store, run: StoredRun): Promise<DataSpans | null> {
  const names = [...(await store.eventVocabulary(run)).events.keys()].filter(isDataEvent);
  if (names.length === 0) return null;
  return dataSpans(await store.loadEvents(run, { names }));
}

/** The critical path and waits of a stored run (run-critical-path.ts), with the run's data. */
export async function storedCriticalPath(
  store: Store,
  run: StoredRun,
  barrierGapS?: number,
): Promise<{ data: RunData; result: RunCriticalPath; json: CriticalPathJson }> {
  const data = await loadRunData(store, run);
  const result = runCriticalPath(data, { platform: platformFromCapacity(run.capacity), staging: await loadDataSpans(store, run), barrierGapS });
  return { data, result, json: criticalPathJson(data, result) };
}
