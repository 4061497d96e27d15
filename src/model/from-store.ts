/**
 * The model's one door to the store: reads what inference and calibration need of a stored run.
 * Everything else in src/model is pure.
 */
import type { StoredRun } from '../run/stored-run.js';
import type { Db } from '../store/database.js';
import { loadEdges, loadTasks } from '../store/tasks.js';
import type { RunData } from './infer-spec.js';

export function loadRunData(db: Db, run: StoredRun): RunData {
  return {
    id: run.id,
    workflow: run.workflow,
    capacity: run.capacity,
    scheduled: run.scheduled,
    makespanS: run.makespanS,
    tasks: loadTasks(db, run),
    edges: loadEdges(db, run),
  };
}
