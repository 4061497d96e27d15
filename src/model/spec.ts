/**
 * The workflow spec: what the performance model needs to know about a workflow and the machine
 * it runs on. Written by hand in YAML or JSON (see docs/model.md), or inferred from a stored run.
 *
 * A spec is either stage-level (stages of identical parallel tasks with dependencies between
 * stages, as RADICAL-EnTK, Parsl apps or Nextflow processes describe them) or task-level (a DAG of
 * individual tasks, as WfCommons instances come). Both are simulated the same way: a stage is a
 * group of tasks released together; a task of a task-level spec is a group of one.
 */

/** Where tasks run. */
export type Platform =
  /** Nodes of equal size: a task must fit on one node (first fit by cores and GPUs). */
  | { kind: 'nodes'; nodes: number; coresPerNode: number; gpusPerNode: number }
  /** Cores and GPUs pooled, without nodes: a task fits when enough of both are free in total. */
  | { kind: 'pool'; cores: number; gpus: number }
  /** No limit: every task starts as soon as it is ready ("ample resources"). */
  | { kind: 'unbounded' };

export const UNBOUNDED: Platform = { kind: 'unbounded' };

/** A stage: `durations.length` identical-resource tasks that may run in parallel. */
export interface StageSpec {
  name: string;
  /** What kind of work its tasks do; calibration matches measured durations by type and resources. Defaults to the name. */
  type: string;
  /** One duration per task, seconds. */
  durations: number[];
  /** Cores and GPUs of each task (all its ranks together). */
  cores: number;
  gpus: number;
  /**
   * Ranks of each task (default 1): a task of several ranks spans nodes, each rank needing
   * cores / ranks and gpus / ranks on one node (an MPI task: ranks x cores per rank).
   */
  ranks?: number;
  /** Names of the stages that must all end before any task of this one starts. */
  after: string[];
  /** What `asyncscope run` executes for each task (src/runner/command.ts); the model ignores it. */
  command?: TaskCommand;
}

/** A command: an argument vector run as it is, or a string run by /bin/sh. */
export type TaskCommand = string | string[];

/** A task of a task-level DAG. */
export interface TaskSpec {
  id: string;
  type: string;
  durationS: number;
  cores: number;
  gpus: number;
  /** Ranks (default 1), as for stages. */
  ranks?: number;
  /** Ids of the tasks that must end before this one starts. */
  parents: string[];
  /** What `asyncscope run` executes for this task; the model ignores it. */
  command?: TaskCommand;
}

interface SpecCommon {
  name: string | null;
  platform: Platform;
  /** Delay before a task whose stage had to wait for another stage (launch latency), seconds. */
  overheadS: number;
  /**
   * How the middleware places ready tasks (default `backfill`): `backfill` starts any ready task
   * that fits, `fifo` starts them strictly in ready order (a task that does not fit holds back
   * every later one).
   */
  scheduler?: Scheduler;
  /**
   * Seconds each task holds its cores and GPUs after it ends (default 0): the middleware's
   * clean-up and the launch of the next task on them. Dependent tasks do not wait for it.
   */
  taskOverheadS?: number;
}

export type Scheduler = 'backfill' | 'fifo';
export const SCHEDULERS: readonly Scheduler[] = ['backfill', 'fifo'];

export interface StageLevelSpec extends SpecCommon {
  kind: 'stages';
  stages: StageSpec[];
}

export interface TaskLevelSpec extends SpecCommon {
  kind: 'tasks';
  tasks: TaskSpec[];
}

export type WorkflowSpec = StageLevelSpec | TaskLevelSpec;

/** Number of tasks a spec describes. */
export function specTaskCount(spec: WorkflowSpec): number {
  if (spec.kind === 'tasks') return spec.tasks.length;
  let count = 0;
  for (const stage of spec.stages) count += stage.durations.length;
  return count;
}

/** Total cores and GPUs of a platform (Infinity when unbounded). */
export function platformTotals(platform: Platform): { cores: number; gpus: number } {
  switch (platform.kind) {
    case 'nodes':
      return { cores: platform.nodes * platform.coresPerNode, gpus: platform.nodes * platform.gpusPerNode };
    case 'pool':
      return { cores: platform.cores, gpus: platform.gpus };
    case 'unbounded':
      return { cores: Infinity, gpus: Infinity };
  }
}

/** `16 nodes x (168 cores, 6 GPUs)`, `2688 cores, 96 GPUs (pooled)` or `unbounded`. */
export function describePlatform(platform: Platform): string {
  const n = (value: number) => Number(value.toFixed(4)).toString();
  switch (platform.kind) {
    case 'nodes':
      return `${platform.nodes} nodes x (${n(platform.coresPerNode)} cores, ${n(platform.gpusPerNode)} GPUs)`;
    case 'pool':
      return `${n(platform.cores)} cores, ${n(platform.gpus)} GPUs (pooled, no nodes)`;
    case 'unbounded':
      return 'unbounded (every task starts when ready)';
  }
}

/**
 * Why a task with these resources can never run on the platform, or null when it can. The words
 * follow the spec errors of the issue: `200 cores per task but nodes have 168`.
 */
export function misfit(platform: Platform, cores: number, gpus: number, perTask = ' per task', ranks = 1): string | null {
  const gpuWord = (g: number) => (g === 1 ? 'GPU' : 'GPUs');
  const fmt = (value: number) => Number(value.toFixed(4)).toString();
  switch (platform.kind) {
    case 'nodes': {
      // A task of several ranks needs each rank on one node, and room for all of them.
      const per = ranks > 1 ? ' per rank' : perTask;
      const rankCores = cores / ranks;
      const rankGpus = gpus / ranks;
      if (rankCores > platform.coresPerNode) return `${fmt(rankCores)} cores${per} but nodes have ${fmt(platform.coresPerNode)}`;
      if (rankGpus > platform.gpusPerNode) return `${fmt(rankGpus)} ${gpuWord(rankGpus)}${per} but nodes have ${fmt(platform.gpusPerNode)}`;
      if (ranks > 1 && rankSlots(platform, rankCores, rankGpus) < ranks) {
        return `${ranks} ranks of ${fmt(rankCores)} cores and ${fmt(rankGpus)} ${gpuWord(rankGpus)} but the ${platform.nodes} nodes hold ${rankSlots(platform, rankCores, rankGpus)}`;
      }
      return null;
    }
    case 'pool':
      if (cores > platform.cores) return `${fmt(cores)} cores${perTask} but the platform has ${fmt(platform.cores)}`;
      if (gpus > platform.gpus) return `${fmt(gpus)} ${gpuWord(gpus)}${perTask} but the platform has ${fmt(platform.gpus)}`;
      return null;
    case 'unbounded':
      return null;
  }
}

/** How many ranks of this size the empty platform holds at once. */
function rankSlots(platform: Extract<Platform, { kind: 'nodes' }>, cores: number, gpus: number): number {
  const fit = (have: number, need: number) => (need <= 0 ? Infinity : Math.floor(have / need + 1e-9));
  const perNode = Math.min(fit(platform.coresPerNode, cores), fit(platform.gpusPerNode, gpus));
  return perNode === Infinity ? Infinity : platform.nodes * perNode;
}

/**
 * Throws when a task of the spec cannot fit on its platform (after the platform was changed, for
 * example by --cores/--gpus/--nodes), with the messages of the spec checks:
 * `stages[0]: 16 cores per task but nodes have 6.25`.
 */
export function assertFits(spec: WorkflowSpec, onProblem: (message: string) => Error): void {
  if (spec.kind === 'stages') {
    spec.stages.forEach((stage, i) => {
      const problem = misfit(spec.platform, stage.cores, stage.gpus, ' per task', stage.ranks ?? 1);
      if (problem) throw onProblem(`stages[${i}] (${stage.name}): ${problem}`);
    });
    return;
  }
  spec.tasks.forEach((task, i) => {
    const problem = misfit(spec.platform, task.cores, task.gpus, '', task.ranks ?? 1);
    if (problem) throw onProblem(`tasks[${i}] (${task.id}): ${problem}`);
  });
}
