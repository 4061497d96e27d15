/**
 * Running one importer on one file into an in-memory store, without the registry and detection:
 * what an importer stored, read back (tasks, events, edges) for assertions.
 */
import path from 'node:path';
import type { MultiRunImporter } from '../../src/importers/importer.js';
import { SinkRecorder } from '../../src/importers/common/recorder.js';
import type { ImportOptions, TraceInput } from '../../src/importers/importer.js';
import type { StoredRun } from '../../src/run/stored-run.js';
import { isRunWrite, type Store } from '../../src/store/store.js';
import { memoryStore } from './store.js';

export interface ImportedRun {
  store: Store;
  run: StoredRun;
  warnings: string[];
}

export function traceInput(file: string): TraceInput {
  return { path: path.resolve(file), display: path.basename(file), kind: 'file', explicit: true };
}

/** Runs `importer` (of one run per input) on `file` into a fresh in-memory store. */
export async function importWith(importer: MultiRunImporter, file: string, options: ImportOptions = {}): Promise<ImportedRun> {
  const runs = await importRunsWith(importer, file, options);
  if (runs.length !== 1) throw new Error(`${file}: ${runs.length} runs`);
  return runs[0];
}

/**
 * Runs an importer of several runs per input (Parsl, Pegasus) on `file`, into one in-memory store.
 * Unlike ingest, a run that fails to read fails the whole call (tests assert the message).
 */
export async function importRunsWith(importer: MultiRunImporter, file: string, options: ImportOptions = {}): Promise<ImportedRun[]> {
  const store = memoryStore();
  const runs: ImportedRun[] = [];
  await importer.streamRuns(traceInput(file), options, async (header, write) => {
    const begun = await store.beginRun(header, { replace: false });
    if (!isRunWrite(begun)) throw new Error(`${file}: run ${header.id} is stored already`);
    try {
      const content = await write(new SinkRecorder(begun));
      if (content.capacity) header.capacity = content.capacity; // commit takes the capacity from the header
      const saved = await begun.commit(content.contentHash, content.warnings);
      runs.push({ store, run: saved.run, warnings: content.warnings });
    } catch (error) {
      await begun.rollback();
      throw error;
    }
  });
  return runs;
}

export async function storedTasks(imported: ImportedRun) {
  const tasks = await imported.store.loadTasks(imported.run);
  return Array.from({ length: tasks.length }, (_, i) => tasks.row(i));
}

export async function storedEvents(imported: ImportedRun): Promise<{ task: number; event: string; state: string | null; time: number }[]> {
  const events = await imported.store.loadEvents(imported.run);
  return Array.from({ length: events.length }, (_, i) => ({ task: events.task[i], event: events.event[i], state: events.state[i], time: events.time[i] }));
}

export async function storedEdges(imported: ImportedRun): Promise<[number, number][]> {
  const edges = await imported.store.loadEdges(imported.run);
  return Array.from({ length: edges.length }, (_, i) => [edges.parent[i], edges.child[i]] as [number, number]);
}
