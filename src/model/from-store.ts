/**
 * The model's one door to the store: reads what inference and calibration need of a stored run.
 * Everything else in src/model is pure.
 */
import type { StoredRun } from '../run/stored-run.js';
import type { Store } from '../store/store.js';
import { HOLD_EVENTS, holdExtraTimes } from './hold-times.js';
import type { RunData } from './infer-spec.js';

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
