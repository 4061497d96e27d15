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
import { argsortFloat64 } from '../analysis/sort.js';
import { timelineOf } from '../analysis/timeline.js';
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
  const { tasks } = input;
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
  const start = Float64Array.from({ length: n }, (_, i) => tasks.start[i]);
  const end = Float64Array.from({ length: n }, (_, i) => tasks.end[i]);
  // Starts and ends in time order, ends first at equal times (a task of zero length holds nothing).
  const events = timelineOf({ length: n, start, end });
  const spansOf = spansByTask(input, n);
  const blocked = new Blocked(n);

  // Tasks by resource shape: one sweep of the run per shape.
  const shapes = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    if (!(end[i] >= start[i])) continue;
    const key = `${num(tasks.cores[i])}/${num(tasks.gpus[i])}/${ranksOf(tasks, i)}`;
    let list = shapes.get(key);
    if (!list) shapes.set(key, (list = []));
    list.push(i);
  }
  for (const members of shapes.values()) sweepShape(input, members, events, spansOf, waits, blocked);
  return waits;
}

/** Resource events in time order: `interval` is the task, `isStart` 1 for a start. */
type ResourceEvents = ReturnType<typeof timelineOf>;

/** Per task, the time its shape had not fitted (for want of CPUs, of GPUs) by its ready time and by its start. */
class Blocked {
  readonly readyCpus: Float64Array;
  readonly readyGpus: Float64Array;
  readonly startCpus: Float64Array;
  readonly startGpus: Float64Array;
  constructor(n: number) {
    this.readyCpus = new Float64Array(n);
    this.readyGpus = new Float64Array(n);
    this.startCpus = new Float64Array(n);
    this.startGpus = new Float64Array(n);
  }
}

const NO_SPANS: [number, number][] = [];

/** Each task's staging spans (its own and its last parent's), clipped to its wait after dependencies and merged. */
function spansByTask(input: WaitInput, n: number): (i: number) => [number, number][] {
  const s = input.staging;
  if (!s || s.task.length === 0) return () => NO_SPANS;
  const own = new Map<number, [number, number][]>();
  for (let k = 0; k < s.task.length; k++) {
    if (!(s.end[k] > s.start[k] && s.task[k] >= 0 && s.task[k] < n)) continue;
    let list = own.get(s.task[k]);
    if (!list) own.set(s.task[k], (list = []));
    list.push([s.start[k], s.end[k]]);
  }
  const cache = new Map<number, [number, number][]>();
  return (i) => {
    const known = cache.get(i);
    if (known) return known;
    const from = readyOf(input, i);
    const to = input.tasks.start[i];
    const parent = input.lastParent[i];
    const merged: [number, number][] = [];
    if (to > from) {
      const candidates = [...(own.get(i) ?? NO_SPANS), ...(parent >= 0 ? (own.get(parent) ?? NO_SPANS) : NO_SPANS)];
      const clipped = candidates.map(([a, b]): [number, number] => [Math.max(a, from), Math.min(b, to)]).filter(([a, b]) => b > a);
      clipped.sort((x, y) => x[0] - y[0]);
      for (const span of clipped) {
        const last = merged[merged.length - 1];
        if (last && span[0] <= last[1]) last[1] = Math.max(last[1], span[1]);
        else merged.push([span[0], span[1]]);
      }
    }
    const out = merged.length > 0 ? merged : NO_SPANS;
    cache.set(i, out);
    return out;
  };
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
 * did not fit (for want of GPUs, or of CPUs) up to each point a task asks about. Time zero needs
 * no question: before it nothing runs, so nothing is blocked.
 */
function sweepShape(input: WaitInput, members: number[], events: ResourceEvents, spansOf: (i: number) => [number, number][], waits: Waits, blocked: Blocked): void {
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

  // The points asked about, in typed arrays (a run may have a million tasks): each member's ready
  // time and start, and the ends of its staging spans.
  const READY = 0;
  const START = 1;
  const SPAN = 2;
  let count = 0;
  for (const i of members) count += 2 + 2 * spansOf(i).length;
  const x = new Float64Array(count);
  const who = new Int32Array(count);
  const what = new Uint8Array(count);
  let q = 0;
  const ask = (at: number, i: number, kind: number) => {
    x[q] = at;
    who[q] = i;
    what[q++] = kind;
  };
  for (const i of members) {
    ask(readyOf(input, i), i, READY);
    ask(tasks.start[i], i, START);
    for (const [a, b] of spansOf(i)) {
      ask(a, i, SPAN);
      ask(b, i, SPAN);
    }
  }
  const order = argsortFloat64(x);

  // Cumulative blocked time by kind up to `cur`; `state` holds over [cur, the next event).
  let cur = -Infinity;
  let state = FITS;
  let cumCpus = 0;
  let cumGpus = 0;
  let lastBlockedEnd = -Infinity;
  let lastBlockedKind = FITS;
  let e = 0;
  const place = (p: number, sign: number) => {
    const t = events.interval[p];
    const c = num(tasks.cores[t]);
    const g = num(tasks.gpus[t]);
    if (pooled) pool.adjust(0, sign * c, sign * g);
    else {
      const r = ranksOf(tasks, t);
      pool.adjust(tasks.node![t], (sign * c) / r, (sign * g) / r);
    }
  };
  // Staging span ends of each member, as (CPUs, GPUs) blocked so far, in time order.
  const spanValues = new Map<number, number[]>();

  for (let k = 0; k < count; k++) {
    const j = order[k];
    const at = x[j];
    while (e < events.length && events.time[e] <= at) {
      const time = events.time[e];
      if (cur !== -Infinity) {
        if (state === CPUS) cumCpus += time - cur;
        else if (state === GPUS) cumGpus += time - cur;
      }
      cur = time;
      // Ends at this time first: did they let the shape fit (the end of a blocked stretch)?
      while (e < events.length && events.time[e] === time && events.isStart[e] === 0) place(e++, +1);
      const afterEnds = stateNow();
      if (state !== FITS && afterEnds === FITS) {
        lastBlockedEnd = time;
        lastBlockedKind = state;
      }
      while (e < events.length && events.time[e] === time && events.isStart[e] === 1) place(e++, -1);
      state = stateNow();
    }
    const dt = cur === -Infinity ? 0 : at - cur;
    const cpus = cumCpus + (state === CPUS ? dt : 0);
    const gpus = cumGpus + (state === GPUS ? dt : 0);
    const i = who[j];
    if (what[j] === READY) {
      blocked.readyCpus[i] = cpus;
      blocked.readyGpus[i] = gpus;
    } else if (what[j] === SPAN) {
      let list = spanValues.get(i);
      if (!list) spanValues.set(i, (list = []));
      list.push(cpus, gpus);
    } else {
      blocked.startCpus[i] = cpus;
      blocked.startGpus[i] = gpus;
      // Blocked right up to its start (it started without fitting: an over-full node), or unblocked after its ready time.
      if (state !== FITS && cur < at) {
        waits.unblockedAt[i] = at;
        waits.unblockedFrom[i] = state === GPUS ? 'gpus' : 'cpus';
      } else if (lastBlockedEnd > readyOf(input, i) && lastBlockedEnd <= at) {
        waits.unblockedAt[i] = lastBlockedEnd;
        waits.unblockedFrom[i] = lastBlockedKind === GPUS ? 'gpus' : 'cpus';
      }
    }
  }

  for (const i of members) {
    const ready = readyOf(input, i);
    const spans = spansOf(i);
    const values = spanValues.get(i) ?? [];
    let staged = 0;
    let stagedCpus = 0;
    let stagedGpus = 0;
    // A member's span ends were asked in time order, which within one member is span order.
    for (let k = 0; k < spans.length; k++) {
      staged += spans[k][1] - spans[k][0];
      stagedCpus += values[4 * k + 2] - values[4 * k];
      stagedGpus += values[4 * k + 3] - values[4 * k + 1];
    }
    waits.dependencies[i] = ready;
    waits.staging[i] = staged;
    waits.cpus[i] = Math.max(0, blocked.startCpus[i] - blocked.readyCpus[i] - stagedCpus);
    waits.gpus[i] = Math.max(0, blocked.startGpus[i] - blocked.readyGpus[i] - stagedGpus);
    waits.launch[i] = Math.max(0, tasks.start[i] - ready - staged - waits.cpus[i] - waits.gpus[i]);
    waits.dependenciesBlocked[i] = blocked.readyCpus[i] + blocked.readyGpus[i];
    waits.dependenciesBlockedGpus[i] = blocked.readyGpus[i];
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
