/**
 * One root workflow of a stampede database as a run, its sub-workflows included.
 *
 * - A task is a job (a node of the DAG DAGMan ran). Its execution is its last instance's, from the
 *   first EXECUTE to the last JOB_TERMINATED (or JOB_ABORTED): the time HTCondor gave it a slot,
 *   what pegasus-statistics calls the job's wall time "as seen from the submit side" (the
 *   instance's local_duration). Kickstart's own record of the program inside (invocation:
 *   start_time + remote_duration) is kept as `compute_start`/`compute_end` events.
 * - Events: the last instance's states in time order, SUBMIT as `submit`, the first EXECUTE as
 *   `start`, the last termination as `end`, PRE_/POST_SCRIPT_STARTED/TERMINATED as
 *   `pre_start`/`pre_end` and `post_start`/`post_end`, any other state under its own name in lower
 *   case (`job_held`, `job_success`); each event's state is Pegasus' own. Earlier instances
 *   (retries) are `attempt_start`/`attempt_end` with the instance's last state.
 * - State: the last state of the last instance (POST_SCRIPT_SUCCESS, POST_SCRIPT_FAILED, ...); a
 *   job DAGMan never submitted has none: `skipped` when its workflow ended in failure (DAGMan
 *   stops submitting after a failure), `pending` while it has not ended.
 * - Sub-workflows: the jobs of every workflow under the root are tasks of the same run, as
 *   pegasus-statistics counts a hierarchical workflow: uid `<sub-workflow job>/<job>`, pipeline the
 *   sub-workflow job. The sub-workflow job itself stays a task (type `dax` or `dag`, 0 cores: its
 *   DAGMan runs on the submit host, in no execution slot) with the DAG edges it has in its parent;
 *   its children's edges are among themselves.
 */
import { TaskEvents, type Outcome, type RunRecorder, type TaskRecord } from '../recorder.js';
import { isSubWorkflowJob, jobType } from './job-type.js';
import { NONE, type Stampede, type Workflow } from './stampede.js';
import { eventName, instanceOutcome, isExecute, isTermination } from './states.js';

export interface PegasusRunStats {
  tasks: number;
  unknownEdges: number;
  /** Jobs of a workflow that never terminated (cut short, or still running) without an outcome. */
  unfinished: number;
}

/** The root workflows, in wf_id order. */
export function rootWorkflows(stampede: Stampede): Workflow[] {
  return [...stampede.workflows.values()].filter((wf) => wf.parent === null || !stampede.workflows.has(wf.parent));
}

/** Writes the jobs of `root` and of every workflow below it. */
export function readPegasusRun(stampede: Stampede, root: Workflow, recorder: RunRecorder): PegasusRunStats {
  const tree = workflowTree(stampede, root);
  const prefix = subWorkflowPrefixes(stampede, tree);
  const stats: PegasusRunStats = { tasks: 0, unknownEdges: 0, unfinished: 0 };
  const indexOf = new Map<number, Map<string, number>>(); // wf -> job name -> task index
  const events = new TaskEvents();
  const task: TaskRecord = { uid: '', name: null, type: '', stage: null, pipeline: null, state: null, outcome: null, node: null, cores: NaN, gpus: NaN, start: NaN, end: NaN };

  const first = firstExecute(stampede, tree);
  if (first === first) recorder.startsFrom?.(first);
  for (let j = 0; j < stampede.jobId.length; j++) {
    const wf = stampede.jobWf[j];
    if (!tree.has(wf)) continue;
    const job = stampede.jobId[j];
    const name = stampede.jobName[j];
    const typeDesc = stampede.jobTypeDesc[j];
    const path = prefix.get(wf) ?? null;
    events.clear();
    const [from, to] = stampede.instances(job);
    let outcome: Outcome | null;
    task.state = null;
    task.node = null;
    task.start = NaN;
    task.end = NaN;
    if (to > from) {
      for (let i = from; i < to - 1; i++) addAttempt(stampede, stampede.instanceId[i], events);
      const last = to - 1;
      const instance = stampede.instanceId[last];
      const seen = addInstance(stampede, instance, events, task);
      const exit = stampede.instanceExit[last];
      outcome = instanceOutcome(seen, exit === NONE ? null : exit);
      const host = stampede.instanceHost[last];
      task.node = host === NONE ? null : (stampede.hosts.get(host) ?? null);
    } else {
      const workflow = stampede.workflows.get(wf)!;
      outcome = workflow.terminated === null ? 'pending' : workflow.terminated !== 0 ? 'skipped' : null;
    }
    if ((outcome === 'pending' || outcome === 'running') && stampede.workflows.get(wf)!.terminated === null) stats.unfinished++;
    const subWorkflow = isSubWorkflowJob(typeDesc);
    task.uid = path === null ? name : `${path}/${name}`;
    task.name = name;
    task.type = jobType(name, typeDesc, to > from ? stampede.transformationOf(stampede.instanceId[to - 1]) : null);
    task.pipeline = path;
    task.outcome = outcome;
    task.cores = subWorkflow ? 0 : NaN;
    task.gpus = subWorkflow ? 0 : NaN;
    const index = recorder.addTask(task, events);
    stats.tasks++;
    let names = indexOf.get(wf);
    if (!names) indexOf.set(wf, (names = new Map()));
    names.set(name, index);
  }

  for (const wf of tree) {
    const names = indexOf.get(wf) ?? new Map<string, number>();
    for (const [parent, child] of stampede.edges.get(wf) ?? []) {
      const p = names.get(parent);
      const c = names.get(child);
      if (p === undefined || c === undefined) stats.unknownEdges++;
      else if (p !== c) recorder.addEdge(p, c);
    }
  }
  return stats;
}

/**
 * The last instance's states as events, and its execution interval into `task`; returns the
 * states seen (for the outcome).
 */
function addInstance(stampede: Stampede, instance: number, events: TaskEvents, task: TaskRecord): Set<string> {
  const [from, to] = stampede.statesOf(instance);
  const seen = new Set<string>();
  let firstExecute = -1;
  let lastTermination = -1;
  for (let k = from; k < to; k++) {
    const state = stampede.stateName(k);
    if (isExecute(state) && firstExecute < 0) firstExecute = k;
    if (isTermination(state)) lastTermination = k;
  }
  for (let k = from; k < to; k++) {
    const state = stampede.stateName(k);
    seen.add(state);
    const name = k === firstExecute ? 'start' : k === lastTermination && firstExecute >= 0 ? 'end' : eventName(state);
    events.add(name, state, stampede.stateTime[k]);
    task.state = state;
  }
  if (firstExecute >= 0) {
    task.start = stampede.stateTime[firstExecute];
    if (lastTermination > firstExecute) task.end = stampede.stateTime[lastTermination];
  }
  const [first, last] = stampede.invocations(instance);
  for (let k = first; k < last; k++) {
    const start = stampede.invocationStart[k];
    events.add('compute_start', stampede.programName(k), start);
    events.add('compute_end', stampede.programName(k), start + stampede.invocationDuration[k]);
  }
  return seen;
}

/** An earlier instance (a retry followed): its execution as an attempt, with its last state. */
function addAttempt(stampede: Stampede, instance: number, events: TaskEvents): void {
  const [from, to] = stampede.statesOf(instance);
  if (to === from) return;
  let start = NaN;
  let end = NaN;
  for (let k = from; k < to; k++) {
    if (isExecute(stampede.stateName(k)) && start !== start) start = stampede.stateTime[k];
    if (isTermination(stampede.stateName(k))) end = stampede.stateTime[k];
  }
  const state = stampede.stateName(to - 1);
  events.add('attempt_start', state, start);
  events.add('attempt_end', state, end === end ? end : stampede.stateTime[to - 1]);
}

/** The run's first start (time zero): the earliest first EXECUTE of a job's last instance. */
function firstExecute(stampede: Stampede, tree: Set<number>): number {
  let first = Infinity;
  for (let j = 0; j < stampede.jobId.length; j++) {
    if (!tree.has(stampede.jobWf[j])) continue;
    const [from, to] = stampede.instances(stampede.jobId[j]);
    if (to === from) continue;
    const [s, e] = stampede.statesOf(stampede.instanceId[to - 1]);
    for (let k = s; k < e; k++) {
      if (isExecute(stampede.stateName(k))) {
        if (stampede.stateTime[k] < first) first = stampede.stateTime[k];
        break;
      }
    }
  }
  return first === Infinity ? NaN : first;
}

/** `root` and every workflow below it. */
function workflowTree(stampede: Stampede, root: Workflow): Set<number> {
  const tree = new Set<number>([root.id]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const wf of stampede.workflows.values()) {
      if (wf.parent !== null && tree.has(wf.parent) && !tree.has(wf.id)) {
        tree.add(wf.id);
        grew = true;
      }
    }
  }
  return tree;
}

/**
 * The uid prefix of each sub-workflow's jobs: the uid of the job that ran it
 * (`pegasus-plan_diamond_subworkflow`), `@<seq>` added when an earlier, retried instance ran it.
 */
function subWorkflowPrefixes(stampede: Stampede, tree: Set<number>): Map<number, string> {
  const ranBy = new Map<number, { job: number; name: string; wf: number; retried: number | null }>();
  for (let i = 0; i < stampede.instanceCount; i++) {
    const subwf = stampede.instanceSubwf[i];
    if (subwf === NONE || !tree.has(subwf)) continue;
    const job = stampede.instanceJob[i];
    const last = i + 1 >= stampede.instanceCount || stampede.instanceJob[i + 1] !== job;
    ranBy.set(subwf, { job, name: '', wf: -1, retried: last ? null : stampede.instanceSeq[i] });
  }
  const runners = new Map<number, { name: string; wf: number }[]>();
  for (const runner of ranBy.values()) {
    const list = runners.get(runner.job);
    if (list) list.push(runner);
    else runners.set(runner.job, [runner]);
  }
  for (let j = 0; j < stampede.jobId.length && runners.size > 0; j++) {
    for (const runner of runners.get(stampede.jobId[j]) ?? []) {
      runner.name = stampede.jobName[j];
      runner.wf = stampede.jobWf[j];
    }
  }
  const prefixes = new Map<number, string>();
  const prefixOf = (wf: number, depth: number): string | null => {
    if (prefixes.has(wf)) return prefixes.get(wf)!;
    const runner = ranBy.get(wf);
    const workflow = stampede.workflows.get(wf)!;
    if (depth > tree.size) return null; // a cycle of parents: give up on the prefix
    let prefix: string | null;
    if (runner && runner.wf >= 0) {
      const above = prefixOf(runner.wf, depth + 1);
      const own = runner.retried === null ? runner.name : `${runner.name}@${runner.retried}`;
      prefix = above === null ? own : `${above}/${own}`;
    } else {
      prefix = workflow.parent === null || !tree.has(workflow.parent) ? null : (workflow.label ?? workflow.uuid);
    }
    if (prefix !== null) prefixes.set(wf, prefix);
    return prefix;
  };
  for (const wf of tree) prefixOf(wf, 0);
  return prefixes;
}
