/**
 * Ray's timeline (`ray timeline`, `ray.timeline(filename)`, the dashboard's "Download timeline"):
 * a Chrome trace that Ray writes from the profile events of its workers (Ray's
 * `_private/profiling.py` `chrome_tracing_dump`; before the task-events backend, `state.py`).
 *
 * What Ray writes, one `X` slice per profile event:
 * - `cat` is the event's name: `task::<name>` for a task's execution as a whole (`task::simulate`,
 *   `task::Trainer.step`; Ray 0.x wrote `task`, too common a word to tell Ray by), and inside it on
 *   the same worker `task:deserialize_arguments`, `task:execute`, `task:store_outputs`, plus
 *   `ray.get`, `ray.put`, `ray.wait`, `submit_task` and the user's own `ray.profiling.profile`
 *   spans where the task made them. `worker_idle` marks a worker waiting for work; driver slices
 *   (`ray.get` of the script) belong to no task.
 * - `name` is the event's `extra_data.name` when it has one (the task's function name), else `cat`.
 * - `args` is `extra_data`, to which the task-events backend (Ray >= 2.4) adds `task_id`,
 *   `job_id`, `attempt_number`, `func_or_class_name` and `actor_id` on every slice of a task.
 * - `pid` is the node and `tid` the worker: the node's IP and `worker:<hex id>` (or
 *   `driver:<hex>`) as strings in older Rays; small numbers named by `M` events `process_name`
 *   (`Node 10.0.0.1`) and `thread_name` (`worker:<hex id>`) in newer ones.
 *
 * asyncscope takes each `task::` slice as a task: uid the task id, type `func_or_class_name`
 * (else the category without `task::`), name the slice's name, node the node's IP, pipeline the
 * job id. The slices inside it become its phases (events `execute_start`, `execute_end`,
 * `deserialize_arguments_start`, `ray_get_start`, ...). A task id seen more than once is a retried
 * task: the last attempt is the task, earlier ones `attempt_start`/`attempt_end` events. The
 * timeline says nothing of a task's resources or of its success: cores, GPUs and outcome are
 * unknown. The worker a task ran on is not kept (a lane of the timeline, not a resource).
 */
import { EventTable } from '../../run/event-table.js';
import { TaskTable } from '../../run/task-table.js';
import type { SliceCollector, SliceTable } from './slices.js';

const INNER_PHASES = new Set(['task:execute', 'task:deserialize_arguments', 'task:store_outputs']);

function isTaskSlice(cat: string): boolean {
  return cat.startsWith('task::');
}

/** A Ray timeline has `task::` slices or Ray's inner task phases. */
export function isRayTimeline(slices: SliceTable): boolean {
  for (let i = 0; i < slices.length; i++) if (isTaskSlice(slices.cat[i]) || INNER_PHASES.has(slices.cat[i])) return true;
  return false;
}

export interface RayTasks {
  tasks: TaskTable;
  /** Absolute seconds, grouped by task. */
  events: EventTable;
  /** Slices that are neither tasks nor inside one (driver calls, worker_idle...), by category. */
  outside: Map<string, number>;
  /** Earlier attempts of retried tasks. */
  attempts: number;
}

/** `"worker:ab"` -> its node: the process name without Ray's `Node ` prefix, or the pid Ray wrote as text. */
function nodeOf(collector: SliceCollector, thread: number): string | null {
  const key = collector.threadProcess[thread];
  const named = collector.processNames.get(key);
  if (named !== undefined) return named.startsWith('Node ') ? named.slice(5) : named;
  return key.startsWith('"') ? (JSON.parse(key) as string) : null;
}

/** Event names of a phase slice: `task:execute` -> `execute_start`/`execute_end`, `ray.get` -> `ray_get_...`. */
function phaseEvents(cat: string, name: string, cache: Map<string, [string, string]>): [string, string] {
  const source = cat || name;
  let names = cache.get(source);
  if (names === undefined) {
    const base = source.replace(/^task:/, '').replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '') || 'phase';
    names = [`${base}_start`, `${base}_end`];
    cache.set(source, names);
  }
  return names;
}

export function rayTasks(collector: SliceCollector): RayTasks {
  const slices = collector.slices;
  const outside = new Map<string, number>();
  const count = (cat: string) => outside.set(cat, (outside.get(cat) ?? 0) + 1);

  // Task slices by task id (attempts in order), and per thread by start (to find what encloses a phase).
  const attemptsOf = new Map<string, number[]>();
  const perThread = new Map<number, number[]>();
  let anonymous = 0;
  for (let i = 0; i < slices.length; i++) {
    if (!isTaskSlice(slices.cat[i])) continue;
    const id = slices.args[i].uid || `\u0000${anonymous++}`;
    const list = attemptsOf.get(id) ?? [];
    list.push(i);
    attemptsOf.set(id, list);
    const onThread = perThread.get(slices.thread[i]) ?? [];
    onThread.push(i);
    perThread.set(slices.thread[i], onThread);
  }
  for (const list of attemptsOf.values()) list.sort((a, b) => attemptOrder(slices, a, b));
  const reach = new Map<number, Float64Array>(); // per thread: the latest end among its task slices up to each one
  for (const [thread, list] of perThread) {
    list.sort((a, b) => slices.start[a] - slices.start[b] || a - b);
    const ends = new Float64Array(list.length);
    list.forEach((t, k) => (ends[k] = Math.max(k > 0 ? ends[k - 1] : -Infinity, slices.end[t])));
    reach.set(thread, ends);
  }

  // The phases of each task slice: slices carrying its task id inside it, or enclosed by it on its worker.
  const phasesOf = new Map<number, number[]>();
  for (let i = 0; i < slices.length; i++) {
    if (isTaskSlice(slices.cat[i])) continue;
    if (slices.name[i] === 'worker_idle' || slices.cat[i] === 'worker_idle') {
      count('worker_idle');
      continue;
    }
    const owner = ownerOf(slices, i, attemptsOf.get(slices.args[i].uid ?? ''), perThread.get(slices.thread[i]), reach.get(slices.thread[i]));
    if (owner === -1) {
      count(slices.cat[i] || slices.name[i] || '(unnamed)');
      continue;
    }
    const list = phasesOf.get(owner) ?? [];
    list.push(i);
    phasesOf.set(owner, list);
  }

  const tasks = new TaskTable();
  const events = new EventTable();
  const names = new Map<string, [string, string]>();
  const used = new Set<string>();
  let attempts = 0;
  const finals = [...attemptsOf.entries()].map(([id, list]) => [id, list] as const);
  finals.sort((a, b) => slices.start[a[1][a[1].length - 1]] - slices.start[b[1][b[1].length - 1]]);
  const perType = new Map<string, number>();
  for (const [id, list] of finals) {
    const final = list[list.length - 1];
    const args = slices.args[final];
    const cat = slices.cat[final];
    const type = args.func || (cat.startsWith('task::') ? cat.slice(6) : '') || slices.name[final] || 'task';
    let uid = id.startsWith('\u0000') ? '' : id;
    if (uid === '' || used.has(uid)) {
      let n = perType.get(type) ?? 0;
      do uid = `${type}.${++n}`;
      while (used.has(uid));
      perType.set(type, n);
    }
    used.add(uid);
    const start = slices.start[final] / 1e6;
    const end = slices.end[final] / 1e6;
    const task = tasks.push({
      uid,
      name: args.name ?? slices.name[final] ?? null,
      type,
      pipeline: args.job,
      node: nodeOf(collector, slices.thread[final]),
      start,
      end,
    });
    for (const earlier of list.slice(0, -1)) {
      events.push(task, 'attempt_start', null, slices.start[earlier] / 1e6);
      events.push(task, 'attempt_end', null, slices.end[earlier] / 1e6);
      attempts++;
    }
    events.push(task, 'start', null, start);
    for (const phase of phasesOf.get(final) ?? []) {
      const [startName, endName] = phaseEvents(slices.cat[phase], slices.name[phase], names);
      events.push(task, startName, null, slices.start[phase] / 1e6);
      events.push(task, endName, null, slices.end[phase] / 1e6);
    }
    events.push(task, 'end', null, end);
  }
  return { tasks, events, outside, attempts };
}

/** Attempts by `attempt_number` when Ray gives it, else by start time. */
function attemptOrder(slices: SliceTable, a: number, b: number): number {
  const byNumber = slices.args[a].attempt - slices.args[b].attempt;
  return (Number.isNaN(byNumber) ? 0 : byNumber) || slices.start[a] - slices.start[b] || a - b;
}

/**
 * The task slice a phase slice belongs to: the attempt of its own task id that encloses it (Ray
 * 2.4+ labels every slice), else the task slice enclosing it on its worker; -1 when none does.
 */
function ownerOf(slices: SliceTable, i: number, sameId: number[] | undefined, onThread: number[] | undefined, reach: Float64Array | undefined): number {
  const start = slices.start[i];
  const end = slices.end[i];
  const encloses = (t: number) => slices.thread[t] === slices.thread[i] && slices.start[t] <= start + 1e-3 && end <= slices.end[t] + 1e-3;
  if (sameId) {
    for (let k = sameId.length - 1; k >= 0; k--) if (encloses(sameId[k])) return sameId[k];
  }
  if (onThread) {
    // The latest task slice starting at or before the phase, then earlier ones (async actors overlap tasks).
    let lo = 0;
    let hi = onThread.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (slices.start[onThread[mid]] <= start + 1e-3) lo = mid + 1;
      else hi = mid;
    }
    for (let k = lo - 1; k >= 0 && reach![k] >= end - 1e-3; k--) if (encloses(onThread[k])) return onThread[k];
  }
  return -1;
}
