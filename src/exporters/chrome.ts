/**
 * A run as a Chrome Trace Event Format trace that opens in Perfetto UI (ui.perfetto.dev) and
 * chrome://tracing:
 * - one process per task type (`M` process_name, process_sort_index in order of first start);
 * - each task an `X` slice (ts and dur in microseconds from the run's time zero) on a lane
 *   (thread) of its type's process, lanes assigned so that no two slices of one lane overlap
 *   (lanes.ts), each lane named by `M` thread_name;
 * - slice args: uid, name, pipeline, and stage, state, outcome, node, cores, gpus when known, which
 *   asyncscope's Chrome importer reads back;
 * - a first process "resources in use" with a counter (`C` events named "in use") of CPU cores
 *   in use, GPUs in use and tasks running, a value at each instant where one changes
 *   (resource-steps.ts);
 * - `otherData.asyncscope`: the run's id, label, mode, workflow, epoch and capacity, so that a
 *   re-import restores them.
 * Times are rounded to whole nanoseconds and written as exact decimals of microseconds, so that a
 * reader converting them back to integer nanoseconds (as Perfetto does) sees no overlap that
 * the lanes did not have.
 */
import { assignLanes } from '../analysis/lanes.js';
import type { StoredRun } from '../run/stored-run.js';
import type { TaskTable } from '../run/task-table.js';
import { Batcher } from './batcher.js';
import { resourceSteps, type ResourceSteps } from './resource-steps.js';

/** pid of the counters' process; task types follow from FIRST_TYPE_PID. */
export const COUNTER_PID = 1;
export const COUNTER_NAME = 'in use';
const FIRST_TYPE_PID = 2;

export interface ChromePlan {
  /** Task indexes exported (those with a start and an end), by start time. */
  order: number[];
  /** Tasks without a start or an end (never started, incomplete, unscheduled): not on a timeline. */
  skipped: number;
  startNs: Float64Array;
  endNs: Float64Array;
  /** Task types in process order (pid = FIRST_TYPE_PID + index). */
  types: string[];
  pid: Uint32Array;
  /** Lane of each task, 0-based (tid = lane + 1). */
  lane: Uint32Array;
  lanesPerType: number[];
  steps: ResourceSteps;
  coresKnown: boolean;
  gpusKnown: boolean;
}

/** Where each task goes: pure, so that tests can check the layout without parsing JSON. */
export function planChrome(tasks: TaskTable): ChromePlan {
  const n = tasks.length;
  const startNs = new Float64Array(n);
  const endNs = new Float64Array(n);
  const order: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = tasks.start[i];
    const end = tasks.end[i];
    if (!Number.isFinite(start) || !Number.isFinite(end)) continue;
    startNs[i] = Math.round(start * 1e9);
    endNs[i] = Math.max(startNs[i], Math.round(end * 1e9));
    order.push(i);
  }
  // Longer first among equal starts: a zero-length slice must not share a lane with a slice that
  // starts at the same instant, which viewers would draw as nested in it.
  order.sort((a, b) => startNs[a] - startNs[b] || endNs[b] - endNs[a] || a - b);

  const typeIndex = new Map<string, number>();
  const types: string[] = [];
  const pid = new Uint32Array(n);
  const perType: number[][] = [];
  for (const i of order) {
    let t = typeIndex.get(tasks.type[i]);
    if (t === undefined) {
      t = types.length;
      typeIndex.set(tasks.type[i], t);
      types.push(tasks.type[i]);
      perType.push([]);
    }
    pid[i] = FIRST_TYPE_PID + t;
    perType[t].push(i);
  }
  const lane = new Uint32Array(n);
  const lanesPerType = perType.map((indexes) => {
    const assignment = assignLanes(startNs, endNs, indexes);
    for (const i of indexes) lane[i] = assignment.lane[i];
    return assignment.lanes;
  });

  let coresKnown = false;
  let gpusKnown = false;
  for (const i of order) {
    if (!Number.isNaN(tasks.cores[i])) coresKnown = true;
    if (!Number.isNaN(tasks.gpus[i])) gpusKnown = true;
  }
  return {
    order,
    skipped: n - order.length,
    startNs,
    endNs,
    types,
    pid,
    lane,
    lanesPerType,
    steps: resourceSteps(startNs, endNs, tasks.cores, tasks.gpus, order),
    coresKnown,
    gpusKnown,
  };
}

/** Integer nanoseconds as microseconds, exactly (JSON numbers print the shortest exact decimal). */
const micros = (ns: number): number => ns / 1000;

/** The trace as JSON text, in pieces (a run may have a million tasks). */
export function* chromeTrace(run: StoredRun, tasks: TaskTable, plan: ChromePlan): Generator<string> {
  const out = new Batcher();
  const otherData = {
    asyncscope: {
      format_version: 1,
      run_id: run.id,
      label: run.label,
      mode: run.mode,
      workflow: run.workflow,
      source_format: run.format,
      epoch_s: run.epoch,
      capacity: {
        nodes: run.capacity.nodes,
        cores_per_node: run.capacity.coresPerNode,
        gpus_per_node: run.capacity.gpusPerNode,
        cores: run.capacity.cores,
        gpus: run.capacity.gpus,
      },
      tasks: tasks.length,
      exported: plan.order.length,
    },
  };
  yield `{"displayTimeUnit":"ms","otherData":${JSON.stringify(otherData)},"traceEvents":[\n`;

  const events: object[] = [];
  const meta = (name: string, pid: number, tid: number | null, args: object) =>
    events.push(tid === null ? { name, ph: 'M', ts: 0, pid, args } : { name, ph: 'M', ts: 0, pid, tid, args });
  meta('process_name', COUNTER_PID, null, { name: 'resources in use' });
  meta('process_sort_index', COUNTER_PID, null, { sort_index: 0 });
  plan.types.forEach((type, t) => {
    const pid = FIRST_TYPE_PID + t;
    meta('process_name', pid, null, { name: type });
    meta('process_sort_index', pid, null, { sort_index: pid });
    for (let lane = 0; lane < plan.lanesPerType[t]; lane++) {
      meta('thread_name', pid, lane + 1, { name: `lane ${lane + 1}` });
      meta('thread_sort_index', pid, lane + 1, { sort_index: lane + 1 });
    }
  });
  let first = true;
  const emit = (event: object) => {
    out.add(first ? JSON.stringify(event) : `,\n${JSON.stringify(event)}`);
    first = false;
  };
  for (const event of events) emit(event);
  yield* out.drain();

  for (const i of plan.order) {
    // uid, name and pipeline are always written (a missing name or pipeline would be read back
    // as the slice's name or process); the other fields only when known.
    const args: Record<string, string | number | null> = { uid: tasks.uid[i], name: tasks.name[i], pipeline: tasks.pipeline[i] };
    if (tasks.stage[i] !== null) args.stage = tasks.stage[i];
    if (tasks.state[i] !== null) args.state = tasks.state[i];
    if (tasks.outcome[i] !== null) args.outcome = tasks.outcome[i];
    if (tasks.node[i] !== null) args.node = tasks.node[i];
    if (!Number.isNaN(tasks.cores[i])) args.cores = tasks.cores[i];
    if (!Number.isNaN(tasks.gpus[i])) args.gpus = tasks.gpus[i];
    emit({
      name: tasks.type[i],
      ph: 'X',
      ts: micros(plan.startNs[i]),
      dur: micros(plan.endNs[i] - plan.startNs[i]),
      pid: plan.pid[i],
      tid: plan.lane[i] + 1,
      args,
    });
    yield* out.drain();
  }

  // One counter event per instant where a value changes; Perfetto shows each arg as its own
  // track ("in use CPU cores", "in use GPUs", "in use tasks").
  const { steps } = plan;
  for (let k = 0; k < steps.time.length; k++) {
    const changed =
      k === 0 ||
      steps.tasks[k] !== steps.tasks[k - 1] ||
      (plan.coresKnown && steps.cores[k] !== steps.cores[k - 1]) ||
      (plan.gpusKnown && steps.gpus[k] !== steps.gpus[k - 1]);
    if (!changed) continue;
    const args: Record<string, number> = {};
    if (plan.coresKnown) args['CPU cores'] = steps.cores[k];
    if (plan.gpusKnown) args.GPUs = steps.gpus[k];
    args.tasks = steps.tasks[k];
    emit({ name: COUNTER_NAME, ph: 'C', ts: micros(steps.time[k]), pid: COUNTER_PID, args });
    yield* out.drain();
  }
  out.add('\n]}\n');
  yield* out.flush();
}
