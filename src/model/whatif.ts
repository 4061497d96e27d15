/**
 * What if the workflow ran on other resources (docs/model.md, "What if"): for every point of a
 * grid of node counts, cores per node and GPUs per node, the sequential, synchronous and
 * asynchronous makespans the simulator predicts, the improvement of async over sync, and the cost
 * in node-hours (nodes x makespan); optionally with some task types made longer or shorter.
 *
 * The workflow is expanded into tasks once; each point is three simulations of it, O(n log n)
 * each, so a grid of 100 points over a Summit run (256 to 627 tasks) takes well under a second.
 */
import { InputError } from '../errors.js';
import { improvement } from './predict.js';
import { middlewareOf, simulateMode } from './simulate.js';
import { misfit, type Platform, type WorkflowSpec } from './spec.js';
import { expandSpec } from './task-graph.js';

export interface WhatIfGrid {
  nodes: number[];
  /** Values to try; absent: the spec's own (it must then have nodes). */
  coresPerNode?: number[];
  gpusPerNode?: number[];
}

export interface WhatIfPoint {
  nodes: number;
  coresPerNode: number;
  gpusPerNode: number;
  /** Null when a task does not fit on these nodes (`note` says which). */
  sequentialS: number | null;
  syncS: number | null;
  asyncS: number | null;
  /** 1 - async / sync. */
  improvement: number | null;
  /** nodes x async makespan / 3600, and the same for sync. */
  nodeHours: number | null;
  syncNodeHours: number | null;
  note: string | null;
}

export interface WhatIfResult {
  points: WhatIfPoint[];
  /** Seconds the simulations took, for the bench. */
  elapsedS: number;
}

/** Makes the tasks of some types longer or shorter: `{ T3T6: 2 }` doubles every T3T6 duration. */
export function scaleDurations(spec: WorkflowSpec, factors: ReadonlyMap<string, number>): WorkflowSpec {
  if (factors.size === 0) return spec;
  const types = new Set(spec.kind === 'stages' ? spec.stages.map((s) => s.type) : spec.tasks.map((t) => t.type));
  for (const type of factors.keys()) {
    if (!types.has(type)) throw new InputError(`--scale ${type}: no task of that type (the workflow's types: ${[...types].slice(0, 20).join(', ')}${types.size > 20 ? ', ...' : ''})`);
  }
  if (spec.kind === 'stages') {
    return { ...spec, stages: spec.stages.map((s) => (factors.has(s.type) ? { ...s, durations: s.durations.map((d) => d * factors.get(s.type)!) } : s)) };
  }
  return { ...spec, tasks: spec.tasks.map((t) => (factors.has(t.type) ? { ...t, durationS: t.durationS * factors.get(t.type)! } : t)) };
}

/** Every combination of the grid's values, nodes varying slowest. */
export function gridPlatforms(spec: WorkflowSpec, grid: WhatIfGrid): Extract<Platform, { kind: 'nodes' }>[] {
  const base = spec.platform.kind === 'nodes' ? spec.platform : null;
  const cores = grid.coresPerNode ?? (base ? [base.coresPerNode] : null);
  const gpus = grid.gpusPerNode ?? (base ? [base.gpusPerNode] : spec.platform.kind === 'unbounded' ? null : [0]);
  if (!cores) throw new InputError(`the workflow's platform (${spec.platform.kind === 'pool' ? 'pooled cores and GPUs' : 'unbounded'}) has no nodes: give --cores-per-node (and --gpus-per-node)`);
  if (!gpus) throw new InputError("the workflow's platform is unbounded: give --gpus-per-node (0 for none) as well as --cores-per-node");
  const out: Extract<Platform, { kind: 'nodes' }>[] = [];
  for (const nodes of grid.nodes) for (const c of cores) for (const g of gpus) out.push({ kind: 'nodes', nodes, coresPerNode: c, gpusPerNode: g });
  return out;
}

export function whatIf(spec: WorkflowSpec, grid: WhatIfGrid): WhatIfResult {
  const began = performance.now();
  const platforms = gridPlatforms(spec, grid);
  const graph = expandSpec(spec);
  const middleware = middlewareOf(spec);
  const points = platforms.map((platform): WhatIfPoint => {
    const point = { nodes: platform.nodes, coresPerNode: platform.coresPerNode, gpusPerNode: platform.gpusPerNode };
    const problem = firstMisfit(spec, platform);
    if (problem) return { ...point, sequentialS: null, syncS: null, asyncS: null, improvement: null, nodeHours: null, syncNodeHours: null, note: problem };
    const run = (mode: 'sequential' | 'sync' | 'async') => simulateMode(graph, platform, mode, spec.overheadS, middleware).makespanS;
    const [sequentialS, syncS, asyncS] = [run('sequential'), run('sync'), run('async')];
    return {
      ...point,
      sequentialS,
      syncS,
      asyncS,
      improvement: improvement(asyncS, syncS),
      nodeHours: (platform.nodes * asyncS) / 3600,
      syncNodeHours: (platform.nodes * syncS) / 3600,
      note: null,
    };
  });
  return { points, elapsedS: (performance.now() - began) / 1000 };
}

/**
 * The cheapest point (fewest node-hours; then fewer nodes) whose async makespan is within
 * `within` (a fraction: 0.05 = 5%) of the fastest point's; null when no point could run.
 */
export function cheapestWithin(points: readonly WhatIfPoint[], within: number): WhatIfPoint | null {
  const feasible = points.filter((p) => p.asyncS !== null);
  if (feasible.length === 0) return null;
  const fastest = Math.min(...feasible.map((p) => p.asyncS!));
  const close = feasible.filter((p) => p.asyncS! <= fastest * (1 + within) + 1e-9);
  close.sort((a, b) => a.nodeHours! - b.nodeHours! || a.nodes - b.nodes || a.asyncS! - b.asyncS!);
  return close[0];
}

function firstMisfit(spec: WorkflowSpec, platform: Platform): string | null {
  if (spec.kind === 'stages') {
    for (const s of spec.stages) {
      const problem = misfit(platform, s.cores, s.gpus, ' per task', s.ranks ?? 1);
      if (problem) return `${s.name}: ${problem}`;
    }
    return null;
  }
  // Tasks of one shape share the answer: check each shape once.
  const seen = new Set<string>();
  for (const t of spec.tasks) {
    const key = `${t.cores}/${t.gpus}/${t.ranks ?? 1}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const problem = misfit(platform, t.cores, t.gpus, '', t.ranks ?? 1);
    if (problem) return `${t.id}: ${problem}`;
  }
  return null;
}

/** The stable JSON of a point (`whatif --json`). */
export function whatIfPointJson(p: WhatIfPoint) {
  return {
    nodes: p.nodes,
    cores_per_node: p.coresPerNode,
    gpus_per_node: p.gpusPerNode,
    sequential_s: p.sequentialS,
    sync_s: p.syncS,
    async_s: p.asyncS,
    improvement: p.improvement,
    node_hours: p.nodeHours,
    sync_node_hours: p.syncNodeHours,
    note: p.note,
  };
}
