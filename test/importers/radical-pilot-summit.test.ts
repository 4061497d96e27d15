/**
 * The four real Summit sessions of the paper, read by the RADICAL-Pilot importer. Expected figures
 * come from ../shared/traces/radical-pilot/README.md (makespans, capacity, per-type resources).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { StoredRun } from '../../src/run/stored-run.js';
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { ingestInto, memoryStore } from '../helpers/store.js';
import { SUMMIT } from '../helpers/traces.js';
import { describeWithShared } from '../helpers/shared-traces.js';

const DG2_RESOURCES = { T0: [16, 1], T1T2: [40, 0], T3T6: [4, 1], T4T5: [4, 0], T7: [4, 0] } as const;
const DDMD_RESOURCES = { Simulation: [4, 1], Preprocessing: [32, 0], MachineLearning: [4, 1], Agent: [16, 1] } as const;

const CASES = [
  { trace: SUMMIT.dg2Async, types: { T0: 96, T1T2: 32, T3T6: 96, T4T5: 16, T7: 16 }, resources: DG2_RESOURCES },
  // The synchronous DG2 run merges the T3T6 and T4T5 tasks into one stage of 112 (README).
  { trace: SUMMIT.dg2Sync, types: { T0: 96, T1T2: 32, T3T6: 112, T7: 16 }, resources: { T0: [16, 1], T1T2: [40, 0], T7: [4, 0] } },
  { trace: SUMMIT.ddmdSync, types: { Simulation: 288, Preprocessing: 48, MachineLearning: 3, Agent: 288 }, resources: DDMD_RESOURCES },
  { trace: SUMMIT.ddmdAsync, types: { Simulation: 288, Preprocessing: 48, MachineLearning: 3, Agent: 288 }, resources: DDMD_RESOURCES },
];

describeWithShared('RADICAL-Pilot importer on the Summit traces', () => {
  let store: SqliteStore;
  const runs = new Map<string, StoredRun>();

  beforeAll(async () => {
    store = memoryStore();
    for (const c of CASES) {
      const [run] = await ingestInto(store, [c.trace.file]);
      runs.set(c.trace.id, run);
    }
  });

  for (const c of CASES) {
    describe(c.trace.id, () => {
      it('has every task executed and the makespan of the README to the millisecond', () => {
        const run = runs.get(c.trace.id)!;
        expect(run.id).toBe(c.trace.id);
        expect(run.format).toBe('radical-pilot');
        expect(run.tasks).toBe(c.trace.tasks);
        expect(run.executed).toBe(c.trace.tasks);
        expect(run.incomplete).toBe(0);
        expect(Math.abs(run.makespanS! - c.trace.makespan)).toBeLessThan(0.0005);
      });

      it('reads the capacity of the pilot: 16 nodes, 2688 cores, 96 GPUs', () => {
        expect(runs.get(c.trace.id)!.capacity).toEqual({ nodes: 16, coresPerNode: 168, gpusPerNode: 6, cores: 2688, gpus: 96 });
      });

      it('names task types after the EnTK stage names, with their counts', async () => {
        const counts = Object.fromEntries((await store.typeCounts(runs.get(c.trace.id)!)).map((t) => [t.type, t.tasks]));
        expect(counts).toEqual(c.types);
      });

      it('reads cores and GPUs per task of each type', async () => {
        const tasks = await store.loadTasks(runs.get(c.trace.id)!);
        for (const [type, [cores, gpus]] of Object.entries(c.resources)) {
          const i = tasks.type.indexOf(type);
          expect(i, type).toBeGreaterThanOrEqual(0);
          expect([tasks.cores[i], tasks.gpus[i]], type).toEqual([cores, gpus]);
        }
      });

      it('puts time zero at the first execution start and keeps the epoch', async () => {
        const run = runs.get(c.trace.id)!;
        const tasks = await store.loadTasks(run);
        expect(Math.min(...tasks.start)).toBe(0);
        expect(run.epoch).toBeGreaterThan(1.6e9); // August 2022
        expect(run.epoch).toBeLessThan(1.7e9);
      });
    });
  }

  it('keeps the stage instance and pipeline of every EnTK task (DG2 async: three pipelines)', async () => {
    const tasks = await store.loadTasks(runs.get(SUMMIT.dg2Async.id)!);
    const pipelinesOfType = new Map<string, Set<string>>();
    for (let i = 0; i < tasks.length; i++) {
      const set = pipelinesOfType.get(tasks.type[i]) ?? new Set<string>();
      set.add(tasks.pipeline[i]!);
      pipelinesOfType.set(tasks.type[i], set);
      expect(tasks.stage[i]).toMatch(new RegExp(`^${tasks.pipeline[i]}/stage\\.\\d{4}$`));
    }
    expect([...pipelinesOfType.get('T0')!]).toEqual(['pipeline.0000']);
    expect([...pipelinesOfType.get('T1T2')!]).toEqual(['pipeline.0000']);
    expect([...pipelinesOfType.get('T3T6')!]).toEqual(['pipeline.0001']);
    expect([...pipelinesOfType.get('T4T5')!]).toEqual(['pipeline.0002']);
    expect([...pipelinesOfType.get('T7')!]).toEqual(['pipeline.0002']);
  });

  it('stores the raw profile events: one exec_start and exec_stop per task, execution interval from them', async () => {
    const run = runs.get(SUMMIT.dg2Async.id)!;
    const tasks = await store.loadTasks(run);
    const events = await store.loadEvents(run, { names: ['exec_start', 'exec_stop', 'schedule_ok'] });
    const byTask = new Map<number, Record<string, number>>();
    for (let k = 0; k < events.length; k++) {
      const entry = byTask.get(events.task[k]) ?? {};
      entry[events.event[k]] = events.time[k];
      byTask.set(events.task[k], entry);
    }
    expect(byTask.size).toBe(256);
    for (const [i, e] of byTask) {
      expect(e.exec_start).toBe(tasks.start[i]);
      expect(e.exec_stop).toBe(tasks.end[i]);
      expect(e.schedule_ok).toBeLessThanOrEqual(e.exec_start);
    }
    // State-carrying events are kept too (AGENT_SCHEDULING is the start of the paper's scheduling metric).
    expect((await store.loadEvents(run, { states: ['AGENT_SCHEDULING'] })).length).toBe(256);
  });
});
