/**
 * Which slices are tasks, and what their type is.
 *
 * - Only top-level slices are tasks by default: a slice inside another slice on the same thread
 *   is a phase of it (Ray's `task:execute` inside `task::f`, a function inside its caller), and
 *   counting both would count one task's resources twice. `nested: true` takes every slice.
 * - Ray's `worker_idle` slices mark a worker waiting for work: they are not tasks.
 * - The type is `args.type` when the event carries one (asyncscope's own export), else the
 *   event's name or its category: `name` suits workflow tools and Ray (the function name);
 *   profilers name every kernel and operator, and there the category (`kernel`, `cpu_op`,
 *   `gpu_memcpy`) is the useful type. `auto` takes the name unless the names are too many to be
 *   types (more than MAX_NAME_TYPES) while the categories are few.
 */
import { isOutcome, outcomeOfState } from '../../run/outcome.js';
import { TaskTable } from '../../run/task-table.js';
import type { SliceTable } from './slices.js';

export type TypeSource = 'auto' | 'name' | 'cat';

/** More distinct names than this, with few categories, and `auto` takes types from the categories. */
export const MAX_NAME_TYPES = 50;

export interface SliceSelection {
  /** Indexes of the slices taken as tasks, ordered by start time. */
  taken: number[];
  nested: number;
  idle: number;
}

/** The slices that become tasks: top-level ones (or all), without idle markers, by start time. */
export function selectSlices(slices: SliceTable, threads: number, takeNested: boolean): SliceSelection {
  const depth = nestingDepth(slices, threads);
  const taken: number[] = [];
  let nested = 0;
  let idle = 0;
  for (let i = 0; i < slices.length; i++) {
    if (slices.name[i] === 'worker_idle') idle++;
    else if (depth[i] > 0 && !takeNested) nested++;
    else taken.push(i);
  }
  taken.sort((a, b) => slices.start[a] - slices.start[b] || slices.thread[a] - slices.thread[b] || a - b);
  return { taken, nested, idle };
}

/**
 * How many slices of the same thread enclose each slice (0: top level). Slices of a thread are
 * visited by start, longer first among equal starts, with a stack of the ends of the open ones.
 * A slice that starts where the open one ends follows it rather than nesting in it, within a
 * nanosecond or two units in the last place: `ts + dur` of the earlier slice, added in floating
 * point, may land a hair after the next `ts` although the trace meant them to touch.
 */
export function nestingDepth(slices: SliceTable, threads: number): Uint32Array {
  const depth = new Uint32Array(slices.length);
  const byThread: number[][] = Array.from({ length: threads }, () => []);
  for (let i = 0; i < slices.length; i++) byThread[slices.thread[i]].push(i);
  const openEnds: number[] = [];
  for (const list of byThread) {
    list.sort((a, b) => slices.start[a] - slices.start[b] || slices.end[b] - slices.end[a] || a - b);
    openEnds.length = 0;
    for (const i of list) {
      const start = slices.start[i];
      const slack = Math.max(1e-3, Math.abs(start) * 2 ** -51);
      while (openEnds.length > 0 && openEnds[openEnds.length - 1] - start <= slack) openEnds.pop();
      depth[i] = openEnds.length;
      openEnds.push(slices.end[i]);
    }
  }
  return depth;
}

/** `name` or `cat` for these slices (see the module comment for `auto`). */
export function chooseTypeSource(slices: SliceTable, taken: readonly number[], source: TypeSource): 'name' | 'cat' {
  if (source !== 'auto') return source;
  const names = new Set<string>();
  const cats = new Set<string>();
  for (const i of taken) {
    if (slices.args[i].type !== null) continue;
    names.add(slices.name[i]);
    if (slices.cat[i] === '') return 'name';
    cats.add(slices.cat[i]);
  }
  return names.size > MAX_NAME_TYPES && cats.size <= MAX_NAME_TYPES ? 'cat' : 'name';
}

export interface TaskBuild {
  slices: SliceTable;
  taken: readonly number[];
  typeSource: 'name' | 'cat';
  processName: (thread: number) => string;
}

/** The tasks of the taken slices, times in seconds. Task ids are unique: `args.uid` (or Ray's `task_id`) when free, else `<type>.<n>`. */
export function slicesToTasks({ slices, taken, typeSource, processName }: TaskBuild): TaskTable {
  const tasks = new TaskTable();
  const used = new Set<string>();
  const perType = new Map<string, number>();
  const fresh = (base: string): string => {
    let n = perType.get(base) ?? 0;
    let uid: string;
    do uid = `${base}.${++n}`;
    while (used.has(uid));
    perType.set(base, n);
    return uid;
  };
  for (const i of taken) {
    const args = slices.args[i];
    const primary = typeSource === 'name' ? slices.name[i] : slices.cat[i];
    const secondary = typeSource === 'name' ? slices.cat[i] : slices.name[i];
    const type = args.type || primary || secondary || 'slice';
    let uid = args.uid;
    if (uid === null || uid === '' || used.has(uid)) uid = fresh(type);
    used.add(uid);
    tasks.push({
      uid,
      name: args.name !== undefined ? args.name : slices.name[i] || null,
      type,
      stage: args.stage,
      pipeline: args.pipeline !== undefined ? args.pipeline : processName(slices.thread[i]),
      state: args.state,
      // asyncscope's own export writes the outcome; other producers' state words are read as most systems mean them.
      outcome: isOutcome(args.outcome) ? args.outcome : outcomeOfState(args.state),
      node: args.node,
      cores: args.cores,
      gpus: args.gpus,
      start: slices.start[i] / 1e6,
      end: slices.end[i] / 1e6,
    });
  }
  return tasks;
}
