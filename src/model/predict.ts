/**
 * All predictions for one spec (definitions in docs/model.md):
 * - sequential: every stage alone, one after another (the sum of stage times plus overheads);
 * - sync: level by level, a barrier after each DAG level;
 * - async_ideal: the critical path with each stage as long as it takes alone on the machine;
 * - async: the simulation without barriers;
 * - improvement = 1 - async / sync (and 1 - async / sequential).
 * sequential, sync and async come from the same simulator, so all honour the platform's resources.
 *
 * Seed example (ample resources): A 500 -> {B1 1000 -> B2 2000 -> B3 2000, C1 1000 -> C2 4000}:
 * sequential 10500, sync 500 + 1000 + 4000 + 2000 = 7500, async 500 + 5000 = 5500, improvement 26.7%.
 */
import { criticalPath } from './critical-path.js';
import { buildDag } from './dag.js';
import { levels } from './levels.js';
import { middlewareOf, simulateMode, type Middleware, type Schedule } from './simulate.js';
import type { Platform, WorkflowSpec } from './spec.js';
import { expandSpec, type TaskGraph } from './task-graph.js';
import { aloneTime, slotsFor } from './time-alone.js';

/** Per stage (per task type for task-level specs). */
export interface StagePrediction {
  name: string;
  tasks: number;
  /** DAG level (task-level specs: the lowest level of the type's tasks). */
  level: number;
  /** Time the stage takes alone on the machine. */
  aloneS: number;
  /** First start and last end of its tasks in the simulated asynchronous execution. */
  startS: number;
  endS: number;
}

export interface Prediction {
  sequentialS: number;
  syncS: number;
  asyncIdealS: number;
  asyncS: number;
  improvement: { vsSync: number | null; vsSequential: number | null };
  stages: StagePrediction[];
  /** Stage (or task) names along the async_ideal critical path. */
  criticalPath: string[];
  /** The simulated schedules, per task of `graph` (for timelines). */
  schedules: { sequential: Schedule; sync: Schedule; async: Schedule };
  graph: TaskGraph;
}

/** The stable JSON of `predict --json` (documented in docs/readme/model.md). */
export interface PredictionJson {
  sequential_s: number;
  sync_s: number;
  async_ideal_s: number;
  async_s: number;
  improvement: { vs_sync: number | null; vs_sequential: number | null };
  stages: { name: string; tasks: number; level: number; alone_s: number; start_s: number; end_s: number }[];
}

export function predict(spec: WorkflowSpec): Prediction {
  const graph = expandSpec(spec);
  const overhead = spec.overheadS;
  const middleware = middlewareOf(spec);
  const schedules = {
    sequential: simulateMode(graph, spec.platform, 'sequential', overhead, middleware),
    sync: simulateMode(graph, spec.platform, 'sync', overhead, middleware),
    async: simulateMode(graph, spec.platform, 'async', overhead, middleware),
  };
  const alone = groupAloneTimes(graph, spec.platform);
  const ideal = criticalPath(graph.groups, alone, overhead);
  const level = levels(graph.groups).level;
  const stages =
    spec.kind === 'stages'
      ? spec.stages.map((stage, g) => {
          const span = groupSpan(graph, schedules.async, g);
          return { name: stage.name, tasks: stage.durations.length, level: level[g], aloneS: alone[g], startS: span.start, endS: span.end };
        })
      : typeRows(graph, spec.platform, level, schedules.async, overhead, middleware);
  const asyncS = schedules.async.makespanS;
  return {
    sequentialS: schedules.sequential.makespanS,
    syncS: schedules.sync.makespanS,
    asyncIdealS: ideal.lengthS,
    asyncS,
    improvement: { vsSync: improvement(asyncS, schedules.sync.makespanS), vsSequential: improvement(asyncS, schedules.sequential.makespanS) },
    stages,
    criticalPath: ideal.path.map((g) => graph.groupNames[g]),
    schedules,
    graph,
  };
}

/** 1 - faster / slower; null when the baseline is zero. */
export function improvement(faster: number, baseline: number): number | null {
  return baseline > 0 ? 1 - faster / baseline : null;
}

export function predictionJson(prediction: Prediction): PredictionJson {
  return {
    sequential_s: prediction.sequentialS,
    sync_s: prediction.syncS,
    async_ideal_s: prediction.asyncIdealS,
    async_s: prediction.asyncS,
    improvement: { vs_sync: prediction.improvement.vsSync, vs_sequential: prediction.improvement.vsSequential },
    stages: prediction.stages.map((s) => ({ name: s.name, tasks: s.tasks, level: s.level, alone_s: s.aloneS, start_s: s.startS, end_s: s.endS })),
  };
}

/** Alone time of every group: a stage's tasks share one size, so they run in waves on the slots. */
function groupAloneTimes(graph: TaskGraph, platform: Platform): Float64Array {
  const alone = new Float64Array(graph.groups.size);
  for (let g = 0; g < graph.groups.size; g++) {
    const first = graph.groupStart[g];
    const last = graph.groupStart[g + 1];
    // Tasks of several ranks: slots for ranks, then ranks per task.
    const r = Math.max(1, graph.ranks[first] ?? 1);
    const slots = first === last ? 0 : Math.floor(slotsFor(platform, graph.cores[first] / r, graph.gpus[first] / r) / r);
    alone[g] = first === last ? 0 : aloneTime(graph.duration.subarray(first, last), slots);
  }
  return alone;
}

function groupSpan(graph: TaskGraph, schedule: Schedule, g: number): { start: number; end: number } {
  let start = Infinity;
  let end = -Infinity;
  for (let t = graph.groupStart[g]; t < graph.groupStart[g + 1]; t++) {
    if (schedule.start[t] < start) start = schedule.start[t];
    if (schedule.end[t] > end) end = schedule.end[t];
  }
  return { start, end };
}

/**
 * Task-level specs are reported per task type: its task count, lowest level, first start and last
 * end in the asynchronous schedule, and its time alone = its tasks simulated alone on the machine
 * with the dependencies among them.
 */
function typeRows(graph: TaskGraph, platform: Platform, level: Int32Array, schedule: Schedule, overhead: number, middleware: Middleware): StagePrediction[] {
  const byType = new Map<string, number[]>();
  for (let t = 0; t < graph.taskCount; t++) {
    const type = graph.groupTypes[t];
    let list = byType.get(type);
    if (!list) byType.set(type, (list = []));
    list.push(t);
  }
  const rows: StagePrediction[] = [];
  for (const [type, tasks] of byType) {
    let minLevel = Infinity;
    let start = Infinity;
    let end = -Infinity;
    for (const t of tasks) {
      minLevel = Math.min(minLevel, level[t]);
      start = Math.min(start, schedule.start[t]);
      end = Math.max(end, schedule.end[t]);
    }
    const sub = subgraph(graph, tasks);
    const aloneS = simulateMode(sub, platform, 'async', overhead, middleware).makespanS;
    rows.push({ name: type, tasks: tasks.length, level: minLevel, aloneS, startS: start, endS: end });
  }
  return rows;
}

/** The task-level graph induced by some tasks (each task its own group), keeping edges among them. */
function subgraph(graph: TaskGraph, tasks: number[]): TaskGraph {
  const local = new Map<number, number>();
  tasks.forEach((t, i) => local.set(t, i));
  const from: number[] = [];
  const to: number[] = [];
  const n = tasks.length;
  const sub: TaskGraph = {
    taskCount: n,
    duration: new Float64Array(n),
    cores: new Float64Array(n),
    gpus: new Float64Array(n),
    ranks: new Int32Array(n),
    groupOf: new Int32Array(n),
    groupStart: new Int32Array(n + 1),
    groups: buildDag(0, [], []),
    groupNames: new Array<string>(n),
    groupTypes: new Array<string>(n),
  };
  tasks.forEach((t, i) => {
    sub.duration[i] = graph.duration[t];
    sub.cores[i] = graph.cores[t];
    sub.gpus[i] = graph.gpus[t];
    sub.ranks[i] = graph.ranks[t];
    sub.groupOf[i] = i;
    sub.groupStart[i] = i;
    sub.groupNames[i] = graph.groupNames[t];
    sub.groupTypes[i] = graph.groupTypes[t];
    const g = graph.groupOf[t];
    for (let k = graph.groups.parentStart[g]; k < graph.groups.parentStart[g + 1]; k++) {
      const p = local.get(graph.groups.parentList[k]);
      if (p !== undefined) {
        from.push(p);
        to.push(i);
      }
    }
  });
  sub.groupStart[n] = n;
  sub.groups = buildDag(n, from, to);
  return sub;
}
