/**
 * Copying runs from one store to another (`asyncscope push` and `pull`): everything a run holds
 * (its row with provenance, --meta pairs and type rule; its tasks, events, dependencies and task
 * details), written through the same run write as an ingest, so any two backends work. The run's
 * counts, outcomes, time zero and makespan are computed again from the copied tasks by the
 * writer, as at ingest, and so come out the same. Idempotent: a run whose content (its trace's
 * SHA-256) the target holds already is not copied again, and the result names the run that holds
 * it. Each run is one transaction. test/commands/push-pull.test.ts compares every column of every
 * table of a copied run with the original's, so a column added later and not copied here fails it.
 */
import type { StoredRun } from '../run/stored-run.js';
import { isRunWrite, type SaveResult, type Store } from './store.js';

export async function copyRun(from: Store, run: StoredRun, to: Store): Promise<SaveResult> {
  const header = { id: run.id, format: run.format, source: run.source, workflow: run.workflow, capacity: run.capacity, scheduled: run.scheduled };
  const begun = await to.beginRun(
    header,
    // The stored times are relative to the run's time zero already: epoch says which it is.
    {
      label: run.label,
      mode: run.mode,
      workflow: run.workflow ?? undefined,
      replace: false,
      epoch: run.epoch,
      now: new Date(run.importedAt),
      provenance: run.provenance,
      typeFrom: run.typeFrom,
    },
    run.contentHash,
  );
  if (!isRunWrite(begun)) return begun;
  try {
    const [tasks, events, edges, details] = [await from.loadTasks(run), await from.loadEvents(run), await from.loadEdges(run), await from.loadTaskDetails(run)];
    for (let i = 0; i < tasks.length; i++) begun.pushValues(...tasks.values(i));
    for (let i = 0; i < events.length; i++) begun.addEvent(events.task[i], events.event[i], events.state[i], events.time[i]);
    for (let i = 0; i < edges.length; i++) begun.addEdge(edges.parent[i], edges.child[i]);
    for (let i = 0; i < details.length; i++) begun.addDetails(details.task[i], details.traceType[i], details.executable[i], details.stageName[i], details.ranks[i]);
  } catch (error) {
    await begun.rollback();
    throw error;
  }
  return begun.commit(run.contentHash, run.warnings);
}
