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
import type { Outcome } from '../../run/outcome.js';
import { EdgeTable } from '../../run/edge-table.js';
import { findCycle } from '../../run/edge-cycle.js';
import { TaskEvents, type RunRecorder, type TaskRecord } from '../common/recorder.js';
import { isSubWorkflowJob, jobType } from './job-type.js';
import { NONE, type InstanceStates, type Invocations, type Stampede, type Workflow } from './stampede.js';
import { eventName, instanceOutcome, isExecute, isTermination, SeenStates } from './states.js';

export interface PegasusRunStats {
  tasks: number;
  unknownEdges: number;
  /** Jobs of a workflow that never terminated (cut short, or still running) without an outcome. */
  unfinished: number;
  /** Jobs whose last termination comes before their first EXECUTE (clocks apart, or a damaged row): no end; the first of them. */
  terminatedBeforeExecute: number;
  firstTerminatedBeforeExecute: string;
  /** Task uids of a cycle of job_edge (`[a, b, a]`), whose edges were then not written; null when none. */
  cycle: string[] | null;
}

/** The root workflows, in wf_id order. */
export function rootWorkflows(stampede: Stampede): Workflow[] {
  return [...stampede.workflows.values()].filter((wf) => wf.parent === null || !stampede.workflows.has(wf.parent));
}

/** An earlier instance of a job, kept until its last instance comes. */
interface Attempt {
  start: number;
  end: number;
  state: string;
}

/**
 * Writes the jobs of `root` and of every workflow below it, each when its last instance comes
 * (stampede.ts), then the jobs never submitted, then the DAG. `firstStart` (the earliest EXECUTE)
 * is the run's time zero for the writer.
 */
export function readPegasusRun(stampede: Stampede, root: Workflow, recorder: RunRecorder, firstStart: number): PegasusRunStats {
  const tree = workflowTree(stampede, root);
  const prefix = subWorkflowPrefixes(stampede, tree);
  const stats: PegasusRunStats = { tasks: 0, unknownEdges: 0, unfinished: 0, terminatedBeforeExecute: 0, firstTerminatedBeforeExecute: '', cycle: null };
  const keepNames = stampede.hasEdges();
  const indexOf = new Map<number, Map<string, number>>(); // wf -> job name -> position of its task in the run
  const indexes: number[] = []; // position -> the recorder's task index
  const uids: string[] = []; // position -> uid (to name a cycle)
  const attempts = new Map<number, Attempt[]>(); // job position -> earlier instances
  const events = new TaskEvents();
  const seenStates = new SeenStates(); // reused from job to job
  const task: TaskRecord = { uid: '', name: null, type: '', stage: null, pipeline: null, state: null, outcome: null, node: null, cores: NaN, gpus: NaN, start: NaN, end: NaN };

  const emit = (j: number, outcome: Outcome | null, program: string | null): void => {
    const wf = stampede.jobWf[j];
    const name = stampede.jobName[j];
    const typeDesc = stampede.jobTypeDesc[j];
    const path = prefix.get(wf) ?? null;
    if ((outcome === 'pending' || outcome === 'running') && stampede.workflows.get(wf)!.terminated === null) stats.unfinished++;
    const subWorkflow = isSubWorkflowJob(typeDesc);
    task.uid = path === null ? name : `${path}/${name}`;
    task.name = name;
    task.type = jobType(name, typeDesc, program);
    task.pipeline = path;
    task.outcome = outcome;
    task.cores = subWorkflow ? 0 : NaN;
    task.gpus = subWorkflow ? 0 : NaN;
    const index = recorder.addTask(task, events);
    stats.tasks++;
    if (keepNames) {
      let names = indexOf.get(wf);
      if (!names) indexOf.set(wf, (names = new Map()));
      names.set(name, indexes.length);
      indexes.push(index);
      uids.push(task.uid);
    }
  };

  if (firstStart === firstStart) recorder.startsFrom?.(firstStart);
  stampede.forEachInstance((row, states, invocations) => {
    const j = stampede.instanceJob[row];
    if (j < 0 || !tree.has(stampede.jobWf[j])) return;
    if (stampede.lastInstance[j] !== row) {
      if (states.length > 0) {
        const list = attempts.get(j);
        const attempt = attemptOf(states);
        if (list) list.push(attempt);
        else attempts.set(j, [attempt]);
      }
      return;
    }
    events.clear();
    const earlier = attempts.get(j);
    if (earlier !== undefined) {
      for (const attempt of earlier) {
        events.add('attempt_start', attempt.state, attempt.start);
        events.add('attempt_end', attempt.state, attempt.end);
      }
      attempts.delete(j);
    }
    const seen = addInstance(states, invocations, events, task, seenStates);
    if (task.end !== task.end && task.start === task.start && terminatedBefore(states) && stats.terminatedBeforeExecute++ === 0) {
      stats.firstTerminatedBeforeExecute = stampede.jobName[j];
    }
    const exit = stampede.instanceExit[row];
    const host = stampede.instanceHost[row];
    task.node = host === NONE ? null : (stampede.hosts.get(host) ?? null);
    emit(j, instanceOutcome(seen, exit === NONE ? null : exit), invocations.program());
  });

  // Jobs DAGMan never submitted.
  for (let j = 0; j < stampede.jobId.length; j++) {
    if (stampede.lastInstance[j] >= 0 || !tree.has(stampede.jobWf[j])) continue;
    const workflow = stampede.workflows.get(stampede.jobWf[j])!;
    events.clear();
    task.state = null;
    task.node = null;
    task.start = NaN;
    task.end = NaN;
    emit(j, workflow.terminated === null ? 'pending' : workflow.terminated !== 0 ? 'skipped' : null, null);
  }

  if (keepNames) {
    const edges = new EdgeTable();
    const seen = new Set<number>(); // p * tasks + c: job_edge's key keeps rows apart, a copy of the table may not
    for (const [wf, parent, child] of stampede.edges()) {
      if (!tree.has(wf)) continue;
      const names = indexOf.get(wf);
      const p = names?.get(parent);
      const c = names?.get(child);
      if (p === undefined || c === undefined) stats.unknownEdges++;
      else if (p !== c && !seen.has(p * indexes.length + c)) {
        seen.add(p * indexes.length + c);
        edges.push(p, c);
      }
    }
    // DAGMan refuses a cyclic DAG, so only a hand-made or damaged database has one; a cyclic
    // DAG has no level or critical path for the analyses.
    const cycle = findCycle(indexes.length, edges);
    if (cycle) stats.cycle = cycle.map((p) => uids[p]);
    else for (let e = 0; e < edges.length; e++) recorder.addEdge(indexes[edges.parent[e]], indexes[edges.child[e]]);
  }
  return stats;
}

/**
 * The last instance's states as events, and its execution interval and state into `task`;
 * returns the states seen (for the outcome), in `seen` (cleared first).
 */
function addInstance(states: InstanceStates, invocations: Invocations, events: TaskEvents, task: TaskRecord, seen: SeenStates): SeenStates {
  seen.clear();
  let firstExecute = -1;
  let lastTermination = -1;
  for (let k = 0; k < states.length; k++) {
    if (isExecute(states.names[k]) && firstExecute < 0) firstExecute = k;
    if (isTermination(states.names[k])) lastTermination = k;
  }
  task.state = null;
  task.start = NaN;
  task.end = NaN;
  for (let k = 0; k < states.length; k++) {
    const state = states.names[k];
    seen.add(state);
    const name = k === firstExecute ? 'start' : k === lastTermination && firstExecute >= 0 ? 'end' : eventName(state);
    events.add(name, state, states.times[k]);
    task.state = state;
  }
  if (firstExecute >= 0) {
    task.start = states.times[firstExecute];
    if (lastTermination > firstExecute) task.end = states.times[lastTermination];
  }
  for (let k = 0; k < invocations.length; k++) {
    const start = invocations.starts[k];
    events.add('compute_start', invocations.names[k], start);
    events.add('compute_end', invocations.names[k], start + invocations.durations[k]);
  }
  return seen;
}

/** Whether the instance terminated before it executed (in time order): a termination, and none after the first EXECUTE. */
function terminatedBefore(states: InstanceStates): boolean {
  let terminated = false;
  for (let k = 0; k < states.length; k++) {
    if (isExecute(states.names[k])) return terminated;
    if (isTermination(states.names[k])) terminated = true;
  }
  return false;
}

/** An earlier instance (a retry followed): its execution, with its last state. */
function attemptOf(states: InstanceStates): Attempt {
  let start = NaN;
  let end = NaN;
  for (let k = 0; k < states.length; k++) {
    if (isExecute(states.names[k]) && start !== start) start = states.times[k];
    if (isTermination(states.names[k])) end = states.times[k];
  }
  const last = states.length - 1;
  return { start, end: end === end ? end : states.times[last], state: states.names[last] };
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
  const ranBy = new Map<number, { name: string; wf: number; retried: number | null }>();
  for (let i = 0; i < stampede.instanceCount; i++) {
    const subwf = stampede.instanceSubwf[i];
    const j = stampede.instanceJob[i];
    if (subwf === NONE || !tree.has(subwf) || j < 0) continue;
    const last = stampede.lastInstance[j] === i;
    ranBy.set(subwf, { name: stampede.jobName[j], wf: stampede.jobWf[j], retried: last ? null : stampede.instanceSeq[i] });
  }
  const prefixes = new Map<number, string>();
  const prefixOf = (wf: number, depth: number): string | null => {
    if (prefixes.has(wf)) return prefixes.get(wf)!;
    const runner = ranBy.get(wf);
    const workflow = stampede.workflows.get(wf)!;
    if (depth > tree.size) return null; // a cycle of parents: give up on the prefix
    let prefix: string | null;
    if (runner) {
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
