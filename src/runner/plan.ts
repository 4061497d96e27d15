/**
 * What `asyncscope run` executes for a workflow spec: one process per task, named, typed and
 * resourced as the model sees them (the same expansion, `expandSpec`, and the same DAG levels), with
 * the spec's durations times the scale.
 *
 * Task ids: `STAGE.K` for the K-th task (from 0) of a stage, the spec's id for a task-level spec.
 */
import { InputError } from '../errors.js';
import { levels } from '../model/levels.js';
import { describePlatform, type Platform, type TaskCommand, type WorkflowSpec } from '../model/spec.js';
import { expandSpec, type TaskGraph } from '../model/task-graph.js';

/** A platform the runner can hold slots of: nodes or a pool, with whole cores and GPUs. */
export type RunnablePlatform = Extract<Platform, { kind: 'nodes' | 'pool' }>;

export interface PlannedTask {
  /** Index of the task in `graph` (spec order: stage by stage). */
  index: number;
  id: string;
  type: string;
  /** Stage name; null for a task-level spec. */
  stage: string | null;
  /** Position of the task in its stage, from 0 (0 for a task-level spec). */
  indexInStage: number;
  /** Seconds: the spec's duration times the scale. */
  durationS: number;
  cores: number;
  gpus: number;
  /** The spec's command, or undefined for the built-in sleep of `durationS`. */
  command: TaskCommand | undefined;
  /** Ids of the tasks that must end before this one starts (every task of the parent stages). */
  parents: string[];
  /** Where in the spec the task comes from, for messages: `stages[2]` or `tasks[7]`. */
  at: string;
}

export interface RunPlan {
  name: string | null;
  platform: RunnablePlatform;
  tasks: PlannedTask[];
  graph: TaskGraph;
  /** DAG level of each group: the barrier phases of a synchronous run, as the model defines them. */
  levels: Int32Array;
  scale: number;
}

/** The plan of a spec whose platform is already set (see the run command for a spec without one). */
export function planRun(spec: WorkflowSpec, scale: number): RunPlan {
  if (!(scale > 0) || !Number.isFinite(scale)) throw new InputError(`--scale: expected a positive number, got ${scale}`);
  const platform = runnablePlatform(spec.platform);
  const graph = expandSpec(spec);
  const tasks: PlannedTask[] = new Array(graph.taskCount);
  if (spec.kind === 'stages') {
    spec.stages.forEach((stage, g) => {
      wholeResources(stage.cores, stage.gpus, `stages[${g}] (${stage.name})`);
      const parents = parentIds(graph, g);
      for (let t = graph.groupStart[g], k = 0; t < graph.groupStart[g + 1]; t++, k++) {
        tasks[t] = {
          index: t,
          id: `${stage.name}.${k}`,
          type: stage.type,
          stage: stage.name,
          indexInStage: k,
          durationS: graph.duration[t] * scale,
          cores: stage.cores,
          gpus: stage.gpus,
          command: stage.command,
          parents,
          at: `stages[${g}]`,
        };
      }
    });
  } else {
    spec.tasks.forEach((task, t) => {
      wholeResources(task.cores, task.gpus, `tasks[${t}] (${task.id})`);
      tasks[t] = {
        index: t,
        id: task.id,
        type: task.type,
        stage: null,
        indexInStage: 0,
        durationS: task.durationS * scale,
        cores: task.cores,
        gpus: task.gpus,
        command: task.command,
        parents: task.parents,
        at: `tasks[${t}]`,
      };
    });
  }
  return { name: spec.name, platform, tasks, graph, levels: levels(graph.groups).level, scale };
}

/** Ids of every task of the parent stages of stage g (made from the names: a parent may come later in the spec). */
function parentIds(graph: TaskGraph, g: number): string[] {
  const ids: string[] = [];
  const { parentStart, parentList } = graph.groups;
  for (let k = parentStart[g]; k < parentStart[g + 1]; k++) {
    const p = parentList[k];
    for (let t = graph.groupStart[p], i = 0; t < graph.groupStart[p + 1]; t++, i++) ids.push(`${graph.groupNames[p]}.${i}`);
  }
  return ids;
}

function runnablePlatform(platform: Platform): RunnablePlatform {
  if (platform.kind === 'unbounded') throw new InputError('the runner needs a platform with a number of cores (the spec has none, and none was given)');
  const [cores, gpus] = platform.kind === 'nodes' ? [platform.coresPerNode, platform.gpusPerNode] : [platform.cores, platform.gpus];
  if (!Number.isInteger(cores) || !Number.isInteger(gpus)) {
    throw new InputError(`platform ${describePlatform(platform)}: the runner holds whole CPU and GPU slots, so it needs whole numbers of cores and GPUs${platform.kind === 'nodes' ? ' per node' : ''}`);
  }
  return platform;
}

function wholeResources(cores: number, gpus: number, at: string): void {
  if (!Number.isInteger(cores) || !Number.isInteger(gpus)) {
    throw new InputError(`${at}: ${cores} cores and ${gpus} GPUs per task: the runner holds whole slots, so it needs whole numbers`);
  }
}

/** The spec with every duration and the overhead times `scale`: what the model predicts for a scaled run. */
export function scaledSpec(spec: WorkflowSpec, scale: number): WorkflowSpec {
  const overheadS = spec.overheadS * scale;
  if (spec.kind === 'stages') return { ...spec, overheadS, stages: spec.stages.map((stage) => ({ ...stage, durations: stage.durations.map((d) => d * scale) })) };
  return { ...spec, overheadS, tasks: spec.tasks.map((task) => ({ ...task, durationS: task.durationS * scale })) };
}
