/**
 * Stores that several command tests read, built in-process (faster than the CLI), each in a file
 * the test names.
 */
import fs from 'node:fs';
import path from 'node:path';
import { finalizeRun } from '../../src/importers/common/normalize.js';
import { UNKNOWN_CAPACITY } from '../../src/run/capacity.js';
import { EdgeTable } from '../../src/run/edge-table.js';
import { EventTable } from '../../src/run/event-table.js';
import { TaskTable } from '../../src/run/task-table.js';
import { saveParsedRun } from '../../src/store/save-run.js';
import { fileStore, ingestInto } from './store.js';
import { SUMMIT } from './traces.js';

/**
 * The Summit runs labelled and moded as the demo labels them (dg2-sync, dg2-async, ddmd-sync,
 * ddmd-async), with the demo's workflows when asked (DG2, DeepDriveMD), and `tiny-dag`: a
 * WfCommons-like run with runtimes and dependencies but no start times and no capacity,
 * a 10 -> {b 20, c 30} -> d 5, 2 cores each.
 */
export async function summitStore(file: string, options: { ddmd?: boolean; workflows?: boolean; tinyDag?: boolean } = {}): Promise<void> {
  const store = fileStore(file);
  const all = [
    { trace: SUMMIT.dg2Sync, label: 'dg2-sync', mode: 'sync', workflow: 'DG2' },
    { trace: SUMMIT.dg2Async, label: 'dg2-async', mode: 'async', workflow: 'DG2' },
    { trace: SUMMIT.ddmdSync, label: 'ddmd-sync', mode: 'sync', workflow: 'DeepDriveMD' },
    { trace: SUMMIT.ddmdAsync, label: 'ddmd-async', mode: 'async', workflow: 'DeepDriveMD' },
  ] as const;
  for (const { trace, label, mode, workflow } of options.ddmd === false ? all.slice(0, 2) : all) {
    await ingestInto(store, [trace.file], { mode, label, ...(options.workflows ? { workflow } : {}) });
  }
  if (options.tinyDag) {
    const tasks = new TaskTable();
    for (const [uid, type, runtime] of [['a', 'split', 10], ['b', 'work', 20], ['c', 'work', 30], ['d', 'join', 5]] as const) {
      tasks.push({ uid, type, runtime, cores: 2, gpus: 0 });
    }
    const edges = new EdgeTable();
    for (const [p, c] of [[0, 1], [0, 2], [1, 3], [2, 3]]) edges.push(p, c);
    await saveParsedRun(store, finalizeRun({ id: 'tiny-dag', format: 'test', source: 'test', scheduled: false, tasks, edges }), { contentHash: 'tiny-dag', replace: false });
  }
  await store.close();
}

/**
 * The DG2 runs, and two small runs that analyses cannot fully measure: `partial`, a CSV run with
 * one task that never ended, no capacity and no profile events; `instance`, runtimes and no start
 * times (as a WfCommons instance gives).
 */
export async function analysisStore(file: string): Promise<void> {
  await summitStore(file, { ddmd: false });
  const store = fileStore(file, { access: 'write' });
  const csv = path.join(path.dirname(file), 'partial.csv');
  fs.writeFileSync(csv, 'id,type,start,end,cores,gpus\nsim-1,sim,100,110,4,1\nsim-2,sim,102,,4,1\nml-1,ml,105,120,8,0\n');
  await ingestInto(store, [csv], { label: 'partial' });
  const tasks = new TaskTable();
  tasks.push({ uid: 'a', type: 'mProject', runtime: 12 });
  tasks.push({ uid: 'b', type: 'mAdd', runtime: 30 });
  await saveParsedRun(
    store,
    { id: 'instance', format: 'test', source: 'test', workflow: 'montage', capacity: UNKNOWN_CAPACITY, epoch: null, scheduled: false, tasks, events: new EventTable(), edges: new EdgeTable(), warnings: [] },
    { contentHash: 'instance', replace: false },
  );
  await store.close();
}
