/**
 * The degree-of-asynchronicity sweep (docs/model.md, "The sweep"): a family of workflows with
 * the same stages (the same total work) on the same platform, whose dependencies go from a chain
 * of levels (every stage waits for the whole level before it: nothing of one level can overlap
 * the next, which is what a level-by-level execution does anyway) to the workflow's own DAG (the
 * generated family: fully independent branches), each member simulated level by level and
 * asynchronously.
 *
 * The members: take the workflow's DAG levels; a *barrier edge* is a pair (u, v) with v one level
 * below u that is not a dependency already. Member k keeps k of the M barrier edges: k = M is the
 * chain of levels, k = 0 the workflow itself. Barrier edges are dropped from the last level to
 * the first (and, within a level, in spec order): asynchronicity comes in from the end of the
 * workflow backwards. Adding such edges never changes a stage's level, so every member has the
 * same level-by-level makespan; only the asynchronous one moves.
 *
 * Each member's spec is a normal workflow spec (`sweepPointSpec`, pure), so that each point can
 * also be executed for real (a later `sweep --measure` runs it with `asyncscope run`).
 *
 * The x axis is the degree of asynchronicity of the simulated asynchronous execution, measured as
 * on a run (docs/metrics.md: the time-weighted mean number of task types running), so the Summit
 * runs' measured doa and improvement can be set on the same axes.
 */
import { asynchronicityOf } from '../analysis/asynchronicity.js';
import { timelineOf } from '../analysis/timeline.js';
import { InputError } from '../errors.js';
import { buildDag } from './dag.js';
import { levels } from './levels.js';
import { improvement } from './predict.js';
import { middlewareOf, simulateMode, type Schedule } from './simulate.js';
import type { StageLevelSpec, StageSpec, WorkflowSpec } from './spec.js';
import { expandSpec, type TaskGraph } from './task-graph.js';

export interface SweepFamily {
  base: StageLevelSpec;
  /** Barrier edges (parent stage index, child stage index), in the order they are dropped. */
  barriers: [number, number][];
}

export interface SweepPoint {
  /** Barrier edges kept: M (a chain of levels) down to 0 (the workflow's own DAG). */
  kept: number;
  /** 1 - kept / M: the share of the barrier edges dropped (1 when M = 0). */
  degree: number;
  /** Degree of asynchronicity of the simulated asynchronous execution, by task type (null when nothing ran for a positive time). */
  doa: number | null;
  syncS: number;
  asyncS: number;
  /** 1 - async / sync. */
  improvement: number | null;
}

/** The family of a stage-level workflow. */
export function sweepFamily(spec: WorkflowSpec): SweepFamily {
  if (spec.kind !== 'stages') throw new InputError('sweep needs a stage-level workflow (stages with dependencies); a task-level DAG has no stages to couple level by level');
  const index = new Map(spec.stages.map((s, i) => [s.name, i]));
  const from: number[] = [];
  const to: number[] = [];
  spec.stages.forEach((s, i) => s.after.forEach((p) => (from.push(index.get(p)!), to.push(i))));
  const level = levels(buildDag(spec.stages.length, from, to)).level;
  const parents = spec.stages.map((s) => new Set(s.after.map((p) => index.get(p)!)));
  const barriers: [number, number][] = [];
  for (let v = 0; v < spec.stages.length; v++) {
    for (let u = 0; u < spec.stages.length; u++) if (level[u] === level[v] - 1 && !parents[v].has(u)) barriers.push([u, v]);
  }
  // Dropped from the last level to the first; within a level, in spec order.
  barriers.sort((a, b) => level[b[1]] - level[a[1]] || a[1] - b[1] || a[0] - b[0]);
  return { base: spec, barriers };
}

/** The member keeping `kept` barrier edges: a normal stage-level spec. */
export function sweepPointSpec(family: SweepFamily, kept: number): StageLevelSpec {
  const { base, barriers } = family;
  if (!(Number.isInteger(kept) && kept >= 0 && kept <= barriers.length)) throw new RangeError(`kept must be 0..${barriers.length}, got ${kept}`);
  const extra = base.stages.map(() => [] as string[]);
  // The first barrier edges are dropped first: a member keeps the last `kept`.
  for (const [u, v] of barriers.slice(barriers.length - kept)) extra[v].push(base.stages[u].name);
  const stages: StageSpec[] = base.stages.map((s, i) => (extra[i].length > 0 ? { ...s, after: [...s.after, ...extra[i]] } : s));
  return { ...base, stages };
}

/** Members to simulate: every one, or `points` of them spread evenly (both ends included). */
export function sweepMembers(family: SweepFamily, points = Infinity): number[] {
  const m = family.barriers.length;
  if (m + 1 <= points) return Array.from({ length: m + 1 }, (_, i) => m - i);
  const out = new Set<number>();
  for (let j = 0; j < points; j++) out.add(Math.round(m - (j * m) / (points - 1)));
  return [...out];
}

export function simulateSweep(family: SweepFamily, members: readonly number[]): SweepPoint[] {
  const m = family.barriers.length;
  return members.map((kept) => {
    const spec = sweepPointSpec(family, kept);
    const graph = expandSpec(spec);
    const middleware = middlewareOf(spec);
    const sync = simulateMode(graph, spec.platform, 'sync', spec.overheadS, middleware);
    const async = simulateMode(graph, spec.platform, 'async', spec.overheadS, middleware);
    return {
      kept,
      degree: m === 0 ? 1 : 1 - kept / m,
      doa: scheduleDoa(graph, async),
      syncS: sync.makespanS,
      asyncS: async.makespanS,
      improvement: improvement(async.makespanS, sync.makespanS),
    };
  });
}

/** The degree of asynchronicity of a simulated schedule, by task type, as analyze measures a run's. */
export function scheduleDoa(graph: TaskGraph, schedule: Schedule): number | null {
  const types = new Map<string, number>();
  const group = new Int32Array(graph.taskCount);
  for (let t = 0; t < graph.taskCount; t++) {
    const type = graph.groupTypes[graph.groupOf[t]];
    let g = types.get(type);
    if (g === undefined) types.set(type, (g = types.size));
    group[t] = g;
  }
  const spans = { length: graph.taskCount, start: schedule.start, end: schedule.end, group };
  return asynchronicityOf({ groups: [...types.keys()] }, timelineOf(spans)).doa;
}

/**
 * The paper's example (Pascuzzi et al., JSSPP 2023): A 500 s, then B 1000 -> 2000 -> 2000 beside
 * C 1000 -> 4000, with ample resources: 7500 s level by level, 5500 s asynchronously.
 */
export function paperExample(): StageLevelSpec {
  const stage = (name: string, duration: number, after: string[]): StageSpec => ({ name, type: name, durations: [duration], cores: 1, gpus: 0, after });
  return {
    kind: 'stages',
    name: 'paper example',
    platform: { kind: 'unbounded' },
    overheadS: 0,
    stages: [stage('A', 500, []), stage('B1', 1000, ['A']), stage('B2', 2000, ['B1']), stage('B3', 2000, ['B2']), stage('C1', 1000, ['A']), stage('C2', 4000, ['C1'])],
  };
}

/**
 * A generated family's workflow: a source stage S of `unitS` seconds, then `branches` independent
 * chains of `levels` stages. Stage l of branch b lasts unitS x (1 + (b + l) mod branches): every
 * branch does the same work, and the slowest stage of each level falls in a different branch, so
 * a level-by-level execution pays the slowest at every level while the branches, run on their
 * own, finish together. Each stage is one task of one core (ample resources unless a platform is
 * given).
 */
export function branchesExample(branches: number, depth: number, unitS = 100): StageLevelSpec {
  if (!(Number.isInteger(branches) && branches >= 1 && Number.isInteger(depth) && depth >= 1)) throw new InputError('--branches and --levels: expected positive whole numbers');
  if (branches * depth > 10_000) throw new InputError(`--branches x --levels: ${branches * depth} stages is more than the sweep simulates (10,000)`);
  const stages: StageSpec[] = [{ name: 'S', type: 'S', durations: [unitS], cores: 1, gpus: 0, after: [] }];
  for (let b = 0; b < branches; b++) {
    for (let l = 0; l < depth; l++) {
      const name = `b${b + 1}.${l + 1}`;
      stages.push({ name, type: name, durations: [unitS * (1 + ((b + l) % branches))], cores: 1, gpus: 0, after: [l === 0 ? 'S' : `b${b + 1}.${l}`] });
    }
  }
  return { kind: 'stages', name: `${branches} branches x ${depth} levels`, platform: { kind: 'unbounded' }, overheadS: 0, stages };
}

/**
 * A member run for real both ways (`sweep --measure`, runner/measure-sweep.ts), at the sweep's
 * scale: makespans in the seconds that ran (the simulated ones times the scale are what they
 * are set against).
 */
export interface MeasuredMember {
  kept: number;
  syncS: number | null;
  asyncS: number | null;
  /** Degree of asynchronicity of the measured asynchronous run, by task type (as analyze gives it). */
  doa: number | null;
  /** 1 - async / sync, measured. */
  improvement: number | null;
  /** The stored runs' ids (null when the runs were not kept). */
  syncRun: string | null;
  asyncRun: string | null;
  /** Tasks that failed, over both runs. */
  failed: number;
}

/** Durations are multiplied by 1, 2 or 5 times a power of ten: a scale a person can read and type again. */
const NICE_STEPS = [1, 2, 5] as const;

/**
 * What starting one task costs a run beyond its duration, for plans: the runner starts tasks one
 * after another, 11-23 ms each on this project's 2-core machine (docs/runner.md, "Accuracy").
 */
export const PLANNED_LAUNCH_S = 0.015;

/**
 * The scale at which running every member both ways fits `budgetS`: the largest 1, 2 or 5 x 10^n
 * not above (budget - launches) / (sum of the simulated makespans), and never above 1 (durations
 * are never stretched). Null when the launches of the `tasks` of every run alone take the budget.
 */
export function sweepScale(points: readonly SweepPoint[], budgetS: number, tasks = 0): number | null {
  const left = budgetS - sweepLaunchSeconds(points, tasks);
  if (!(left > 0)) return null;
  const total = sweepRunSeconds(points, 1);
  if (!(total > 0)) return 1;
  const raw = left / total;
  if (raw >= 1) return 1;
  const decade = 10 ** Math.floor(Math.log10(raw));
  let scale = decade;
  // 1e-12 of slack: 0.002 / 1e-3 is 2.0000000000000004 in floating point.
  for (const step of NICE_STEPS) if (step * decade <= raw * (1 + 1e-12)) scale = step * decade;
  // 2 x 1e-4 is 0.00019999999999999998: printed and stored as the 0.0002 it stands for.
  return Number(scale.toPrecision(12));
}

/** Seconds of the tasks of every member both ways at `scale`, as the model predicts them. */
export function sweepRunSeconds(points: readonly SweepPoint[], scale: number): number {
  return points.reduce((sum, p) => sum + (p.syncS + p.asyncS) * scale, 0);
}

/** Seconds of starting the `tasks` of each member's two runs (PLANNED_LAUNCH_S each). */
export function sweepLaunchSeconds(points: readonly SweepPoint[], tasks: number): number {
  return 2 * points.length * tasks * PLANNED_LAUNCH_S;
}

/**
 * The stable JSON of a point (`sweep --json`; README): the simulated member, then, with
 * --measure, the same at the scale it ran and what was measured (null when not measured).
 */
export function sweepPointJson(p: SweepPoint, measured: MeasuredMember | null = null, scale: number | null = null) {
  const scaled = (s: number) => (measured === null || scale === null ? null : s * scale);
  return {
    kept: p.kept,
    degree: p.degree,
    doa: p.doa,
    sync_s: p.syncS,
    async_s: p.asyncS,
    improvement: p.improvement,
    predicted_sync_s: scaled(p.syncS),
    predicted_async_s: scaled(p.asyncS),
    measured_doa: measured?.doa ?? null,
    measured_sync_s: measured?.syncS ?? null,
    measured_async_s: measured?.asyncS ?? null,
    measured_improvement: measured?.improvement ?? null,
    sync_run: measured?.syncRun ?? null,
    async_run: measured?.asyncRun ?? null,
  };
}
