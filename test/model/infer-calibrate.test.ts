/**
 * Inference of a spec from stored runs and calibration from a synchronous run: on the Summit
 * traces (structure of the README), and on small runs built by hand (barrier gaps, task DAGs).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { applyCalibration, calibrate, spread } from '../../src/model/calibrate.js';
import { compareRuns } from '../../src/model/compare.js';
import { loadRunData } from '../../src/model/from-store.js';
import { inferSpec, type RunData } from '../../src/model/infer-spec.js';
import { parseSpec } from '../../src/model/parse-spec.js';
import { platformFromCapacity } from '../../src/model/platform.js';
import { predict } from '../../src/model/predict.js';
import type { StageLevelSpec } from '../../src/model/spec.js';
import { UNKNOWN_CAPACITY } from '../../src/run/capacity.js';
import { EdgeTable } from '../../src/run/edge-table.js';
import type { TaskFields } from '../../src/run/task-fields.js';
import { TaskTable } from '../../src/run/task-table.js';
import { ingestInto, memoryStore } from '../helpers/store.js';
import { SUMMIT } from '../helpers/traces.js';
import { describeWithShared } from '../helpers/shared-traces.js';

const SUMMIT_PLATFORM = { kind: 'nodes', nodes: 16, coresPerNode: 168, gpusPerNode: 6 } as const;

const outline = (spec: StageLevelSpec) => spec.stages.map((s) => `${s.name} x${s.durations.length} <- ${s.after.join(',') || '-'}`);

describeWithShared('inference and calibration on the Summit traces', () => {
  const data = new Map<string, RunData>();
  beforeAll(async () => {
    const store = memoryStore();
    for (const trace of [SUMMIT.dg2Sync, SUMMIT.dg2Async, SUMMIT.ddmdSync, SUMMIT.ddmdAsync]) {
      const [run] = await ingestInto(store, [trace.file]);
      data.set(trace.id, await loadRunData(store, run));
    }
  });
  const infer = (id: string) => inferSpec(data.get(id)!, { platform: platformFromCapacity(data.get(id)!.capacity)! });

  it('DG2 async: the DAG of the README, T3T6 beside T4T5 -> T7', () => {
    const inferred = infer(SUMMIT.dg2Async.id);
    expect(inferred.spec.platform).toEqual(SUMMIT_PLATFORM);
    expect(outline(inferred.spec as StageLevelSpec)).toEqual(['T0 x96 <- -', 'T1T2 x32 <- T0', 'T3T6 x96 <- T1T2', 'T4T5 x16 <- T1T2', 'T7 x16 <- T4T5']);
    const t3t6 = (inferred.spec as StageLevelSpec).stages[2];
    expect([t3t6.cores, t3t6.gpus]).toEqual([4, 1]);
    expect(Math.min(...t3t6.durations)).toBeGreaterThan(768);
    expect(Math.max(...t3t6.durations)).toBeLessThan(771);
  });

  it('DG2 sync: the merged stage of 112 tasks is split by resources, and T7 waits for both parts', () => {
    expect(outline(infer(SUMMIT.dg2Sync.id).spec as StageLevelSpec)).toEqual([
      'T0 x96 <- -',
      'T1T2 x32 <- T0',
      'T3T6-4c1g x96 <- T1T2',
      'T3T6-4c x16 <- T1T2',
      'T7 x16 <- T3T6-4c1g,T3T6-4c',
    ]);
  });

  it('DDMD async: Simulation x192 first, then iteration 3 beside the analysis of iterations 1 and 2', () => {
    const spec = infer(SUMMIT.ddmdAsync.id).spec as StageLevelSpec;
    // Ordered by first start: the middleware placed pipeline 2's preprocessing, then pipeline 1's
    // simulations, then pipeline 3's preprocessing. MachineLearning.1/.2 end within the barrier gap of
    // each other, so both become parents of both Agent stages (harmless: they end together).
    expect(outline(spec)).toEqual([
      'Simulation.1 x192 <- -',
      'Preprocessing.1 x16 <- Simulation.1',
      'Simulation.2 x96 <- Simulation.1',
      'Preprocessing.2 x16 <- Simulation.1',
      'MachineLearning.1 x1 <- Preprocessing.1',
      'MachineLearning.2 x1 <- Preprocessing.2',
      'Agent.1 x96 <- MachineLearning.1,MachineLearning.2',
      'Agent.2 x96 <- MachineLearning.1,MachineLearning.2',
      'Preprocessing.3 x16 <- Simulation.2,MachineLearning.1,MachineLearning.2',
      'MachineLearning.3 x1 <- Agent.2,Preprocessing.3',
      'Agent.3 x96 <- MachineLearning.3',
    ]);
  });

  it('calibrates the overhead as the median gap between the end of a stage and the start of the next, in the synchronous runs', () => {
    for (const id of [SUMMIT.dg2Sync.id, SUMMIT.ddmdSync.id]) {
      const run = data.get(id)!;
      const calibration = calibrate(run, infer(id));
      // Independently: the synchronous runs are one pipeline of stages in a row; gap = first start of
      // stage k+1 - last end of stage k.
      const t = run.tasks;
      const stages = new Map<string, { start: number; end: number }>();
      for (let i = 0; i < t.length; i++) {
        const s = stages.get(t.stage[i]!) ?? { start: Infinity, end: -Infinity };
        stages.set(t.stage[i]!, { start: Math.min(s.start, t.start[i]), end: Math.max(s.end, t.end[i]) });
      }
      const ordered = [...stages.values()].sort((a, b) => a.start - b.start);
      const gaps = ordered.slice(1).map((s, k) => s.start - ordered[k].end);
      expect([...calibration.gaps].sort()).toEqual([...gaps].sort());
      const sorted = [...gaps].sort((a, b) => a - b);
      expect(calibration.overheadS).toBeCloseTo(sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2, 9);
      expect(calibration.overheadS).toBeGreaterThan(5);
      expect(calibration.overheadS).toBeLessThan(9);
    }
  });

  it("matches the async run's T4T5 tasks to the sync run's by task name (they ran inside its T3T6 stage)", () => {
    const syncRun = data.get(SUMMIT.dg2Sync.id)!;
    const asyncRun = data.get(SUMMIT.dg2Async.id)!;
    const calibration = calibrate(syncRun, infer(SUMMIT.dg2Sync.id));
    const inferred = infer(SUMMIT.dg2Async.id);
    const names = (s: number) => inferred.stageTasks![s].map((i) => asyncRun.tasks.name[i]);
    const applied = applyCalibration(inferred.spec, calibration, names);
    expect(applied.uncalibrated).toEqual([]);
    const t4t5 = (applied.spec as StageLevelSpec).stages[3];
    expect(Math.max(...t4t5.durations)).toBeGreaterThan(229);
    expect(Math.max(...t4t5.durations)).toBeLessThan(233);
    expect(applied.spec.overheadS).toBe(calibration.overheadS);
    // The hand-written spec has no task names: T4T5 keeps its own 230 s and is reported.
    const fromSpec = applyCalibration(parseSpec(`stages: [{ name: T4T5, tasks: 16, duration_s: 230, cores: 4 }]`), calibration);
    expect(fromSpec.uncalibrated).toEqual(['T4T5']);
    expect((fromSpec.spec as StageLevelSpec).stages[0].durations[0]).toBe(230);
  });

  it('compare: the four targets of the issue, in process', () => {
    const dg2 = compareRuns({ sync: data.get(SUMMIT.dg2Sync.id)!, async: data.get(SUMMIT.dg2Async.id)! });
    expect(dg2.measured.syncS).toBeCloseTo(1800.123, 3);
    expect(dg2.measured.asyncS).toBeCloseTo(1332.734, 3);
    expect(Math.abs(dg2.error.sync)).toBeLessThan(0.03);
    expect(Math.abs(dg2.error.async)).toBeLessThan(0.03);
    expect(Math.abs(dg2.error.improvementPp)).toBeLessThan(3);
    const ddmd = compareRuns({ sync: data.get(SUMMIT.ddmdSync.id)!, async: data.get(SUMMIT.ddmdAsync.id)! });
    expect(Math.abs(ddmd.error.sync)).toBeLessThan(0.05);
    expect(Math.abs(ddmd.error.async)).toBeLessThan(0.05);
    expect(Math.abs(ddmd.error.improvementPp)).toBeLessThan(3);
    // Node packing, observed and simulated: Preprocessing placed first fills the first nodes (5 x 32 of
    // 168 cores), so 12 simulations of iteration 3 wait ~85 s for cores; the stage ended at 1121.2 s.
    const sim2 = ddmd.asyncPrediction.stages.find((s) => s.name === 'Simulation.2')!;
    expect(sim2.endS).toBeGreaterThan(1121.2 * 0.99);
    expect(sim2.endS).toBeLessThan(1121.2 * 1.01);
    const pooled = predict({ ...ddmd.asyncSpec, platform: { kind: 'pool', cores: 2688, gpus: 96 } });
    expect(sim2.endS - pooled.stages.find((s) => s.name === 'Simulation.2')!.endS).toBeGreaterThan(80);
  });

  it('compare: says when a run is stored as the other mode than the role it is given, whoever compares', () => {
    const sync = { ...data.get(SUMMIT.dg2Sync.id)!, mode: 'sync' as const };
    const async = { ...data.get(SUMMIT.dg2Async.id)!, mode: 'async' as const };
    const roleWarnings = (c: ReturnType<typeof compareRuns>) => c.warnings.filter((w) => w.includes('but given as'));
    expect(roleWarnings(compareRuns({ sync, async }))).toEqual([]);
    expect(roleWarnings(compareRuns({ sync: async, async: sync }))).toEqual([
      `run ${SUMMIT.dg2Async.id} is stored as an asynchronous run but given as the synchronous one`,
      `run ${SUMMIT.dg2Sync.id} is stored as a synchronous run but given as the asynchronous one`,
    ]);
  });
});

/** A run built by hand: tasks as objects, times in seconds. */
function runOf(tasks: TaskFields[], options: { edges?: [number, number][]; scheduled?: boolean } = {}): RunData {
  const table = new TaskTable();
  for (const task of tasks) table.push(task);
  const edges = new EdgeTable();
  for (const [p, c] of options.edges ?? []) edges.push(p, c);
  return { id: 'hand', workflow: null, capacity: { ...UNKNOWN_CAPACITY, cores: 8, gpus: 0 }, scheduled: options.scheduled ?? true, makespanS: null, tasks: table, edges };
}

describe('inference on small runs', () => {
  const pool = { kind: 'pool', cores: 8, gpus: 0 } as const;
  // Two pipelines: p1 [A 0-100], p2 [B starts 110]; C (p3) starts 90, before A ends.
  const tasks: TaskFields[] = [
    { uid: 'a0', type: 'A', stage: 's.A', pipeline: 'p1', start: 0, end: 100, cores: 1 },
    { uid: 'a1', type: 'A', stage: 's.A', pipeline: 'p1', start: 1, end: 98, cores: 1 },
    { uid: 'b0', type: 'B', stage: 's.B', pipeline: 'p2', start: 110, end: 150, cores: 2 },
    { uid: 'c0', type: 'C', stage: 's.C', pipeline: 'p3', start: 90, end: 120, cores: 1 },
    { uid: 'd0', type: 'D', stage: 's.D', pipeline: 'p1', start: 400, end: 410, cores: 1 },
  ];

  it('adds a barrier edge when a stage starts within --barrier-gap of another one ending, and pipeline order edges', () => {
    const near = inferSpec(runOf(tasks), { platform: pool });
    // by first start: A (0), C (90), B (110), D (400); D follows A in pipeline p1 although 300 s later
    expect(outline(near.spec as StageLevelSpec)).toEqual(['A x2 <- -', 'C x1 <- -', 'B x1 <- A', 'D x1 <- A']);
    const strict = inferSpec(runOf(tasks), { platform: pool, barrierGapS: 5 });
    expect(outline(strict.spec as StageLevelSpec)).toEqual(['A x2 <- -', 'C x1 <- -', 'B x1 <- -', 'D x1 <- A']);
    expect((near.spec as StageLevelSpec).stages[0].durations).toEqual([100, 97]);
  });

  it('leaves out tasks that did not run, and says so', () => {
    const inferred = inferSpec(runOf([...tasks, { uid: 'x', type: 'A', stage: 's.A', pipeline: 'p1', start: 5 }]), { platform: pool });
    expect(inferred.warnings).toContain('1 task(s) without a start and end time were left out of the spec');
  });

  it('builds a task-level DAG from task edges and runtimes when the run has no timeline', () => {
    const run = runOf(
      [
        { uid: 'a', type: 'split', runtime: 10, cores: 2 },
        { uid: 'b', type: 'work', runtime: 20, cores: 2 },
        { uid: 'c', type: 'work', runtime: 30 },
        { uid: 'd', type: 'join', runtime: 5, cores: 2 },
      ],
      { edges: [[0, 1], [0, 2], [1, 3], [2, 3]], scheduled: false },
    );
    const inferred = inferSpec(run, { platform: pool });
    expect(inferred.spec).toEqual({
      kind: 'tasks',
      name: 'hand',
      platform: pool,
      overheadS: 0,
      tasks: [
        { id: 'a', type: 'split', durationS: 10, cores: 2, gpus: 0, parents: [] },
        { id: 'b', type: 'work', durationS: 20, cores: 2, gpus: 0, parents: ['a'] },
        { id: 'c', type: 'work', durationS: 30, cores: 1, gpus: 0, parents: ['a'] },
        { id: 'd', type: 'join', durationS: 5, cores: 2, gpus: 0, parents: ['b', 'c'] },
      ],
    });
    expect(inferred.warnings).toEqual(['1 task(s) do not state their cores; counted as 1 core']);
    expect(predict(inferred.spec).asyncS).toBe(45);
  });

  it('rejects task edges that form a cycle, naming the tasks', () => {
    const run = runOf([{ uid: 'a', type: 't', runtime: 1 }, { uid: 'b', type: 't', runtime: 1 }], { edges: [[0, 1], [1, 0]], scheduled: false });
    expect(() => inferSpec(run, { platform: pool })).toThrow('run hand: task dependencies form a cycle: a -> b -> a');
  });

  it('rejects a task too big for the platform, pointing at the capacity flags', () => {
    expect(() => inferSpec(runOf(tasks), { platform: { kind: 'pool', cores: 1, gpus: 0 } })).toThrow(
      'run hand: stage B: 2 cores per task but the platform has 1 (state the machine with --cores, --gpus and --nodes)',
    );
  });
});

describe('spread', () => {
  it('spreads a sorted sample evenly over n tasks, keeping its extremes; one task gets the median', () => {
    expect(spread([10, 20, 30, 40, 50], 3)).toEqual([10, 30, 50]);
    expect(spread([10, 20], 3)).toEqual([10, 15, 20]);
    expect(spread([10, 20, 30], 1)).toEqual([20]);
    expect(spread([7], 4)).toEqual([7, 7, 7, 7]);
  });
});
