/**
 * Storing a run an importer has read whole (RADICAL-Pilot sessions, WfCommons instances, Chrome
 * traces): the same run write that streamed importers use, fed from the parsed columns. Works
 * with any backend.
 */
import type { ParsedRun } from '../run/parsed-run.js';
import { isRunWrite, type SaveResult, type Store, type WriteOptions } from './store.js';

export interface SaveOptions extends Omit<WriteOptions, 'epoch'> {
  contentHash: string;
}

/** Stores a parsed run in one transaction, or says which run already holds its content. */
export async function saveParsedRun(store: Store, parsed: ParsedRun, options: SaveOptions): Promise<SaveResult> {
  const begun = await store.beginRun(parsed, { ...options, epoch: parsed.epoch }, options.contentHash);
  if (!isRunWrite(begun)) return begun;
  const write = begun;
  try {
    const tasks = parsed.tasks;
    for (let i = 0; i < tasks.length; i++) write.pushValues(...tasks.values(i));
    const e = parsed.events; // already grouped by task and in time order (finalizeRun)
    for (let i = 0; i < e.length; i++) write.addEvent(e.task[i], e.event[i], e.state[i], e.time[i]);
    const edges = parsed.edges;
    for (let i = 0; i < edges.length; i++) write.addEdge(edges.parent[i], edges.child[i]);
    const d = parsed.details;
    if (d) for (let i = 0; i < d.length; i++) write.addDetails(d.task[i], tasks.type[d.task[i]], d.executable[i], d.stageName[i], d.ranks[i]);
  } catch (error) {
    await write.rollback();
    throw error;
  }
  return write.commit(options.contentHash, parsed.warnings);
}
