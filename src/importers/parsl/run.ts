/**
 * One Parsl workflow run (a `run_id`) as tasks: one per row of `task`, of the type of its app
 * (`task_func_name`).
 *
 * - Execution: the task's last try, from `running` to `returned` (the result back in Parsl). A
 *   task that failed for good keeps its last try too (it used a worker); earlier tries are
 *   `attempt_start`/`attempt_end` events with their own state (`fail_retryable`; Parsl 1.0:
 *   `pending`, the state it went back to).
 * - Events: `submit` when the app was called (task_time_invoked; Parsl 1.0: task_time_submitted),
 *   `eligible` when the last try was launched (its dependencies were done and it went to the
 *   executor's queue), `start`, `end`; so `durations --from eligible --to start` is the queue wait
 *   and `--from submit --to eligible` the wait for dependencies. A task whose dependency failed
 *   (`dep_fail`) or whose result came from the memo table (`memo_done`) never ran: no interval, an
 *   event of that name instead.
 * - State: Parsl's final state (exec_done, failed, dep_fail, memo_done; Parsl 1.0: done), or, for a
 *   task without one, where it was: running, launched, pending.
 * - Dependencies: `task_depends`, the ids of the tasks whose results it took.
 */
import { TraceError } from '../../errors.js';
import type { ForeignDatabase } from '../../store/foreign-sqlite.js';
import { parseDateTime } from '../common/date-time.js';
import type { Outcome } from '../../run/outcome.js';
import { TaskEvents, type RunRecorder, type TaskRecord } from '../common/recorder.js';
import { KeyedCursor } from '../common/keyed-cursor.js';
import { EdgeTable } from '../../run/edge-table.js';
import { findCycle } from '../../run/edge-cycle.js';
import type { ParslSchema } from './schema.js';

const FINAL_OUTCOME: Record<string, Outcome> = {
  exec_done: 'done',
  done: 'done', // Parsl <= 1.0
  memo_done: 'cached',
  failed: 'failed',
  dep_fail: 'skipped',
};

/**
 * The states read from `status` (newer schema): how a try ended, except the common exec_done. A
 * try row with its running and returned times and no task_fail_history is a try that returned a
 * value, which Parsl records as exec_done from the same message: reading a million exec_done rows
 * of a table five times larger would cost more than reading the tasks themselves.
 */
const EXCEPTIONAL_STATES = ['memo_done', 'failed', 'dep_fail', 'fail_retryable'];

export interface ParslRunStats {
  tasks: number;
  /** Tasks that started and have no end although the workflow run completed. */
  neverReturned: number;
  /** Rows of try/status naming tasks the task table does not have. */
  strayRows: number;
  /** Dependencies on task ids that are not in the run. */
  unknownDependencies: number;
  /** Tasks whose last try returned before it ran (clocks of two hosts, or a damaged row), and the first of them. */
  endsBeforeStart: number;
  firstEndingBeforeStart: string;
}

interface Try {
  id: number;
  host: string | null;
  launched: number;
  running: number;
  returned: number;
  state: string | null;
}

/** Reads run `runId` into the recorder. `coresPerTask` gives a task's cores from its host. */
export function readParslRun(
  db: ForeignDatabase,
  schema: ParslSchema,
  runId: string,
  completed: boolean,
  recorder: RunRecorder,
  coresPerTask: Map<string, number>,
): ParslRunStats {
  const reader = new RunReader(db, runId, recorder, coresPerTask);
  if (schema === 'newer') reader.readNewer();
  else reader.readOlder();
  return reader.finish(completed);
}

class RunReader {
  private readonly events = new TaskEvents();
  private readonly task: TaskRecord = {
    uid: '', name: null, type: '', stage: null, pipeline: null, state: null, outcome: null, node: null, cores: NaN, gpus: NaN, start: NaN, end: NaN,
  };
  /** Task id -> its position in the run (the order tasks were written), and back. */
  private readonly positionOf = new Map<number, number>();
  private readonly taskIds: number[] = [];
  /** The recorder's index of the task at each position. */
  private readonly indexes: number[] = [];
  private readonly dependencies: { child: number; parents: string }[] = [];
  private readonly stats: ParslRunStats = { tasks: 0, neverReturned: 0, strayRows: 0, unknownDependencies: 0, endsBeforeStart: 0, firstEndingBeforeStart: '' };

  constructor(
    private readonly db: ForeignDatabase,
    private readonly runId: string,
    private readonly recorder: RunRecorder,
    private readonly coresPerTask: Map<string, number>,
  ) {}

  readNewer(): void {
    const where = { run_id: this.runId };
    this.startsFrom('try', 'task_try_time_running');
    // In pages where the table allows (one JSON string per 512 rows instead of an array per row).
    const tasks = this.db.inKeyOrder('task', 'task_id', ['task_depends', 'task_func_name', 'task_time_invoked'], { where });
    const tries = new KeyedCursor(
      this.db.rows('try', ['task_id', 'try_id', 'hostname', 'task_try_time_launched', 'task_try_time_running', 'task_try_time_returned', 'task_fail_history'], {
        where,
        orderBy: ['task_id', 'try_id'],
      }),
    );
    // Ordered by task only, as the primary key (task_id, run_id, name, timestamp) gives them
    // without a sort; the latest state of each try is found here.
    const states = new KeyedCursor(
      this.db.rows('status', ['task_id', 'try_id', 'task_status_name', 'timestamp'], {
        where: { run_id: this.runId, task_status_name: EXCEPTIONAL_STATES },
        orderBy: ['task_id'],
      }),
    );
    for (const row of tasks) {
      const taskId = this.taskId(row[0], 'task');
      const place = `table task, task ${taskId}`;
      let final: { state: string; time: number } | null = null;
      const stateOfTry = new Map<number, { state: string; time: number }>();
      for (const [, tryId, name, timestamp] of states.take(taskId)) {
        if (typeof name !== 'string') continue;
        const time = this.time(timestamp, `table status, task ${taskId}`, 'timestamp');
        if (typeof tryId === 'number') {
          const known = stateOfTry.get(tryId);
          if (!known || time >= known.time) stateOfTry.set(tryId, { state: name, time });
        }
        if (name in FINAL_OUTCOME && (!final || time >= final.time)) final = { state: name, time };
      }
      let cleanLast = false;
      const attempts: Try[] = tries.take(taskId).map(([, tryId, host, launched, running, returned, failure]) => {
        const at = `table try, task ${taskId} try ${String(tryId)}`;
        cleanLast = failure === null || failure === undefined || failure === '';
        return {
          id: typeof tryId === 'number' ? tryId : -1,
          host: typeof host === 'string' && host !== '' ? host : null,
          launched: this.time(launched, at, 'task_try_time_launched'),
          running: this.time(running, at, 'task_try_time_running'),
          returned: this.time(returned, at, 'task_try_time_returned'),
          state: typeof tryId === 'number' ? (stateOfTry.get(tryId)?.state ?? null) : null,
        };
      });
      // A try that was never launched (the row Parsl writes for a dep_fail task) did not run.
      const ran = attempts.filter((t) => t.launched === t.launched || t.running === t.running);
      const last = ran[ran.length - 1];
      if (!final && last && last.running === last.running && last.returned === last.returned && cleanLast) {
        final = { state: 'exec_done', time: last.returned };
        last.state = 'exec_done';
      }
      this.emit(row, taskId, this.time(row[3], place, 'task_time_invoked'), ran, final);
    }
    tries.finish();
    states.finish();
    this.stats.strayRows += tries.skipped + states.skipped;
  }

  readOlder(): void {
    const where = { run_id: this.runId };
    this.startsFrom('task', 'task_time_running');
    const tasks = this.db.inKeyOrder('task', 'task_id', ['task_depends', 'task_func_name', 'task_time_submitted', 'task_time_running', 'task_time_returned', 'hostname'], { where });
    const states = new KeyedCursor(this.db.rows('status', ['task_id', 'task_status_name', 'timestamp'], { where, orderBy: ['task_id', 'timestamp'] }));
    for (const row of tasks) {
      const taskId = this.taskId(row[0], 'task');
      const place = `table task, task ${taskId}`;
      const host = typeof row[6] === 'string' && row[6] !== '' ? row[6] : null;
      // Parsl 1.0 folds the last try into the task row; the earlier ones show only in `status`:
      // launched -> running -> pending (failed, to be retried) -> launched -> ...
      const attempts: Try[] = [];
      let current: Try | null = null;
      let final: { state: string; time: number } | null = null;
      for (const [, name, timestamp] of states.take(taskId)) {
        const time = this.time(timestamp, `table status, task ${taskId}`, 'timestamp');
        if (name === 'launched') {
          if (current) attempts.push(current);
          current = { id: attempts.length, host, launched: time, running: NaN, returned: NaN, state: null };
        } else if (name === 'running') {
          current ??= { id: attempts.length, host, launched: NaN, running: NaN, returned: NaN, state: null };
          current.running = time;
        } else if (name === 'pending' && current) {
          current.returned = time;
          current.state = 'pending';
          attempts.push(current);
          current = null;
        } else if (typeof name === 'string' && name in FINAL_OUTCOME) {
          final ??= { state: name, time };
        }
      }
      const running = this.time(row[4], place, 'task_time_running');
      const returned = this.time(row[5], place, 'task_time_returned');
      if (current || running === running) {
        current ??= { id: attempts.length, host, launched: NaN, running: NaN, returned: NaN, state: null };
        if (running === running) current.running = running;
        current.returned = returned;
        current.state = final?.state ?? null;
        attempts.push(current);
      }
      this.emit(row, taskId, this.time(row[3], place, 'task_time_submitted'), attempts, final);
    }
    states.finish();
    this.stats.strayRows += states.skipped;
  }

  finish(completed: boolean): ParslRunStats {
    const edges = new EdgeTable();
    const seen = new Set<number>();
    for (const { child, parents } of this.dependencies) {
      // A future passed twice (`f(x, x)`, or an app's future and its output's DataFuture) is
      // named twice: one edge.
      seen.clear();
      for (const text of parents.split(',')) {
        if (text.trim() === '') continue;
        const id = Number(text.trim());
        const parent = Number.isInteger(id) ? this.positionOf.get(id) : undefined;
        if (parent === undefined) this.stats.unknownDependencies++;
        else if (parent !== child && !seen.has(parent)) {
          seen.add(parent);
          edges.push(parent, child);
        }
      }
    }
    // Parsl cannot make one (a future exists before the apps that take it), but a hand-made or
    // damaged database can, and a cyclic DAG has no level or critical path for the analyses.
    const cycle = findCycle(this.taskIds.length, edges);
    if (cycle) {
      throw new TraceError(this.db.display, `table task, run ${this.runId}: the dependencies (task_depends) form a cycle: tasks ${cycle.map((p) => this.taskIds[p]).join(' -> ')}`);
    }
    for (let e = 0; e < edges.length; e++) this.recorder.addEdge(this.indexes[edges.parent[e]], this.indexes[edges.child[e]]);
    if (!completed) this.stats.neverReturned = 0;
    return this.stats;
  }

  /** Writes one task: `tries` are those that ran (launched or running), in order. */
  private emit(row: unknown[], taskId: number, submitted: number, tries: Try[], final: { state: string; time: number } | null): void {
    const events = this.events;
    const task = this.task;
    events.clear();
    events.add('submit', null, submitted);
    const neverRan = final !== null && (final.state === 'dep_fail' || final.state === 'memo_done');
    const last = neverRan || tries.length === 0 ? null : tries[tries.length - 1];
    for (const attempt of tries) {
      if (attempt === last) continue;
      events.add('attempt_start', attempt.state ?? 'fail_retryable', attempt.running === attempt.running ? attempt.running : attempt.launched);
      events.add('attempt_end', attempt.state ?? 'fail_retryable', attempt.returned);
    }
    task.start = NaN;
    task.end = NaN;
    task.node = null;
    if (last) {
      events.add('eligible', null, last.launched);
      events.add('start', null, last.running);
      if (last.running === last.running) {
        task.start = last.running;
        task.end = last.returned;
        events.add('end', null, last.returned);
      }
      task.node = last.host;
    }
    if (neverRan) events.add(final!.state, final!.state, final!.time);

    task.uid = String(taskId);
    task.type = typeof row[2] === 'string' && row[2] !== '' ? row[2] : 'app';
    task.state = final?.state ?? (task.start === task.start ? 'running' : last && last.launched === last.launched ? 'launched' : 'pending');
    task.outcome = final ? FINAL_OUTCOME[final.state] : task.start === task.start ? 'running' : 'pending';
    task.cores = task.node !== null ? (this.coresPerTask.get(task.node) ?? NaN) : NaN;
    if (task.start === task.start && task.end !== task.end) this.stats.neverReturned++;
    if (task.end < task.start && this.stats.endsBeforeStart++ === 0) this.stats.firstEndingBeforeStart = `task ${taskId}, ${+(task.start - task.end).toFixed(6)} s`;

    if (this.positionOf.has(taskId)) throw new TraceError(this.db.display, `table task: task ${taskId} of run ${this.runId} appears twice`);
    const position = this.taskIds.length;
    this.indexes.push(this.recorder.addTask(task, events));
    this.positionOf.set(taskId, position);
    this.taskIds.push(taskId);
    this.stats.tasks++;
    if (typeof row[1] === 'string' && row[1].trim() !== '') this.dependencies.push({ child: position, parents: row[1] });
  }

  /**
   * The run's first start, before the first task: time zero for the store's writer. (A task's
   * start is its last try's; an earlier try that ran first makes the writer shift times at the end.)
   */
  private startsFrom(table: string, column: string): void {
    const first = this.db.minimum(table, column, { where: { run_id: this.runId } });
    const time = typeof first === 'string' ? parseDateTime(first) : NaN;
    if (time === time) this.recorder.startsFrom?.(time);
  }

  private taskId(value: unknown, table: string): number {
    if (typeof value === 'number' && Number.isInteger(value)) return value;
    throw new TraceError(this.db.display, `table ${table}, run ${this.runId}: task_id ${JSON.stringify(value)} is not an integer`);
  }

  /** A DATETIME column: NaN when NULL, an error naming table, row and column when not a time. */
  private time(value: unknown, place: string, column: string): number {
    if (value === null || value === undefined || value === '') return NaN;
    const seconds = typeof value === 'string' ? parseDateTime(value) : typeof value === 'number' ? value : NaN;
    if (seconds !== seconds) throw new TraceError(this.db.display, `${place}: ${column} ${JSON.stringify(value)} is not a time`);
    return seconds;
  }
}
