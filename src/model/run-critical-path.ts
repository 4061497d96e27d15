/**
 * The critical path of a measured run: the chain of tasks and waits that set its makespan, walked
 * back from the task that ended last (docs/metrics.md, "Critical path and waits"). At each step
 * the task's start is explained by what it waited for last:
 *
 * - `gpus` / `cpus`: it was ready but did not fit; the step before is the task whose end freed
 *   what it lacked (the latest to end when it first fitted, on its node when nodes are known);
 * - `dependency`: it fitted, so it waited for its dependencies: the step before is the dependency
 *   that ended last (the DAG's edge, or the inferred stage structure's);
 * - `start`: neither: the chain begins (its wait from time zero is launch latency).
 *
 * The gaps between steps are staging (data moving) and launch (ready, fitting, not started). The
 * makespan is exactly the sum of the steps' running times and gaps.
 */
import { argsortFloat64 } from '../analysis/sort.js';
import { timelineOf } from '../analysis/timeline.js';
import type { RunData } from './infer-spec.js';
import { dependencyStructure, type DependencyStructure } from './run-structure.js';
import { platformTotals, type Platform } from './spec.js';
import { measureWaits, stagedWithin, type DataSpans, type Waits } from './waits.js';

export type Link = 'start' | 'dependency' | 'cpus' | 'gpus';

export interface ChainStep {
  task: number;
  link: Link;
  /** The step before (task index), or -1. */
  after: number;
  /** Its start minus the end of the step before (or time zero), split into staging and launch. */
  gapS: number;
  stagingS: number;
  launchS: number;
}

export interface TypeWaits {
  type: string;
  tasks: number;
  dependenciesS: number;
  stagingS: number;
  cpusS: number;
  gpusS: number;
  launchS: number;
  dependenciesBlockedS: number;
  /** Of that, for want of GPUs. */
  dependenciesBlockedGpusS: number;
}

export interface Saturation {
  type: string;
  peakCores: number;
  peakGpus: number;
  /** Peak as a share of the capacity; null when the capacity is unknown. */
  coresShare: number | null;
  gpusShare: number | null;
}

export interface RunCriticalPath {
  structure: DependencyStructure['kind'];
  /** Resources replayed per node, pooled, or not at all (capacity unknown). */
  resources: 'nodes' | 'pooled' | 'unknown';
  makespanS: number;
  steps: ChainStep[];
  waits: Waits;
  byType: TypeWaits[];
  saturation: Saturation[];
  findings: string[];
}

export interface CriticalPathOptions {
  platform: Platform | null;
  staging: DataSpans | null;
  barrierGapS?: number;
}

export function runCriticalPath(run: RunData, options: CriticalPathOptions): RunCriticalPath {
  const t = run.tasks;
  const n = t.length;
  const structure = dependencyStructure(run, options.barrierGapS);
  const ranks = Float64Array.from({ length: n }, (_, i) => Math.max(1, run.ranks?.[i] ?? 1));
  const nodes = nodeIndexes(run, options.platform, ranks);
  const platform: Platform = options.platform ?? { kind: 'unbounded' };
  const input = {
    tasks: { length: n, start: t.start, end: t.end, cores: t.cores, gpus: t.gpus, ranks, node: nodes },
    platform,
    depsReady: structure.depsReady,
    lastParent: structure.lastParent,
    staging: options.staging,
  };
  const waits = measureWaits(input);
  const steps = walkBack(run, structure, waits, input, nodes);
  let makespan = 0;
  let first = Infinity;
  for (let i = 0; i < n; i++) {
    if (t.end[i] > makespan) makespan = t.end[i];
    if (t.start[i] < first) first = t.start[i];
  }
  const byType = waitsByType(run, waits);
  const saturation = capacityShares(run, options.platform);
  const resources = options.platform === null ? 'unknown' : nodes ? 'nodes' : 'pooled';
  const result = { structure: structure.kind, resources, makespanS: makespan - (first === Infinity ? 0 : first), steps, waits, byType, saturation, findings: [] as string[] } satisfies RunCriticalPath;
  result.findings = findings(run, result);
  return result;
}

/** Node index of each task when every executed task ran on one known node of the platform; else null (pooled). */
function nodeIndexes(run: RunData, platform: Platform | null, ranks: Float64Array): Int32Array | null {
  if (!platform || platform.kind !== 'nodes') return null;
  const t = run.tasks;
  const index = new Map<string, number>();
  const out = new Int32Array(t.length).fill(-1);
  for (let i = 0; i < t.length; i++) {
    if (!(t.end[i] >= t.start[i])) continue;
    const name = t.node[i];
    if (name === null || ranks[i] > 1) return null;
    let k = index.get(name);
    if (k === undefined) {
      k = index.size;
      if (k >= platform.nodes) return null;
      index.set(name, k);
    }
    out[i] = k;
  }
  return out;
}

function walkBack(run: RunData, structure: DependencyStructure, waits: Waits, input: Parameters<typeof stagedWithin>[0], nodes: Int32Array | null): ChainStep[] {
  const t = run.tasks;
  let last = -1;
  for (let i = 0; i < t.length; i++) if (t.end[i] >= t.start[i] && (last === -1 || t.end[i] > t.end[last])) last = i;
  if (last === -1) return [];
  // Tasks by end time, to find the one whose end freed what a task waited for (tasks that did not run last).
  const ends = Float64Array.from({ length: t.length }, (_, i) => (t.end[i] >= t.start[i] ? t.end[i] : Infinity));
  const sorted = argsortFloat64(ends);
  let ran = 0;
  while (ran < sorted.length && ends[sorted[ran]] !== Infinity) ran++;
  const byEnd = sorted.subarray(0, ran);
  const steps: ChainStep[] = [];
  const seen = new Set<number>();
  for (let i = last; i !== -1 && !seen.has(i); ) {
    seen.add(i);
    let link: Link = 'start';
    let after = -1;
    if (waits.cpus[i] + waits.gpus[i] > 0 && Number.isFinite(waits.unblockedAt[i])) {
      const kind = waits.unblockedFrom[i] ?? 'cpus';
      after = freedBy(run, byEnd, waits.unblockedAt[i], i, kind, nodes);
      if (after >= 0) link = kind;
    }
    if (after < 0 && structure.lastParent[i] >= 0 && structure.depsReady[i] > 0) {
      after = structure.lastParent[i];
      link = 'dependency';
    }
    const from = after >= 0 ? t.end[after] : 0;
    const gap = Math.max(0, t.start[i] - from);
    const staging = Math.min(gap, stagedWithin(input, i, from, t.start[i]));
    steps.push({ task: i, link, after, gapS: gap, stagingS: staging, launchS: gap - staging });
    i = after;
  }
  return steps.reverse();
}

/**
 * The task whose end at `time` freed what task i lacked: among tasks ending then (to the
 * microsecond), one that held the lacking resource, on i's node when nodes are known; the
 * latest-listed of them.
 */
function freedBy(run: RunData, byEnd: ArrayLike<number>, time: number, i: number, kind: 'cpus' | 'gpus', nodes: Int32Array | null): number {
  const t = run.tasks;
  let lo = 0;
  let hi = byEnd.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (t.end[byEnd[mid]] < time - 1e-6) lo = mid + 1;
    else hi = mid;
  }
  let best = -1;
  let bestScore = -1;
  for (let k = lo; k < byEnd.length && t.end[byEnd[k]] <= time + 1e-6; k++) {
    const j = byEnd[k];
    if (j === i) continue;
    const holds = kind === 'gpus' ? t.gpus[j] > 0 : t.cores[j] > 0;
    const sameNode = nodes !== null && nodes[j] === nodes[i];
    const score = (holds ? 2 : 0) + (sameNode ? 1 : 0);
    if (score >= bestScore) {
      best = j;
      bestScore = score;
    }
  }
  return best;
}

function waitsByType(run: RunData, waits: Waits): TypeWaits[] {
  const t = run.tasks;
  const rows = new Map<string, TypeWaits>();
  const first = new Map<string, number>();
  for (let i = 0; i < t.length; i++) {
    if (!(t.end[i] >= t.start[i])) continue;
    let row = rows.get(t.type[i]);
    if (!row) {
      rows.set(t.type[i], (row = { type: t.type[i], tasks: 0, dependenciesS: 0, stagingS: 0, cpusS: 0, gpusS: 0, launchS: 0, dependenciesBlockedS: 0, dependenciesBlockedGpusS: 0 }));
      first.set(t.type[i], t.start[i]);
    }
    if (t.start[i] < first.get(t.type[i])!) first.set(t.type[i], t.start[i]);
    row.tasks++;
    row.dependenciesS += waits.dependencies[i];
    row.stagingS += waits.staging[i];
    row.cpusS += waits.cpus[i];
    row.gpusS += waits.gpus[i];
    row.launchS += waits.launch[i];
    row.dependenciesBlockedS += waits.dependenciesBlocked[i];
    row.dependenciesBlockedGpusS += waits.dependenciesBlockedGpus[i];
  }
  return [...rows.values()].sort((a, b) => first.get(a.type)! - first.get(b.type)! || (a.type < b.type ? -1 : 1));
}

const fmt = (value: number) => value.toFixed(1);
const pct = (part: number, whole: number) => (whole > 0 ? `${((100 * part) / whole).toFixed(1)}%` : '-');

/** What the chain and the waits say, in sentences a reader can act on. */
function findings(run: RunData, r: Omit<RunCriticalPath, 'findings'>): string[] {
  const t = run.tasks;
  const out: string[] = [];
  if (r.steps.length === 0) return out;
  const running = r.steps.reduce((sum, s) => sum + (t.end[s.task] - t.start[s.task]), 0);
  const staging = r.steps.reduce((sum, s) => sum + s.stagingS, 0);
  const launch = r.steps.reduce((sum, s) => sum + s.launchS, 0);
  const types = pathTypes(run, r.steps);
  out.push(
    `The makespan (${fmt(r.makespanS)} s) is set by ${types.join(' -> ')}: ${fmt(running)} s running (${pct(running, r.makespanS)}), ${fmt(launch)} s launch${staging >= 0.05 ? `, ${fmt(staging)} s staging` : ''} between them.`,
  );
  const onPath = new Set(r.steps.map((s) => t.type[s.task]));
  for (const s of r.saturation) {
    if (!onPath.has(s.type)) continue;
    if (s.gpusShare !== null && s.gpusShare >= 0.99 && s.peakGpus > 0) {
      out.push(`${s.type} holds every GPU (${held(s.peakGpus, s.gpusShare, 'GPUs')}) while it runs: nothing else that needs a GPU can run beside it, whatever the dependencies allow.`);
    } else if (s.coresShare !== null && s.coresShare >= 0.99 && s.peakCores > 0) {
      out.push(`${s.type} holds every core (${held(s.peakCores, s.coresShare, 'cores')}) while it runs: nothing else can run beside it.`);
    }
  }
  for (const w of r.byType) {
    if (!onPath.has(w.type) || !(w.dependenciesS > 0) || w.dependenciesBlockedS < 0.25 * w.dependenciesS) continue;
    out.push(
      `Even without its dependencies ${w.type} could not have started earlier for ${fmt(w.dependenciesBlockedS / w.tasks)} s per task (${pct(w.dependenciesBlockedS, w.dependenciesS)} of its wait for them): the ${w.dependenciesBlockedGpusS >= 0.5 * w.dependenciesBlockedS ? 'GPUs' : 'cores'} it needs were taken.`,
    );
  }
  const gpuLinks = r.steps.filter((s) => s.link === 'gpus').length;
  const cpuLinks = r.steps.filter((s) => s.link === 'cpus').length;
  if (gpuLinks + cpuLinks > 0) {
    const what = [gpuLinks > 0 ? `${gpuLinks} for GPUs` : '', cpuLinks > 0 ? `${cpuLinks} for CPUs` : ''].filter(Boolean).join(' and ');
    out.push(`${gpuLinks + cpuLinks} step(s) of the path waited ${what} freed by the step before: more of them would shorten the makespan.`);
  } else if (r.steps.length > 1 && r.structure !== 'none') {
    out.push('Every step of the path waited only for its dependencies (and launch): the path is the longest dependency chain, so running other work beside it cannot shorten the makespan.');
  }
  if (launch >= 0.05 * r.makespanS && r.makespanS > 0) out.push(`Launch latency is ${pct(launch, r.makespanS)} of the makespan: time the next task on the path was ready and fitted but had not started.`);
  const worst = [...r.byType].sort((a, b) => b.gpusS + b.cpusS - (a.gpusS + a.cpusS))[0];
  if (worst && worst.gpusS + worst.cpusS > 0) {
    out.push(`${worst.type} waited longest for resources: ${fmt(worst.gpusS)} task-seconds for GPUs and ${fmt(worst.cpusS)} for CPUs over its ${worst.tasks} tasks.`);
  }
  return out;
}

/** The types along the path, consecutive repeats once: `T0 -> T1T2 -> T4T5 -> T7`. */
export function pathTypes(run: RunData, steps: readonly ChainStep[]): string[] {
  const types: string[] = [];
  for (const s of steps) {
    const type = run.tasks.type[s.task];
    if (types[types.length - 1] !== type) types.push(type);
  }
  return types.length > 12 ? [...types.slice(0, 6), `... (${types.length - 9} more)`, ...types.slice(-3)] : types;
}

/** `96 of 96`, or, for a run that held more than its stated capacity, `849 at its peak, more than the 96 the run states`. */
function held(peak: number, share: number, unit: string): string {
  const capacity = peak / share;
  return share <= 1.01 ? `${fmt0(peak)} of ${fmt0(capacity)}` : `${fmt0(peak)} ${unit} at its peak, more than the ${fmt0(capacity)} the run states`;
}

function fmt0(value: number): string {
  return Number(value.toFixed(2)).toString();
}

/** Per type, the most cores and GPUs its tasks held at once, and that as a share of the capacity. */
export function capacityShares(run: RunData, platform: Platform | null): Saturation[] {
  const t = run.tasks;
  const n = t.length;
  const types = new Map<string, number>();
  const group = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let g = types.get(t.type[i]);
    if (g === undefined) types.set(t.type[i], (g = types.size));
    group[i] = g;
  }
  // One pass over the run's starts and ends (ends first at equal times), a running sum per type.
  const timeline = timelineOf({ length: n, start: Float64Array.from(t.start), end: Float64Array.from(t.end), group });
  const cores = new Float64Array(types.size);
  const gpus = new Float64Array(types.size);
  const peakCores = new Float64Array(types.size);
  const peakGpus = new Float64Array(types.size);
  for (let p = 0; p < timeline.length; p++) {
    const i = timeline.interval[p];
    const g = timeline.group[p];
    const sign = timeline.isStart[p] === 1 ? 1 : -1;
    cores[g] += sign * (Number.isNaN(t.cores[i]) ? 0 : t.cores[i]);
    gpus[g] += sign * (Number.isNaN(t.gpus[i]) ? 0 : t.gpus[i]);
    if (cores[g] > peakCores[g]) peakCores[g] = cores[g];
    if (gpus[g] > peakGpus[g]) peakGpus[g] = gpus[g];
  }
  const totals = platform && platform.kind !== 'unbounded' ? platformTotals(platform) : null;
  const ran = new Set<number>();
  for (let p = 0; p < timeline.length; p++) ran.add(timeline.group[p]);
  return [...types].filter(([, g]) => ran.has(g)).map(([type, g]) => ({
    type,
    peakCores: peakCores[g],
    peakGpus: peakGpus[g],
    coresShare: totals && totals.cores > 0 ? peakCores[g] / totals.cores : null,
    gpusShare: totals && totals.gpus > 0 ? peakGpus[g] / totals.gpus : null,
  }));
}

/** The stable JSON of `analyze --critical-path` for one run (documented in the README). */
export interface CriticalPathJson {
  structure: RunCriticalPath['structure'];
  resources: RunCriticalPath['resources'];
  makespan_s: number;
  path: {
    tasks: number;
    running_s: number;
    staging_s: number;
    launch_s: number;
    links: Record<Link, number>;
    types: string[];
    steps: { uid: string; type: string; start_s: number; end_s: number; link: Link; after: string | null; gap_s: number; staging_s: number; launch_s: number }[];
  };
  waits: {
    by_type: { type: string; tasks: number; dependencies_s: number; staging_s: number; cpus_s: number; gpus_s: number; launch_s: number; dependencies_blocked_s: number }[];
    total: { tasks: number; dependencies_s: number; staging_s: number; cpus_s: number; gpus_s: number; launch_s: number; dependencies_blocked_s: number };
  };
  saturation: { type: string; peak_cores: number; peak_gpus: number; cores_share: number | null; gpus_share: number | null }[];
  findings: string[];
}

export function criticalPathJson(run: RunData, r: RunCriticalPath): CriticalPathJson {
  const t = run.tasks;
  const links: Record<Link, number> = { start: 0, dependency: 0, cpus: 0, gpus: 0 };
  for (const s of r.steps) links[s.link]++;
  const sum = (f: (s: ChainStep) => number) => r.steps.reduce((total, s) => total + f(s), 0);
  const rows = r.byType.map((w) => ({
    type: w.type,
    tasks: w.tasks,
    dependencies_s: w.dependenciesS,
    staging_s: w.stagingS,
    cpus_s: w.cpusS,
    gpus_s: w.gpusS,
    launch_s: w.launchS,
    dependencies_blocked_s: w.dependenciesBlockedS,
  }));
  const total = { tasks: 0, dependencies_s: 0, staging_s: 0, cpus_s: 0, gpus_s: 0, launch_s: 0, dependencies_blocked_s: 0 };
  for (const row of rows) for (const key of Object.keys(total) as (keyof typeof total)[]) total[key] += row[key];
  return {
    structure: r.structure,
    resources: r.resources,
    makespan_s: r.makespanS,
    path: {
      tasks: r.steps.length,
      running_s: sum((s) => t.end[s.task] - t.start[s.task]),
      staging_s: sum((s) => s.stagingS),
      launch_s: sum((s) => s.launchS),
      links,
      types: pathTypes(run, r.steps),
      steps: r.steps.map((s) => ({
        uid: t.uid[s.task],
        type: t.type[s.task],
        start_s: t.start[s.task],
        end_s: t.end[s.task],
        link: s.link,
        after: s.after >= 0 ? t.uid[s.after] : null,
        gap_s: s.gapS,
        staging_s: s.stagingS,
        launch_s: s.launchS,
      })),
    },
    waits: { by_type: rows, total },
    saturation: r.saturation.map((x) => ({ type: x.type, peak_cores: x.peakCores, peak_gpus: x.peakGpus, cores_share: x.coresShare, gpus_share: x.gpusShare })),
    findings: r.findings,
  };
}

/** Consecutive steps of one type, for tables: how the segment was entered and what it holds. */
export interface PathSegment {
  type: string;
  tasks: number;
  /** How its first task followed the segment before (`start` for the first). */
  link: Link;
  startS: number;
  endS: number;
  runningS: number;
  /** Gaps before and inside the segment. */
  stagingS: number;
  launchS: number;
  /** Links inside the segment (steps after its first). */
  inner: Record<Link, number>;
}

export function pathSegments(json: CriticalPathJson): PathSegment[] {
  const out: PathSegment[] = [];
  for (const step of json.path.steps) {
    let seg = out[out.length - 1];
    if (!seg || seg.type !== step.type) {
      seg = { type: step.type, tasks: 0, link: step.link, startS: step.start_s, endS: step.end_s, runningS: 0, stagingS: 0, launchS: 0, inner: { start: 0, dependency: 0, cpus: 0, gpus: 0 } };
      out.push(seg);
    } else {
      seg.inner[step.link]++;
    }
    seg.tasks++;
    seg.endS = step.end_s;
    seg.runningS += step.end_s - step.start_s;
    seg.stagingS += step.staging_s;
    seg.launchS += step.launch_s;
  }
  return out;
}
