/**
 * Why each task of a measured run started when it did: its wait from time zero (when the whole
 * workflow is known) to its start, split into (docs/metrics.md, "Waits"):
 *
 * - dependencies: until the tasks it depends on had ended (`depsReady`);
 * - staging: after that, while its data moved (its own staging or transfer spans, and those of
 *   the parent that ended last, which writes its output after it ends);
 * - gpus / cpus: otherwise, while it did not fit on the free resources: GPUs when not enough GPUs
 *   were free even if it had needed no cores, else CPUs;
 * - launch: the rest: it was ready and fitted, and the middleware had not started it yet.
 *
 * and, as a counterfactual, how much of the dependency wait it would not have fitted anyway
 * (`dependenciesBlocked`): a stage that needs every GPU gains nothing from starting earlier.
 *
 * "Fits" replays the run: at each instant the resources free are the capacity minus what the
 * running tasks hold (per node when every task states its node, else pooled), and a task fits when
 * the simulator's placement rule would place it (NodePool). Cost: one sweep over the run's start
 * and end times per resource shape, O(shapes x n log nodes).
 *
 * Worked example (a test): 1 node of 4 cores and 1 GPU. A [0, 10) holds the GPU; B (after
 * nothing, 1 GPU) starts at 12: gpus 10, launch 2. C (after A, 2 cores) starts at 11, and staged
 * its input in [10, 10.5): dependencies 10, staging 0.5, launch 0.5.
 */
import { NodePool } from './node-pool.js';
import type { Platform } from './spec.js';

export interface WaitTasks {
  readonly length: number;
  /** Seconds from time zero; NaN for tasks that did not run (they get no waits). */
  readonly start: ArrayLike<number>;
  readonly end: ArrayLike<number>;
  /** Per task, all ranks together; NaN counts as none. */
  readonly cores: ArrayLike<number>;
  readonly gpus: ArrayLike<number>;
  readonly ranks: ArrayLike<number>;
  /** Node index of each task on a platform of nodes; null to pool the resources. */
  readonly node: ArrayLike<number> | null;
}

/** Data movement of tasks: span k of task `task[k]` is [start[k], end[k]). */
export interface DataSpans {
  task: number[];
  start: number[];
  end: number[];
}

export interface WaitInput {
  tasks: WaitTasks;
  platform: Platform;
  /** When each task's dependencies were done (0 without any). */
  depsReady: ArrayLike<number>;
  /** The parent whose end set `depsReady` (its output staging counts for the child), or -1. */
  lastParent: ArrayLike<number>;
  staging: DataSpans | null;
}

export type BlockedBy = 'cpus' | 'gpus';

export interface Waits {
  dependencies: Float64Array;
  staging: Float64Array;
  cpus: Float64Array;
  gpus: Float64Array;
  launch: Float64Array;
  /** Of `dependencies`, the time the task would not have fitted on the free resources anyway; and of that, for want of GPUs. */
  dependenciesBlocked: Float64Array;
  dependenciesBlockedGpus: Float64Array;
  /** When the task's last stretch of not fitting ended (a task's end freed what it needed); NaN when it never waited for resources. */
  unblockedAt: Float64Array;
  /** What it lacked in that last stretch. */
  unblockedFrom: (BlockedBy | null)[];
}

const FITS = 0;
const CPUS = 1;
const GPUS = 2;

export function measureWaits(input: WaitInput): Waits {
  const { tasks, platform } = input;
  const n = tasks.length;
  const waits: Waits = {
    dependencies: new Float64Array(n),
    staging: new Float64Array(n),
    cpus: new Float64Array(n),
    gpus: new Float64Array(n),
    launch: new Float64Array(n),
    dependenciesBlocked: new Float64Array(n),
    dependenciesBlockedGpus: new Float64Array(n),
    unblockedAt: new Float64Array(n).fill(NaN),
    unblockedFrom: new Array<BlockedBy | null>(n).fill(null),
  };
  const executed: number[] = [];
  for (let i = 0; i < n; i++) if (tasks.end[i] >= tasks.start[i]) executed.push(i);
  const events = resourceEvents(tasks, executed);
  const spans = spansByTask(input, n);

  // Tasks by resource shape: one sweep of the run per shape.
  const shapes = new Map<string, number[]>();
  for (const i of executed) {
    const key = `${num(tasks.cores[i])}/${num(tasks.gpus[i])}/${ranksOf(tasks, i)}`;
    let list = shapes.get(key);
    if (!list) shapes.set(key, (list = []));
    list.push(i);
  }
  for (const members of shapes.values()) sweepShape(input, members, events, spans, waits);
  return waits;
}

/** Resource events of the run in time order, ends before starts at equal times. */
interface ResourceEvents {
  time: Float64Array;
  task: Int32Array;
  isStart: Uint8Array;
}

function resourceEvents(tasks: WaitTasks, executed: number[]): ResourceEvents {
  const m = executed.length;
  const order = Array.from({ length: 2 * m }, (_, k) => k);
  const timeOf = (k: number) => (k < m ? tasks.end[executed[k]] : tasks.start[executed[k - m]]);
  // Ends (k < m) before starts at equal times.
  order.sort((a, b) => timeOf(a) - timeOf(b) || (a < m ? 0 : 1) - (b < m ? 0 : 1) || a - b);
  const out: ResourceEvents = { time: new Float64Array(2 * m), task: new Int32Array(2 * m), isStart: new Uint8Array(2 * m) };
  order.forEach((k, p) => {
    out.time[p] = timeOf(k);
    out.task[p] = executed[k < m ? k : k - m];
    out.isStart[p] = k < m ? 0 : 1;
  });
  return out;
}

/** Each task's staging spans (its own and its last parent's), clipped to its wait after dependencies and merged. */
function spansByTask(input: WaitInput, n: number): [number, number][][] {
  const own: [number, number][][] = Array.from({ length: n }, () => []);
  const s = input.staging;
  if (s) for (let k = 0; k < s.task.length; k++) if (s.end[k] > s.start[k] && s.task[k] >= 0 && s.task[k] < n) own[s.task[k]].push([s.start[k], s.end[k]]);
  const out: [number, number][][] = Array.from({ length: n }, () => []);
  for (let i = 0; i < n; i++) {
    const from = readyOf(input, i);
    const to = input.tasks.start[i];
    if (!(to > from)) continue;
    const parent = input.lastParent[i];
    const candidates = parent >= 0 ? [...own[i], ...own[parent]] : own[i];
    const clipped = candidates.map(([a, b]): [number, number] => [Math.max(a, from), Math.min(b, to)]).filter(([a, b]) => b > a);
    clipped.sort((x, y) => x[0] - y[0]);
    const merged: [number, number][] = [];
    for (const span of clipped) {
      const last = merged[merged.length - 1];
      if (last && span[0] <= last[1]) last[1] = Math.max(last[1], span[1]);
      else merged.push([span[0], span[1]]);
    }
    out[i] = merged;
  }
  return out;
}

/** Seconds of [from, to) during which task i or its last parent moved data. */
export function stagedWithin(input: Pick<WaitInput, 'staging' | 'lastParent'>, i: number, from: number, to: number): number {
  const s = input.staging;
  if (!s || !(to > from)) return 0;
  const parent = input.lastParent[i];
  const clipped: [number, number][] = [];
  for (let k = 0; k < s.task.length; k++) {
    if (s.task[k] !== i && s.task[k] !== parent) continue;
    const a = Math.max(s.start[k], from);
    const b = Math.min(s.end[k], to);
    if (b > a) clipped.push([a, b]);
  }
  clipped.sort((x, y) => x[0] - y[0]);
  let total = 0;
  let reach = -Infinity;
  for (const [a, b] of clipped) {
    if (b <= reach) continue;
    total += b - Math.max(a, reach);
    reach = b;
  }
  return total;
}

/** When task i's dependencies were done, within [0, its start]. */
function readyOf(input: WaitInput, i: number): number {
  const ready = input.depsReady[i];
  const start = input.tasks.start[i];
  return Math.min(Math.max(Number.isFinite(ready) ? ready : 0, 0), start);
}

/**
 * One sweep of the run's resource events for tasks of one shape: the cumulative time the shape
 * did not fit (for want of GPUs, or of CPUs) up to each point a task asks about.
 */
function sweepShape(input: WaitInput, members: number[], events: ResourceEvents, spans: [number, number][][], waits: Waits): void {
  const { tasks, platform } = input;
  const first = members[0];
  const ranks = ranksOf(tasks, first);
  const coresPerRank = num(tasks.cores[first]) / ranks;
  const gpusPerRank = num(tasks.gpus[first]) / ranks;
  const pooled = tasks.node === null || platform.kind !== 'nodes';
  const pool = new NodePool(pooled && platform.kind === 'nodes' ? { kind: 'pool', cores: platform.nodes * platform.coresPerNode, gpus: platform.nodes * platform.gpusPerNode } : platform);
  const stateNow = (): number => {
    if (pool.fits(ranks, coresPerRank, gpusPerRank)) return FITS;
    return gpusPerRank > 0 && !pool.fits(ranks, 0, gpusPerRank) ? GPUS : CPUS;
  };

  // Points each member asks about: time zero, its ready time, its start, its staging ends.
  const queries: { x: number; task: number; what: number }[] = [];
  const ZERO = 0;
  const READY = 1;
  const START = 2;
  const SPAN = 3;
  for (const i of members) {
    queries.push({ x: 0, task: i, what: ZERO }, { x: readyOf(input, i), task: i, what: READY }, { x: tasks.start[i], task: i, what: START });
    for (const [a, b] of spans[i]) queries.push({ x: a, task: i, what: SPAN }, { x: b, task: i, what: SPAN });
  }
  queries.sort((a, b) => a.x - b.x);

  // Cumulative blocked time by kind at `cur`, the state over [cur, next event).
  let cur = -Infinity;
  let state = FITS;
  let cumCpus = 0;
  let cumGpus = 0;
  let lastBlockedEnd = -Infinity;
  let lastBlockedKind = FITS;
  let e = 0;
  const at = new Map<number, { zero: [number, number]; ready: [number, number]; start: [number, number]; spans: [number, number][] }>();
  for (const i of members) at.set(i, { zero: [0, 0], ready: [0, 0], start: [0, 0], spans: [] });
  const cumulative = (x: number): [number, number] => {
    const dt = cur === -Infinity ? 0 : x - cur;
    return [cumCpus + (state === CPUS ? dt : 0), cumGpus + (state === GPUS ? dt : 0)];
  };
  const place = (k: number, sign: number) => {
    const t = events.task[k];
    const r = ranksOf(tasks, t);
    const c = num(tasks.cores[t]);
    const g = num(tasks.gpus[t]);
    if (pooled) pool.adjust(0, sign * c, sign * g);
    else pool.adjust(tasks.node![t], (sign * c) / r, (sign * g) / r);
  };

  for (const q of queries) {
    while (e < events.time.length && events.time[e] <= q.x) {
      const time = events.time[e];
      [cumCpus, cumGpus] = cumulative(time);
      cur = time;
      // Ends at this time first: did they let the shape fit (the end of a blocked stretch)?
      while (e < events.time.length && events.time[e] === time && events.isStart[e] === 0) place(e++, +1);
      const afterEnds = stateNow();
      if (state !== FITS && afterEnds === FITS) {
        lastBlockedEnd = time;
        lastBlockedKind = state;
      }
      while (e < events.time.length && events.time[e] === time && events.isStart[e] === 1) place(e++, -1);
      state = stateNow();
    }
    const value = cumulative(q.x);
    const record = at.get(q.task)!;
    if (q.what === ZERO) record.zero = value;
    else if (q.what === READY) record.ready = value;
    else if (q.what === SPAN) record.spans.push(value);
    else {
      record.start = value;
      // Blocked right up to its start (it started without fitting: an over-full node), or unblocked after its ready time.
      const i = q.task;
      if (state !== FITS && cur < q.x) {
        waits.unblockedAt[i] = q.x;
        waits.unblockedFrom[i] = state === GPUS ? 'gpus' : 'cpus';
      } else if (lastBlockedEnd > readyOf(input, i) && lastBlockedEnd <= q.x) {
        waits.unblockedAt[i] = lastBlockedEnd;
        waits.unblockedFrom[i] = lastBlockedKind === GPUS ? 'gpus' : 'cpus';
      }
    }
  }

  for (const i of members) {
    const r = at.get(i)!;
    const ready = readyOf(input, i);
    const start = tasks.start[i];
    // Span ends were recorded in time order, which within one task is span order: pairs.
    const pairs = spans[i];
    let stagedCpus = 0;
    let stagedGpus = 0;
    let staged = 0;
    for (let k = 0; k < pairs.length; k++) {
      staged += pairs[k][1] - pairs[k][0];
      stagedCpus += r.spans[2 * k + 1][0] - r.spans[2 * k][0];
      stagedGpus += r.spans[2 * k + 1][1] - r.spans[2 * k][1];
    }
    const cpus = r.start[0] - r.ready[0] - stagedCpus;
    const gpus = r.start[1] - r.ready[1] - stagedGpus;
    waits.dependencies[i] = ready;
    waits.staging[i] = staged;
    waits.cpus[i] = Math.max(0, cpus);
    waits.gpus[i] = Math.max(0, gpus);
    waits.launch[i] = Math.max(0, start - ready - staged - waits.cpus[i] - waits.gpus[i]);
    waits.dependenciesBlocked[i] = r.ready[0] - r.zero[0] + (r.ready[1] - r.zero[1]);
    waits.dependenciesBlockedGpus[i] = r.ready[1] - r.zero[1];
    if (!(waits.cpus[i] + waits.gpus[i] > 0)) {
      waits.unblockedAt[i] = NaN;
      waits.unblockedFrom[i] = null;
    }
  }
}

function num(value: number): number {
  return Number.isNaN(value) ? 0 : value;
}

function ranksOf(tasks: WaitTasks, i: number): number {
  const r = tasks.ranks[i];
  return r >= 1 ? r : 1;
}
