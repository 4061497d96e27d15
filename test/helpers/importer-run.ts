/**
 * Running one importer on one file into an in-memory store, without the registry and detection:
 * what an importer stored, read back (tasks, events, edges) for assertions.
 */
import path from 'node:path';
import { RunWriter } from '../../src/store/run-writer.js';
import { loadEdges, loadEvents, loadTasks } from '../../src/store/tasks.js';
import type { StoredRun } from '../../src/store/runs.js';
import type { ImportOptions, TraceInput } from '../../src/importers/types.js';
import { memoryDb } from './store.js';
import type { Db } from '../../src/store/database.js';
import type { MultiRunImporter } from '../../src/importers/multi-run.js';
import { SinkRecorder } from '../../src/importers/recorder.js';

export interface ImportedRun {
  db: Db;
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

export function storedTasks(imported: ImportedRun) {
  const tasks = loadTasks(imported.db, imported.run);
  return Array.from({ length: tasks.length }, (_, i) => tasks.row(i));
}

export function storedEvents(imported: ImportedRun): { task: number; event: string; state: string | null; time: number }[] {
  const events = loadEvents(imported.db, imported.run);
  return Array.from({ length: events.length }, (_, i) => ({ task: events.task[i], event: events.event[i], state: events.state[i], time: events.time[i] }));
}

export function storedEdges(imported: ImportedRun): [number, number][] {
  const edges = loadEdges(imported.db, imported.run);
  return Array.from({ length: edges.length }, (_, i) => [edges.parent[i], edges.child[i]] as [number, number]);
}

/** Runs an importer of several runs per input (Parsl, Pegasus) on `file`, into one in-memory store. */
export async function importRunsWith(importer: MultiRunImporter, file: string, options: ImportOptions = {}): Promise<ImportedRun[]> {
  const db = memoryDb();
  const runs: ImportedRun[] = [];
  await importer.streamRuns(traceInput(file), options, async (header, write) => {
    const writer = RunWriter.begin(db, header, { replace: false }) as RunWriter;
    try {
      const content = await write(new SinkRecorder(writer));
      if (content.capacity) header.capacity = content.capacity; // read again at commit
      const saved = writer.commit(content.contentHash, content.warnings);
      runs.push({ db, run: saved.run, warnings: content.warnings });
    } catch (error) {
      writer.rollback();
      throw error;
    }
  });
  return runs;
}
