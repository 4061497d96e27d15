/**
 * Inferring a spec from a stored run (docs/model.md, "Inference").
 *
 * Stage-level, for runs with a timeline and no task dependencies:
 * - stages are the run's stage instances (the `stage` column; without one, pipeline and type, or
 *   the type alone), split by task type and resources so that each stage's tasks are alike;
 * - each stage keeps its tasks' measured durations (end - start) and resources;
 * - edges: the stage order inside each pipeline (by first start), plus observed barriers: stage B
 *   depends on stage A when every task of B started after the last task of A ended, within
 *   `barrierGapS` seconds (default 30);
 * - stages are listed in order of their first start, which is the order in which the simulator
 *   breaks ties between stages ready at the same time (the order the middleware placed them).
 *
 * Task-level, for runs with task dependencies (the task_edges table) or without start times
 * (WfCommons instances): one task per task with its runtime (or measured duration), resources and
 * parents.
 */
import { InputError } from '../errors.js';
import { findCycle } from '../run/edge-cycle.js';
import { buildDag } from './dag.js';
import { inferBag, ranksOf } from './infer-bag.js';
import type { InferOptions, InferredSpec, RunData, StageInstance } from './run-data.js';
import { misfit, type StageSpec, type TaskSpec } from './spec.js';

export type { InferOptions, InferredSpec, RunData, StageInstance } from './run-data.js';

export const DEFAULT_BARRIER_GAP_S = 30;

export function inferSpec(run: RunData, options: InferOptions): InferredSpec {
  if (run.edges.length > 0 || !run.scheduled) return inferTaskLevel(run, options);
  const staged = inferStageLevel(run, options);
  return inferBag(run, staged, options) ?? staged;
}

interface Part {
  instance: number;
  type: string;
  cores: number;
  gpus: number;
  ranks: number;
  tasks: number[];
  firstStart: number;
}

function inferStageLevel(run: RunData, options: InferOptions): InferredSpec {
  const t = run.tasks;
  const warnings: string[] = [];
  const gap = options.barrierGapS ?? DEFAULT_BARRIER_GAP_S;
  let skipped = 0;
  let unknownCores = 0;

  // Stage instances and their like-task parts, in stored task order.
  const instanceIndex = new Map<string, number>();
  const raw: { key: string; pipeline: string | null; firstStart: number; lastEnd: number; parts: Map<string, Part> }[] = [];
  for (let i = 0; i < t.length; i++) {
    const start = t.start[i];
    const end = t.end[i];
    if (!(Number.isFinite(start) && Number.isFinite(end) && end >= start)) {
      skipped++;
      continue;
    }
    const key = t.stage[i] ?? (t.pipeline[i] !== null ? `${t.pipeline[i]}/${t.type[i]}` : t.type[i]);
    let k = instanceIndex.get(key);
    if (k === undefined) {
      k = raw.length;
      instanceIndex.set(key, k);
      raw.push({ key, pipeline: t.pipeline[i], firstStart: start, lastEnd: end, parts: new Map() });
    }
    const instance = raw[k];
    instance.firstStart = Math.min(instance.firstStart, start);
    instance.lastEnd = Math.max(instance.lastEnd, end);
    if (Number.isNaN(t.cores[i])) unknownCores++;
    const cores = Number.isNaN(t.cores[i]) ? 1 : t.cores[i];
    const gpus = Number.isNaN(t.gpus[i]) ? 0 : t.gpus[i];
    const ranks = ranksOf(run, i);
    const partKey = `${t.type[i]}\u0000${cores}\u0000${gpus}\u0000${ranks}`;
    let part = instance.parts.get(partKey);
    if (!part) instance.parts.set(partKey, (part = { instance: k, type: t.type[i], cores, gpus, ranks, tasks: [], firstStart: start }));
    part.tasks.push(i);
    part.firstStart = Math.min(part.firstStart, start);
  }
  if (raw.length === 0) throw new InputError(`run ${run.id}: no task has both a start and an end time; nothing to model`);
  if (skipped > 0) warnings.push(`${skipped} task(s) without a start and end time were left out of the spec`);
  if (unknownCores > 0) warnings.push(`${unknownCores} task(s) do not state their cores; counted as 1 core`);

  // Instances in order of first start (then key, for determinism).
  const order = raw.map((_, k) => k).sort((a, b) => raw[a].firstStart - raw[b].firstStart || (raw[a].key < raw[b].key ? -1 : 1));
  const rank = new Int32Array(raw.length);
  order.forEach((k, position) => (rank[k] = position));
  const instances: StageInstance[] = order.map((k) => ({ key: raw[k].key, pipeline: raw[k].pipeline, firstStart: raw[k].firstStart, lastEnd: raw[k].lastEnd, parents: [] }));
  addPipelineEdges(instances);
  addBarrierEdges(instances, gap);

  // Stages: the parts of each instance, named after their type (numbered when a name repeats).
  const parts: Part[] = [];
  for (const k of order) {
    const list = [...raw[k].parts.values()].sort((a, b) => a.firstStart - b.firstStart || a.type.localeCompare(b.type) || a.cores - b.cores || a.gpus - b.gpus || a.ranks - b.ranks);
    for (const part of list) parts.push({ ...part, instance: rank[k] });
  }
  const names = stageNames(parts);
  const stagesOfInstance = instances.map(() => [] as string[]);
  parts.forEach((part, s) => stagesOfInstance[part.instance].push(names[s]));
  const stages: StageSpec[] = parts.map((part, s) => {
    const problem = misfit(options.platform, part.cores, part.gpus, ' per task', part.ranks);
    if (problem) throw new InputError(`run ${run.id}: stage ${names[s]}: ${problem} (state the machine with --cores, --gpus and --nodes)`);
    return {
      name: names[s],
      type: part.type,
      durations: part.tasks.map((i) => t.end[i] - t.start[i]),
      cores: part.cores,
      gpus: part.gpus,
      ...(part.ranks > 1 ? { ranks: part.ranks } : {}),
      after: instances[part.instance].parents.flatMap((p) => stagesOfInstance[p]),
    };
  });
  return {
    spec: { kind: 'stages', name: run.workflow ?? run.id, platform: options.platform, overheadS: options.overheadS ?? 0, stages },
    stageTasks: parts.map((part) => part.tasks),
    instances,
    stageInstance: parts.map((part) => part.instance),
    warnings,
  };
}

/** Within a pipeline, each stage instance depends on the one that started before it. */
function addPipelineEdges(instances: StageInstance[]): void {
  const lastOfPipeline = new Map<string, number>();
  instances.forEach((instance, k) => {
    if (instance.pipeline === null) return;
    const previous = lastOfPipeline.get(instance.pipeline);
    if (previous !== undefined) instance.parents.push(previous);
    lastOfPipeline.set(instance.pipeline, k);
  });
}

/** B depends on A when B's first start is at or after A's last end, by at most `gap` seconds. */
function addBarrierEdges(instances: StageInstance[], gap: number): void {
  const byEnd = instances.map((_, k) => k).sort((a, b) => instances[a].lastEnd - instances[b].lastEnd || a - b);
  instances.forEach((b, kb) => {
    // First instance whose last end is >= b.firstStart - gap (binary search), then all up to b.firstStart.
    let lo = 0;
    let hi = byEnd.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (instances[byEnd[mid]].lastEnd < b.firstStart - gap) lo = mid + 1;
      else hi = mid;
    }
    for (let j = lo; j < byEnd.length && instances[byEnd[j]].lastEnd <= b.firstStart; j++) {
      const ka = byEnd[j];
      // Edges only go forward in start order, so even zero-length stages cannot form a cycle.
      if (ka < kb && !b.parents.includes(ka)) b.parents.push(ka);
    }
    b.parents.sort((x, y) => x - y);
  });
}

/**
 * A stage is named after its task type; parts of one instance that share a type get their
 * resources appended (`T3T6-4c`, `T3T6-4c1g`); names used by several stages are numbered in
 * order (`Simulation.1`, `Simulation.2`).
 */
function stageNames(parts: Part[]): string[] {
  const typeCount = new Map<string, number>();
  for (const part of parts) {
    const key = `${part.instance}\u0000${part.type}`;
    typeCount.set(key, (typeCount.get(key) ?? 0) + 1);
  }
  const base = parts.map((part) => {
    const shared = (typeCount.get(`${part.instance}\u0000${part.type}`) ?? 0) > 1;
    return shared ? `${part.type}-${resourceTag(part.cores, part.gpus)}${part.ranks > 1 ? `x${part.ranks}` : ''}` : part.type;
  });
  const uses = new Map<string, number>();
  for (const name of base) uses.set(name, (uses.get(name) ?? 0) + 1);
  const seen = new Map<string, number>();
  const names = base.map((name) => {
    if ((uses.get(name) ?? 0) === 1) return name;
    const k = (seen.get(name) ?? 0) + 1;
    seen.set(name, k);
    return `${name}.${k}`;
  });
  // A numbered name could collide with a type that really is called `Simulation.1`: make unique.
  const taken = new Set<string>();
  return names.map((name) => {
    let unique = name;
    for (let k = 2; taken.has(unique); k++) unique = `${name}~${k}`;
    taken.add(unique);
    return unique;
  });
}

function resourceTag(cores: number, gpus: number): string {
  return `${cores}c${gpus > 0 ? `${gpus}g` : ''}`;
}

function inferTaskLevel(run: RunData, options: InferOptions): InferredSpec {
  const t = run.tasks;
  const warnings: string[] = [];
  const ids = new Set<string>();
  let missing = 0;
  let unknownCores = 0;
  const tasks: TaskSpec[] = new Array(t.length);
  const parents: string[][] = Array.from({ length: t.length }, () => []);
  for (let i = 0; i < t.length; i++) {
    let id = t.uid[i];
    for (let k = 2; ids.has(id); k++) id = `${t.uid[i]}#${k}`;
    ids.add(id);
    const measured = run.scheduled ? t.end[i] - t.start[i] : NaN;
    let duration = Number.isFinite(measured) && measured >= 0 ? measured : t.runtime[i];
    if (!(Number.isFinite(duration) && duration >= 0)) {
      missing++;
      duration = 0;
    }
    if (Number.isNaN(t.cores[i])) unknownCores++;
    const cores = Number.isNaN(t.cores[i]) ? 1 : t.cores[i];
    const gpus = Number.isNaN(t.gpus[i]) ? 0 : t.gpus[i];
    const ranks = ranksOf(run, i);
    const problem = misfit(options.platform, cores, gpus, '', ranks);
    if (problem) throw new InputError(`run ${run.id}: task ${id}: ${problem} (state the machine with --cores, --gpus and --nodes)`);
    tasks[i] = { id, type: t.type[i], durationS: duration, cores, gpus, ...(ranks > 1 ? { ranks } : {}), parents: parents[i] };
  }
  const dag = buildDag(t.length, run.edges.parent, run.edges.child);
  const cycle = findCycle(t.length, run.edges);
  if (cycle) throw new InputError(`run ${run.id}: task dependencies form a cycle: ${cycle.map((i) => tasks[i].id).join(' -> ')}`);
  for (let child = 0; child < t.length; child++) {
    for (let k = dag.parentStart[child]; k < dag.parentStart[child + 1]; k++) parents[child].push(tasks[dag.parentList[k]].id);
  }
  if (missing > 0) warnings.push(`${missing} task(s) have neither a runtime nor a measured duration; counted as 0 s`);
  if (unknownCores > 0) warnings.push(`${unknownCores} task(s) do not state their cores; counted as 1 core`);
  if (run.edges.length === 0) warnings.push('the run has no task dependencies: its tasks are modelled as independent');
  return {
    spec: { kind: 'tasks', name: run.workflow ?? run.id, platform: options.platform, overheadS: options.overheadS ?? 0, tasks },
    stageTasks: null,
    instances: [],
    stageInstance: [],
    warnings,
  };
}
