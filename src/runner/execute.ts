/**
 * Executing a run plan for real, one process per task, by the rules the model simulates
 * (docs/model.md, "The simulator"), so that a measured run and its prediction differ only by what
 * the machine adds:
 *
 * - A stage (a task of a task-level spec) is released when all its parent stages have ended and,
 *   in a synchronous run, when every stage of the previous DAG level has ended (the barrier). Its
 *   tasks are then submitted: ready, waiting for slots.
 * - Whenever a task ends or tasks are submitted, the ready tasks are taken in order of submission,
 *   then spec order, and each is started if its cores and GPUs fit on a node now (first fit, the
 *   model's node pool); one that does not fit waits, and later ones may still start.
 * - A task that exits with a non-zero status FAILED. With `continue`, what does not depend on it
 *   runs on, and the stages that depend on it (and their dependants) are CANCELED without
 *   running (outcome `skipped`: asyncscope's word for a task a failure upstream kept from running).
 *   With `stop`, nothing more starts, the running tasks are stopped and CANCELED, and so
 *   is every task not started.
 *
 * The spec's `overhead_s` is not added: the machine's own launch latency is what a run measures.
 * `abort` (Ctrl-C) stops the running tasks as `stop` does; a second `abort` kills them at once.
 */
import type { Outcome } from '../run/outcome.js';
import { taskLaunch } from './command.js';
import type { RunPlan } from './plan.js';
import { startProcess, type ProcessExit, type TaskProcess } from './processes.js';
import { SlotPool, type Placement } from './slots.js';

export type ExecutionMode = 'sync' | 'async';
export type FailurePolicy = 'continue' | 'stop';
export type TaskState = 'DONE' | 'FAILED' | 'CANCELED';

/** What happened to one task; times in clock seconds, NaN when it did not happen. */
export interface TaskRecord {
  submit: number;
  start: number;
  end: number;
  state: TaskState;
  /**
   * The same in asyncscope's outcome vocabulary (run/outcome.ts): `done`, `failed`, `cancelled`
   * (stopped, or never started because the run stopped), or `skipped` (never started because a
   * task it depends on failed or was stopped).
   */
  outcome: Extract<Outcome, 'done' | 'failed' | 'cancelled' | 'skipped'>;
  /** Null when no process ran. */
  exitCode: number | null;
  /** The node and slots it held; null when it never started. */
  placement: Placement | null;
  /** Why it failed: the process's last words on standard error, or why it could not start. */
  message: string | null;
}

const OUTCOME_OF: Readonly<Record<TaskState, TaskRecord['outcome']>> = { DONE: 'done', FAILED: 'failed', CANCELED: 'cancelled' };

export interface ExecuteOptions {
  mode: ExecutionMode;
  onFailure: FailurePolicy;
  /** Seconds; epoch seconds by default. */
  clock?: () => number;
  /** Called whenever a task starts or ends. */
  onProgress?: (progress: { settled: number; running: number; total: number }) => void;
  /** How long a stopped task may take to end after SIGTERM before SIGKILL, ms. */
  graceMs?: number;
}

export interface ExecutionResult {
  records: TaskRecord[];
  /** Why the run was aborted (`SIGINT`), or null when it ran to its end. */
  aborted: string | null;
  /** Tasks that were running when the run was stopped (by abort or by a failure with `stop`). */
  stopped: number;
}

export interface Execution {
  readonly result: Promise<ExecutionResult>;
  abort(reason: string): void;
}

/**
 * Epoch seconds to the microsecond (as the trace writes them, so that the figures printed and the
 * trace agree), from the monotonic clock: a change of the system time does not distort a run.
 */
export function epochClock(): number {
  return Math.round((performance.timeOrigin + performance.now()) * 1000) / 1e6;
}

export function execute(plan: RunPlan, options: ExecuteOptions): Execution {
  const clock = options.clock ?? epochClock;
  const graceMs = options.graceMs ?? 2000;
  const { graph, tasks } = plan;
  const n = tasks.length;
  const dag = graph.groups;
  const groupTotal = dag.size;
  const sync = options.mode === 'sync';
  const level = plan.levels;

  const records: TaskRecord[] = tasks.map(() => ({ submit: NaN, start: NaN, end: NaN, state: 'CANCELED', outcome: 'cancelled', exitCode: null, placement: null, message: null }));
  const settledTask = new Uint8Array(n);
  const processes = new Map<number, TaskProcess>();
  const stoppedTasks = new Set<number>(); // running when the run was stopped: CANCELED, not FAILED
  const closing: Promise<void>[] = [];
  const slots = new SlotPool(plan.platform);

  // Gates of each group: parents still to end (+1 for the barrier before its level, in sync).
  const pending = new Int32Array(groupTotal);
  const remaining = new Int32Array(groupTotal);
  const doomed = new Uint8Array(groupTotal); // a parent failed or was canceled: it will not run
  const failed = new Uint8Array(groupTotal); // one of its own tasks failed or was canceled
  let levelCount = 0;
  for (let g = 0; g < groupTotal; g++) levelCount = Math.max(levelCount, level[g] + 1);
  const levelGroups: number[][] = Array.from({ length: levelCount }, () => []);
  const levelLeft = new Int32Array(levelCount);
  for (let g = 0; g < groupTotal; g++) {
    pending[g] = dag.parentStart[g + 1] - dag.parentStart[g] + (sync && level[g] > 0 ? 1 : 0);
    remaining[g] = graph.groupStart[g + 1] - graph.groupStart[g];
    levelGroups[level[g]].push(g);
    levelLeft[level[g]]++;
  }

  const ready: number[] = []; // task indexes by (submit time, index)
  let settled = 0;
  let running = 0;
  let stopping = false;
  let stopped = 0;
  let aborted: string | null = null;
  let scheduling = false;
  let scheduleAgain = false;
  let finished = false;
  let resolveResult!: (result: ExecutionResult) => void;
  let rejectResult!: (error: Error) => void;
  const result = new Promise<ExecutionResult>((resolve, reject) => {
    resolveResult = resolve;
    rejectResult = reject;
  });

  const progress = () => options.onProgress?.({ settled, running, total: n });

  const settle = (t: number, state: TaskState, outcome: TaskRecord['outcome'] = OUTCOME_OF[state]) => {
    if (settledTask[t]) return;
    settledTask[t] = 1;
    records[t].state = state;
    records[t].outcome = outcome;
    settled++;
  };

  const insertReady = (t: number) => {
    const at = records[t].submit;
    let lo = ready.length;
    // Submissions come in time order, so the place is almost always at the end.
    while (lo > 0) {
      const other = ready[lo - 1];
      const otherAt = records[other].submit;
      if (otherAt < at || (otherAt === at && other < t)) break;
      lo--;
    }
    ready.splice(lo, 0, t);
  };

  const release = (g: number, time: number) => {
    const first = graph.groupStart[g];
    const last = graph.groupStart[g + 1];
    if (doomed[g] || stopping) {
      for (let t = first; t < last; t++) settle(t, 'CANCELED', stopping ? 'cancelled' : 'skipped');
      remaining[g] = 0;
      failed[g] = 1;
      groupDone(g, time);
      return;
    }
    for (let t = first; t < last; t++) {
      records[t].submit = time;
      insertReady(t);
    }
  };

  const satisfy = (g: number, time: number) => {
    if (--pending[g] === 0) release(g, time);
  };

  const groupDone = (g: number, time: number) => {
    for (let k = dag.childStart[g]; k < dag.childStart[g + 1]; k++) {
      const child = dag.childList[k];
      if (failed[g]) doomed[child] = 1;
      satisfy(child, time);
    }
    if (sync) {
      const l = level[g];
      if (--levelLeft[l] === 0 && l + 1 < levelCount) for (const next of levelGroups[l + 1]) satisfy(next, time);
    }
  };

  const taskEnded = (t: number, exit: ProcessExit, killed: boolean) => {
    const record = records[t];
    record.end = exit.time;
    record.exitCode = exit.exitCode;
    if (exit.error !== null) record.message = exit.error;
    const state: TaskState = exit.exitCode === 0 && exit.error === null ? 'DONE' : killed ? 'CANCELED' : 'FAILED';
    settle(t, state);
    slots.release(record.placement!);
    running--;
    const g = graph.groupOf[t];
    if (state !== 'DONE') failed[g] = 1;
    if (state === 'FAILED' && options.onFailure === 'stop') stopAll(null);
    if (--remaining[g] === 0) groupDone(g, exit.time);
    schedule();
  };

  /**
   * Placed tasks wait here for their process, started one per turn of the event loop: Node's
   * spawn() blocks 5-35 ms (until the child has exec'd), and a round that starts 96 tasks in one
   * go would hold back the exits of others for seconds, which would then be timed late.
   */
  const launchQueue: number[] = [];
  let launching = false;

  const launch = (t: number, placement: Placement) => {
    records[t].placement = placement;
    running++;
    launchQueue.push(t);
  };

  const launchNext = () => {
    const t = launchQueue.shift();
    if (t === undefined) {
      launching = false;
      return;
    }
    spawnTask(t);
    if (launchQueue.length > 0) setImmediate(launchNext);
    else launching = false;
  };

  const startLaunches = () => {
    if (launching || launchQueue.length === 0) return;
    launching = true;
    launchNext(); // the first at once; the rest after the events that came meanwhile
  };

  const spawnTask = (t: number) => {
    const task = tasks[t];
    const record = records[t];
    const placement = record.placement!;
    record.start = clock();
    try {
      const proc = startProcess(taskLaunch(task, placement, String(placement.node)), clock, (exit) => {
        processes.delete(t);
        taskEnded(t, exit, stoppedTasks.has(t));
      });
      processes.set(t, proc);
      closing.push(
        proc.closed.then(() => {
          if (records[t].state === 'FAILED' && records[t].message === null) records[t].message = lastLine(proc.stderrTail());
        }),
      );
    } catch (error) {
      // spawn() itself refused (bad arguments, no more processes): the task failed to start
      taskEnded(t, { time: clock(), exitCode: 126, signal: null, error: (error as Error).message }, false);
    }
  };

  /** Starts what fits, in order; re-entrant calls (a task ending during the round) run it again. */
  const schedule = () => {
    if (scheduling) {
      scheduleAgain = true;
      return;
    }
    scheduling = true;
    try {
      do {
        scheduleAgain = false;
        if (stopping) break;
        const full = new Set<string>(); // resources that did not fit in this round: nothing alike will
        for (let i = 0; i < ready.length && !stopping; ) {
          const t = ready[i];
          const key = `${tasks[t].cores}/${tasks[t].gpus}`;
          const placement = full.has(key) ? null : slots.place(tasks[t].cores, tasks[t].gpus);
          if (placement === null) {
            full.add(key);
            i++;
            continue;
          }
          ready.splice(i, 1);
          launch(t, placement);
        }
      } while (scheduleAgain);
    } finally {
      scheduling = false;
    }
    startLaunches();
    progress();
    checkFinished();
  };

  /** Stops the run: nothing more starts; running tasks get SIGTERM (SIGKILL after the grace). */
  const stopAll = (reason: string | null) => {
    if (reason !== null) aborted ??= reason;
    if (stopping) return;
    stopping = true;
    for (const t of ready) settle(t, 'CANCELED');
    ready.length = 0;
    for (const t of launchQueue) {
      // placed, not started yet: it never held its slots
      slots.release(records[t].placement!);
      records[t].placement = null;
      running--;
      settle(t, 'CANCELED');
    }
    launchQueue.length = 0;
    for (let t = 0; t < n; t++) if (!settledTask[t] && !processes.has(t)) settle(t, 'CANCELED');
    stopped = processes.size;
    for (const [t, proc] of processes) {
      stoppedTasks.add(t);
      proc.stop(graceMs);
    }
    progress();
    checkFinished();
  };

  const checkFinished = () => {
    if (finished) return;
    if (settled < n) {
      if (running === 0 && !stopping && !scheduling && ready.length > 0 && launchQueue.length === 0) {
        finished = true;
        rejectResult(new Error(`the runner cannot place task ${tasks[ready[0]].id} (${tasks[ready[0]].cores} cores, ${tasks[ready[0]].gpus} GPUs) on an idle platform`));
      }
      return;
    }
    finished = true;
    void Promise.all(closing).then(() => resolveResult({ records, aborted, stopped }));
  };

  // Sources: submitted at the start.
  const begin = clock();
  for (let g = 0; g < groupTotal; g++) if (pending[g] === 0) release(g, begin);
  schedule();

  return {
    result,
    abort(reason) {
      if (stopping && aborted !== null) {
        for (const proc of processes.values()) proc.kill(); // asked twice: no more grace
        return;
      }
      stopAll(reason);
    },
  };
}

/** The last non-empty line of a task's standard error, for a one-line message. */
function lastLine(text: string): string | null {
  const lines = text.split('\n').map((line) => line.trim()).filter((line) => line !== '');
  return lines.length > 0 ? lines[lines.length - 1] : null;
}
