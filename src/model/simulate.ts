/**
 * Discrete-event simulation of a workflow on a platform.
 *
 * Rules (docs/model.md):
 * - A group (stage) is released when all its parent groups have ended and, with barriers, when
 *   every group of the previous phase has ended. Its tasks become ready at that time plus
 *   `overheadS` if the group had to wait for anything (sources wait for nothing: no overhead).
 * - Whenever resources free up or tasks become ready, ready tasks are taken in order of ready time,
 *   then stage order, then task order, and each is placed on the first node with enough free cores
 *   and GPUs (or on the pooled resources); a task that does not fit is skipped for now and later
 *   ones may still start (greedy list scheduling with backfill).
 * - A task runs for its duration and then frees its resources.
 *
 * Phases give the barriers of the synchronous variants: `sync` = one phase per DAG level,
 * `sequential` = one phase per stage in dependency order; `async` has no barriers.
 *
 * Middleware options: `fifo` starts ready tasks strictly in ready order (no backfill: a task that
 * does not fit holds back every later one); `taskOverheadS` keeps a task's resources held that
 * long after it ends. A task of several ranks places each rank on one node (several on a node
 * when they fit), nodes in order; it starts only when all its ranks fit.
 *
 * Cost: O(n log n) in tasks. Tasks asking for the same cores and GPUs form a class; within a
 * class, if the first ready task does not fit, none does, so one scheduling round looks at each
 * class at most once beyond the tasks it starts.
 */
import { InputError } from '../errors.js';
import { MinHeap } from '../util/min-heap.js';
import { topologicalOrder } from './dag.js';
import { levels } from './levels.js';
import { NodePool } from './node-pool.js';
import type { Platform } from './spec.js';
import type { TaskGraph } from './task-graph.js';

export type ExecutionMode = 'async' | 'sync' | 'sequential';

export interface SimulateOptions {
  /** Delay before the tasks of a group that waited for another group or a barrier, seconds. */
  overheadS?: number;
  /** Barrier phase of each group (0, 1, ...): phase k starts when all of phase k - 1 has ended. */
  phases?: Int32Array;
  /** Start ready tasks strictly in ready order, without backfill (see Scheduler in spec.ts). */
  fifo?: boolean;
  /** Seconds a task keeps its cores and GPUs after it ends. */
  taskOverheadS?: number;
}

/** How the middleware runs tasks, from a spec's `scheduler` and `task_overhead_s`. */
export interface Middleware {
  fifo: boolean;
  taskOverheadS: number;
}

export const DEFAULT_MIDDLEWARE: Middleware = { fifo: false, taskOverheadS: 0 };

export function middlewareOf(spec: { scheduler?: 'backfill' | 'fifo'; taskOverheadS?: number }): Middleware {
  return { fifo: spec.scheduler === 'fifo', taskOverheadS: spec.taskOverheadS ?? 0 };
}

/** The simulated schedule, per task (task index = TaskGraph index). */
export interface Schedule {
  makespanS: number;
  start: Float64Array;
  end: Float64Array;
  /** Node index of each task; -1 on a pooled or unbounded platform. */
  node: Int32Array;
}

/** Barrier phases of a mode: null (none) for async, levels for sync, dependency order for sequential. */
export function phasesFor(graph: TaskGraph, mode: ExecutionMode): Int32Array | undefined {
  if (mode === 'async') return undefined;
  if (mode === 'sync') return levels(graph.groups).level;
  const order = topologicalOrder(graph.groups);
  if (!order) throw new Error('phasesFor: the graph has a cycle');
  const phase = new Int32Array(order.length);
  order.forEach((g, position) => (phase[g] = position));
  return phase;
}

/** Simulates one execution mode: `async`, level-synchronous `sync`, or stage-by-stage `sequential`. */
export function simulateMode(graph: TaskGraph, platform: Platform, mode: ExecutionMode, overheadS = 0, middleware: Middleware = DEFAULT_MIDDLEWARE): Schedule {
  return simulate(graph, platform, { overheadS, phases: phasesFor(graph, mode), ...middleware });
}

export function simulate(graph: TaskGraph, platform: Platform, options: SimulateOptions = {}): Schedule {
  const overhead = options.overheadS ?? 0;
  const fifo = options.fifo ?? false;
  const hold = options.taskOverheadS ?? 0;
  const n = graph.taskCount;
  const groupTotal = graph.groups.size;
  const dag = graph.groups;
  const { duration, cores, gpus, ranks, groupStart } = graph;

  const start = new Float64Array(n).fill(NaN);
  const end = new Float64Array(n).fill(NaN);
  const node = new Int32Array(n).fill(-1);
  const readyAt = new Float64Array(n);

  // Group gates: parents still running (+1 while the group's phase has not begun).
  const phases = options.phases;
  const pending = new Int32Array(groupTotal);
  const gate = new Float64Array(groupTotal);
  const waited = new Uint8Array(groupTotal);
  const remaining = new Int32Array(groupTotal);
  const groupReady = new Float64Array(groupTotal);
  for (let g = 0; g < groupTotal; g++) {
    pending[g] = dag.parentStart[g + 1] - dag.parentStart[g] + (phases && phases[g] > 0 ? 1 : 0);
    waited[g] = pending[g] > 0 ? 1 : 0;
    remaining[g] = groupStart[g + 1] - groupStart[g];
  }

  // Phases: groups of each phase (CSR) and how many of them are still unfinished.
  let phaseStart = new Int32Array(1);
  let phaseGroups = new Int32Array(0);
  let phaseLeft = new Int32Array(0);
  if (phases) {
    let phaseCount = 0;
    for (let g = 0; g < groupTotal; g++) phaseCount = Math.max(phaseCount, phases[g] + 1);
    phaseStart = new Int32Array(phaseCount + 1);
    for (let g = 0; g < groupTotal; g++) phaseStart[phases[g] + 1]++;
    for (let p = 0; p < phaseCount; p++) phaseStart[p + 1] += phaseStart[p];
    phaseGroups = new Int32Array(groupTotal);
    const fill = phaseStart.slice(0, phaseCount);
    for (let g = 0; g < groupTotal; g++) phaseGroups[fill[phases[g]]++] = g;
    phaseLeft = new Int32Array(phaseCount);
    for (let p = 0; p < phaseCount; p++) phaseLeft[p] = phaseStart[p + 1] - phaseStart[p];
  }

  // Resource classes: tasks with equal (cores, GPUs, ranks); cores and GPUs per rank.
  const classOf = new Int32Array(n);
  const classKey = new Map<string, number>();
  const classCores: number[] = [];
  const classGpus: number[] = [];
  const classRanks: number[] = [];
  for (let t = 0; t < n; t++) {
    const key = `${cores[t]}/${gpus[t]}/${ranks[t]}`;
    let c = classKey.get(key);
    if (c === undefined) {
      c = classCores.length;
      classKey.set(key, c);
      const r = Math.max(1, ranks[t]);
      classCores.push(cores[t] / r);
      classGpus.push(gpus[t] / r);
      classRanks.push(r);
    }
    classOf[t] = c;
  }
  // Nodes of the ranks of tasks with several, while they hold them.
  const rankNodes = new Map<number, Int32Array>();
  const byReady = (a: number, b: number) => readyAt[a] < readyAt[b] || (readyAt[a] === readyAt[b] && a < b);
  const readyHeaps = classCores.map(() => new MinHeap(byReady));
  const headOf = (c: number) => readyHeaps[c].peek();
  const round = new MinHeap((a, b) => byReady(headOf(a), headOf(b)));
  const running = new MinHeap((a, b) => end[a] < end[b] || (end[a] === end[b] && a < b), 1024);
  // Ended tasks whose resources are still held for taskOverheadS.
  const holding = new MinHeap((a, b) => end[a] < end[b] || (end[a] === end[b] && a < b));
  const future = new MinHeap((a, b) => groupReady[a] < groupReady[b] || (groupReady[a] === groupReady[b] && a < b));
  const pool = new NodePool(platform);
  const pooled = platform.kind !== 'nodes';

  let now = 0;
  let finished = 0;

  const enqueue = (g: number) => {
    if (groupStart[g] === groupStart[g + 1]) {
      groupDone(g, groupReady[g]);
      return;
    }
    for (let t = groupStart[g]; t < groupStart[g + 1]; t++) {
      readyAt[t] = groupReady[g];
      if (fifo) inOrder.push(t);
      else readyHeaps[classOf[t]].push(t);
    }
  };

  const release = (g: number) => {
    groupReady[g] = gate[g] + (waited[g] ? overhead : 0);
    if (groupReady[g] <= now) enqueue(g);
    else future.push(g);
  };

  const satisfy = (g: number, time: number) => {
    if (time > gate[g]) gate[g] = time;
    if (--pending[g] === 0) release(g);
  };

  const groupDone = (g: number, time: number) => {
    for (let k = dag.childStart[g]; k < dag.childStart[g + 1]; k++) satisfy(dag.childList[k], time);
    if (phases) {
      const p = phases[g];
      if (--phaseLeft[p] === 0 && p + 1 < phaseLeft.length) {
        for (let k = phaseStart[p + 1]; k < phaseStart[p + 2]; k++) satisfy(phaseGroups[k], time);
      }
    }
  };

  // Fifo: one queue of all ready tasks; the first that does not fit holds back the rest.
  const inOrder = new MinHeap(byReady);
  const where = new Int32Array(1);
  const tryStart = (t: number): boolean => {
    const c = classOf[t];
    const r = classRanks[c];
    const nodes = r === 1 ? where : new Int32Array(r);
    if (!pool.placeRanks(r, classCores[c], classGpus[c], nodes)) return false;
    start[t] = now;
    end[t] = now + duration[t];
    node[t] = pooled ? -1 : nodes[0];
    if (r > 1) rankNodes.set(t, nodes);
    running.push(t);
    return true;
  };
  const scheduleRound = () => {
    if (fifo) {
      while (inOrder.size > 0 && tryStart(inOrder.peek())) inOrder.pop();
      return;
    }
    for (let c = 0; c < readyHeaps.length; c++) if (readyHeaps[c].size > 0) round.push(c);
    while (round.size > 0) {
      const c = round.pop();
      if (!tryStart(readyHeaps[c].peek())) continue; // nothing of this class fits until something ends
      readyHeaps[c].pop();
      if (readyHeaps[c].size > 0) round.push(c);
    }
  };

  const releaseOf = (t: number) => {
    const c = classOf[t];
    const nodes = rankNodes.get(t);
    if (nodes) {
      for (const k of nodes) pool.release(k, classCores[c], classGpus[c]);
      rankNodes.delete(t);
    } else {
      pool.release(pooled ? 0 : node[t], cores[t], gpus[t]);
    }
  };

  for (let g = 0; g < groupTotal; g++) if (pending[g] === 0) release(g);

  for (;;) {
    while (future.size > 0 && groupReady[future.peek()] <= now) enqueue(future.pop());
    scheduleRound();
    const nextEnd = running.size > 0 ? end[running.peek()] : Infinity;
    const nextRelease = holding.size > 0 ? end[holding.peek()] + hold : Infinity;
    const nextReady = future.size > 0 ? groupReady[future.peek()] : Infinity;
    const next = Math.min(nextEnd, nextRelease, nextReady);
    if (next === Infinity) break;
    now = next;
    while (holding.size > 0 && end[holding.peek()] + hold <= now) releaseOf(holding.pop());
    while (running.size > 0 && end[running.peek()] <= now) {
      const t = running.pop();
      finished++;
      if (hold > 0) holding.push(t);
      else releaseOf(t);
      const g = graph.groupOf[t];
      if (--remaining[g] === 0) groupDone(g, now);
    }
  }

  if (finished < n) throw new InputError(stuckMessage(graph, platform, start));
  let makespan = 0;
  for (let t = 0; t < n; t++) if (end[t] > makespan) makespan = end[t];
  return { makespanS: makespan, start, end, node };
}

function stuckMessage(graph: TaskGraph, platform: Platform, start: Float64Array): string {
  for (let t = 0; t < graph.taskCount; t++) {
    if (Number.isNaN(start[t])) {
      const g = graph.groupOf[t];
      return `the simulation cannot place task ${t} of "${graph.groupNames[g]}" (${graph.cores[t]} cores, ${graph.gpus[t]} GPUs) on the platform (${platform.kind})`;
    }
  }
  return 'the simulation stopped before every task ran';
}
