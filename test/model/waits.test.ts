/**
 * Waits and the critical path of measured runs: a hand-computed run, then the Summit runs. On DG1,
 * where asynchronous execution gained nothing, the waits say why: the path runs through every
 * level, and T7 (like T0) needs every GPU.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { dataSpans } from '../../src/model/data-spans.js';
import { storedCriticalPath } from '../../src/model/from-store.js';
import type { RunData } from '../../src/model/infer-spec.js';
import { criticalPathJson, pathSegments, runCriticalPath } from '../../src/model/run-critical-path.js';
import { UNKNOWN_CAPACITY } from '../../src/run/capacity.js';
import { EdgeTable } from '../../src/run/edge-table.js';
import { EventTable } from '../../src/run/event-table.js';
import { TaskTable } from '../../src/run/task-table.js';
import type { StoredRun } from '../../src/run/stored-run.js';
import { describeWithShared } from '../helpers/shared-traces.js';
import { ingestInto, memoryStore } from '../helpers/store.js';
import { SHARED, SUMMIT } from '../helpers/traces.js';

/**
 * One node of 4 cores and 1 GPU.
 *   A [0, 10)   1 core, 1 GPU
 *   B [12, 20)  1 core, 1 GPU           (no dependency: waits 10 s for A's GPU, then 2 s launch)
 *   C [11, 15)  2 cores, after A        (A's output staged [10, 10.2), C's input [10, 10.5))
 *   D [20, 25)  4 cores, 1 GPU, after C (ready at 15; B holds the GPU until 20)
 */
function handRun(): { run: RunData; staging: ReturnType<typeof dataSpans> } {
  const tasks = new TaskTable();
  tasks.push({ uid: 'A', type: 'a', cores: 1, gpus: 1, start: 0, end: 10, node: 'n0' });
  tasks.push({ uid: 'B', type: 'b', cores: 1, gpus: 1, start: 12, end: 20, node: 'n0' });
  tasks.push({ uid: 'C', type: 'c', cores: 2, gpus: 0, start: 11, end: 15, node: 'n0' });
  tasks.push({ uid: 'D', type: 'd', cores: 4, gpus: 1, start: 20, end: 25, node: 'n0' });
  const edges = new EdgeTable();
  edges.push(0, 2);
  edges.push(2, 3);
  const events = new EventTable();
  events.push(0, 'staging_stdout_start', null, 10);
  events.push(0, 'staging_stdout_stop', null, 10.2);
  events.push(2, 'staging_in_start', null, 10);
  events.push(2, 'exec_start', null, 10.6);
  events.push(2, 'staging_in_stop', null, 10.5);
  return {
    run: { id: 'hand', workflow: null, capacity: { ...UNKNOWN_CAPACITY, nodes: 1, coresPerNode: 4, gpusPerNode: 1 }, scheduled: true, makespanS: 25, tasks, edges },
    staging: dataSpans(events),
  };
}

describe('waits of a measured run', () => {
  const { run, staging } = handRun();
  const r = runCriticalPath(run, { platform: { kind: 'nodes', nodes: 1, coresPerNode: 4, gpusPerNode: 1 }, staging });
  const w = r.waits;

  it('pairs staging and transfer events into spans', () => {
    expect(staging).toEqual({ task: [0, 2], start: [10, 10], end: [10.2, 10.5] });
  });

  it('splits each wait into dependencies, staging, GPUs, CPUs and launch', () => {
    expect(r.structure).toBe('dag');
    expect(r.resources).toBe('nodes');
    // A: a source that started at once. B: 10 s for A's GPU, then 2 s launch.
    expect([w.dependencies[0], w.gpus[0], w.launch[0]]).toEqual([0, 0, 0]);
    expect([w.dependencies[1], w.gpus[1], w.cpus[1], w.launch[1]]).toEqual([0, 10, 0, 2]);
    // C: 10 s for A, then its input and A's output staged for 0.5 s, 0.5 s launch.
    expect(w.dependencies[2]).toBe(10);
    expect(w.staging[2]).toBeCloseTo(0.5, 12);
    expect(w.launch[2]).toBeCloseTo(0.5, 12);
    // D: ready at 15, the GPU busy with B until 20.
    expect([w.dependencies[3], w.gpus[3], w.cpus[3], w.launch[3]]).toEqual([15, 5, 0, 0]);
  });

  it('says how much of a dependency wait the task would have waited anyway, and for what', () => {
    // D during [0, 15): A holds the GPU [0, 10), nothing [10, 11), C 2 cores [11, 12), B's GPU [12, 15).
    expect(w.dependenciesBlocked[3]).toBe(14);
    expect(w.dependenciesBlockedGpus[3]).toBe(13);
    expect(w.dependenciesBlocked[2]).toBe(0);
  });

  it('walks the critical path back through GPUs freed: A -> B -> D, its steps summing to the makespan', () => {
    const json = criticalPathJson(run, r);
    expect(json.path.steps.map((s) => [s.uid, s.link, s.after, s.gap_s])).toEqual([
      ['A', 'start', null, 0],
      ['B', 'gpus', 'A', 2],
      ['D', 'gpus', 'B', 0],
    ]);
    expect(json.path.running_s + json.path.launch_s + json.path.staging_s).toBe(25);
    expect(json.path.links).toEqual({ start: 1, dependency: 0, cpus: 0, gpus: 2 });
    expect(json.waits.total).toMatchObject({ tasks: 4, dependencies_s: 25, gpus_s: 15, cpus_s: 0 });
    expect(json.findings.some((f) => f.startsWith('2 step(s) of the path waited 2 for GPUs'))).toBe(true);
  });

  it('pools the resources when tasks do not say their node, and still finds the task that freed the GPU', () => {
    const { run: other } = handRun();
    other.tasks.node.fill(null);
    other.tasks.start[3] = 16; // D starts at 16: B ended early (at 15.5), so D fitted and waited only for C
    other.tasks.end[1] = 15.5;
    const p = runCriticalPath(other, { platform: { kind: 'nodes', nodes: 1, coresPerNode: 4, gpusPerNode: 1 }, staging: null });
    expect(p.resources).toBe('pooled');
    expect(p.waits.gpus[3]).toBeCloseTo(0.5, 12);
    const last = p.steps[p.steps.length - 1];
    expect([other.tasks.uid[last.task], last.link, other.tasks.uid[last.after]]).toEqual(['D', 'gpus', 'B']);
    const stepsBefore = p.steps.map((s) => other.tasks.uid[s.task]);
    expect(stepsBefore).toEqual(['A', 'B', 'D']);
  });
});

describeWithShared('the critical path of the Summit runs', () => {
  const store = memoryStore();
  const runs: Record<string, StoredRun> = {};
  beforeAll(async () => {
    for (const key of ['dg2Async', 'ddmdAsync'] as const) [runs[key]] = await ingestInto(store, [SUMMIT[key].file]);
  }, 180_000);

  it('DG2 async: T0 -> T1T2 -> T3T6 through dependencies, every step accounted for', async () => {
    const { json } = await storedCriticalPath(store, runs.dg2Async);
    expect(json.path.types).toEqual(['T0', 'T1T2', 'T3T6']);
    expect(json.path.running_s + json.path.launch_s + json.path.staging_s).toBeCloseTo(SUMMIT.dg2Async.makespan, 3);
    expect(json.path.links.dependency).toBe(2);
    expect(json.resources).toBe('nodes');
  });

  it('DDMD async: the second wave of simulations waited for GPUs the first wave freed', async () => {
    const { json } = await storedCriticalPath(store, runs.ddmdAsync);
    expect(json.path.steps[1]).toMatchObject({ type: 'Simulation', link: 'gpus' });
    const sims = json.waits.by_type.find((w) => w.type === 'Simulation')!;
    expect(sims.gpus_s).toBeGreaterThan(96 * 300); // 96 simulations of the second wave, ~340 s each
    expect(pathSegments(json)[0]).toMatchObject({ type: 'Simulation', inner: { gpus: 1 } });
  });
});

describeWithShared('DG1 on Summit: why asynchronous execution gained nothing', () => {
  const store = memoryStore();
  const runs: Record<string, StoredRun> = {};
  beforeAll(async () => {
    [runs.sync] = await ingestInto(store, [SHARED.dg1Sync.file]);
    [runs.async] = await ingestInto(store, [SHARED.dg1Async.file]);
  }, 180_000);

  it('both critical paths run through every level, only through dependencies', async () => {
    const sync = (await storedCriticalPath(store, runs.sync)).json;
    const async = (await storedCriticalPath(store, runs.async)).json;
    expect(sync.path.types).toEqual(['T0', 'T1T2', 'T3T6', 'T7']);
    expect(async.path.types).toEqual(['T0', 'T1T2', 'T4T5', 'T7']);
    for (const json of [sync, async]) {
      expect(json.path.links).toEqual({ start: 1, dependency: 3, cpus: 0, gpus: 0 });
      expect(json.path.running_s / json.makespan_s).toBeGreaterThan(0.98);
    }
  });

  it('T7 needs every GPU: it holds all 96, and would have waited for T0 to free them even without its dependencies', async () => {
    const { json } = await storedCriticalPath(store, runs.async);
    const t7 = json.saturation.find((s) => s.type === 'T7')!;
    expect([t7.peak_gpus, t7.gpus_share]).toEqual([96, 1]);
    const waits = json.waits.by_type.find((w) => w.type === 'T7')!;
    expect(waits.dependencies_blocked_s / waits.dependencies_s).toBeGreaterThan(0.6); // T0's 769 s of its 1176 s
    expect(json.findings).toContain('T7 holds every GPU (96 of 96) while it runs: nothing else that needs a GPU can run beside it, whatever the dependencies allow.');
    expect(json.findings.some((f) => f.startsWith('Even without its dependencies T7 could not have started earlier') && f.endsWith('the GPUs it needs were taken.'))).toBe(true);
    expect(json.findings.some((f) => f.startsWith('Every step of the path waited only for its dependencies'))).toBe(true);
  });
});
