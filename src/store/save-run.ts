/**
 * Storing a run an importer has read whole (RADICAL-Pilot sessions, WfCommons instances, Chrome
 * traces): the same RunWriter that streamed importers use, fed from the parsed columns.
 */
import type { ParsedRun } from '../run/parsed-run.js';
import type { StoredRun } from '../run/stored-run.js';
import type { Db } from './database.js';
import { RunWriter, type SaveResult, type WriteOptions } from './run-writer.js';
import { findRunByHash } from './runs.js';

export type { SaveResult, SaveStatus } from './run-writer.js';

export interface SaveOptions extends Omit<WriteOptions, 'epoch'> {
  contentHash: string;
}

/** A run already holding this content, if any: checked before parsing to skip work. */
export function storedRunWithHash(db: Db, hash: string): StoredRun | undefined {
  return findRunByHash(db, hash);
}

/** Stores a parsed run in one transaction, or says which run already holds its content. */
export function saveRun(db: Db, parsed: ParsedRun, options: SaveOptions): SaveResult {
  const begun = RunWriter.begin(
    db,
    parsed,
    { ...options, epoch: parsed.epoch },
    options.contentHash,
  );
  if (!(begun instanceof RunWriter)) return begun;
  const writer = begun;
  try {
    const tasks = parsed.tasks;
    for (let i = 0; i < tasks.length; i++) writer.pushValues(...tasks.values(i));
    const e = parsed.events; // already grouped by task and in time order (finalizeRun)
    for (let i = 0; i < e.length; i++) writer.addEvent(e.task[i], e.event[i], e.state[i], e.time[i]);
    const edges = parsed.edges;
    for (let i = 0; i < edges.length; i++) writer.addEdge(edges.parent[i], edges.child[i]);
  } catch (error) {
    writer.rollback();
    throw error;
  }
  return writer.commit(options.contentHash, parsed.warnings);
}
