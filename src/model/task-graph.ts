/**
 * The workflow as the simulator sees it: tasks (duration, cores, GPUs) in groups released together,
 * and a DAG over the groups. A stage of a stage-level spec is one group; each task of a task-level
 * spec is a group of its own. Tasks of a group are contiguous and groups are in spec order, so the
 * task index order is "stage order, then task order".
 */
import { buildDag, type Dag } from './dag.js';
import type { WorkflowSpec } from './spec.js';

export interface TaskGraph {
  taskCount: number;
  duration: Float64Array;
  /** Cores and GPUs of each task, all its ranks together. */
  cores: Float64Array;
  gpus: Float64Array;
  /** Ranks of each task: each rank needs cores / ranks and gpus / ranks on one node. */
  ranks: Int32Array;
  /** Group of each task. */
  groupOf: Int32Array;
  /** Tasks of group g are groupStart[g] .. groupStart[g + 1] - 1. */
  groupStart: Int32Array;
  /** Dependencies between groups: a group's tasks wait until every parent group has ended. */
  groups: Dag;
  groupNames: string[];
  groupTypes: string[];
}

export function groupCount(graph: TaskGraph): number {
  return graph.groups.size;
}

/** Expands a spec into tasks: a stage of n tasks becomes n tasks of one group. */
export function expandSpec(spec: WorkflowSpec): TaskGraph {
  if (spec.kind === 'tasks') {
    const n = spec.tasks.length;
    const index = new Map<string, number>();
    spec.tasks.forEach((task, i) => index.set(task.id, i));
    const from: number[] = [];
    const to: number[] = [];
    const graph = allocate(n, n);
    spec.tasks.forEach((task, i) => {
      graph.duration[i] = task.durationS;
      graph.cores[i] = task.cores;
      graph.gpus[i] = task.gpus;
      graph.ranks[i] = task.ranks ?? 1;
      graph.groupOf[i] = i;
      graph.groupStart[i] = i;
      graph.groupNames[i] = task.id;
      graph.groupTypes[i] = task.type;
      for (const parent of task.parents) {
        from.push(index.get(parent)!);
        to.push(i);
      }
    });
    graph.groupStart[n] = n;
    return { ...graph, groups: buildDag(n, from, to) };
  }

  const taskCount = spec.stages.reduce((sum, stage) => sum + stage.durations.length, 0);
  const graph = allocate(taskCount, spec.stages.length);
  const index = new Map<string, number>();
  spec.stages.forEach((stage, g) => index.set(stage.name, g));
  const from: number[] = [];
  const to: number[] = [];
  let t = 0;
  spec.stages.forEach((stage, g) => {
    graph.groupStart[g] = t;
    graph.groupNames[g] = stage.name;
    graph.groupTypes[g] = stage.type;
    for (const duration of stage.durations) {
      graph.duration[t] = duration;
      graph.cores[t] = stage.cores;
      graph.gpus[t] = stage.gpus;
      graph.ranks[t] = stage.ranks ?? 1;
      graph.groupOf[t] = g;
      t++;
    }
    for (const parent of stage.after) {
      from.push(index.get(parent)!);
      to.push(g);
    }
  });
  graph.groupStart[spec.stages.length] = t;
  return { ...graph, groups: buildDag(spec.stages.length, from, to) };
}

function allocate(taskCount: number, groups: number): Omit<TaskGraph, 'groups'> {
  return {
    taskCount,
    duration: new Float64Array(taskCount),
    cores: new Float64Array(taskCount),
    gpus: new Float64Array(taskCount),
    ranks: new Int32Array(taskCount),
    groupOf: new Int32Array(taskCount),
    groupStart: new Int32Array(groups + 1),
    groupNames: new Array<string>(groups),
    groupTypes: new Array<string>(groups),
  };
}
