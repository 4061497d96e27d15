/**
 * From the rows of a Nextflow trace to tasks, their outcomes and their events.
 *
 * - One task per row, except that the attempts of a retried task (`attempt` 1, 2, ... of one
 *   task name) are one task: the last attempt is the task, the earlier ones become
 *   `attempt_start`/`attempt_end` events carrying their own status. Without an `attempt` column
 *   rows cannot be told to be attempts, and each is a task.
 * - Execution interval: `start` to `complete` when the trace has those columns. Nextflow's
 *   default fields have neither; then end = `submit` + `duration` (duration is submit to
 *   completion) and start = end - `realtime` (the process's own run time), no earlier than the
 *   submission; the caller says so in a warning. Nextflow rounds what it prints (`4m 19s`), so
 *   derived times are as precise as the printed durations.
 * - Status: COMPLETED done, FAILED failed, ABORTED cancelled, RUNNING running, SUBMITTED and
 *   NEW pending, CACHED cached. A cached task did not run in this run: its times (those of the run
 *   that made its result) are kept as `cached_submit`/`cached_start`/`cached_end` events only.
 * - Type: `process` (`CHIPSEQ:BAM_CLEAN:BAM_FILTER`), else the name without its ` (tag)`.
 * - Events: `submit`, `start`, `end` (the last two the task's interval).
 */
import { EventTable, TaskTable } from '../../store/records.js';
import type { Outcome } from '../common/outcome.js';
import type { TraceRows } from './rows.js';

export const OUTCOME_OF_STATUS: Readonly<Record<string, Outcome>> = {
  COMPLETED: 'done',
  FAILED: 'failed',
  ABORTED: 'cancelled',
  CACHED: 'cached',
  RUNNING: 'running',
  SUBMITTED: 'pending',
  NEW: 'pending',
};

export interface NextflowTasks {
  tasks: TaskTable;
  /** One per task. */
  outcome: (Outcome | null)[];
  /** Trace line of each task's (last) row, for messages. */
  line: number[];
  /** Absolute times (epoch seconds), grouped by task in time order. */
  events: EventTable;
  /** Rows whose interval was derived from submit, duration and realtime. */
  derived: number;
  /** Statuses asyncscope does not know, with a count each. */
  unknownStatuses: Map<string, number>;
  /** Rows that were earlier attempts of a task. */
  attempts: number;
}

export interface Columns {
  start: boolean;
  complete: boolean;
  status: boolean;
  attempt: boolean;
}

/** `fastqc (sample1)` -> `fastqc`: the process of a task name with its tag. */
export function processOfName(name: string): string {
  const open = name.indexOf(' (');
  return open > 0 && name.endsWith(')') ? name.slice(0, open) : name;
}

export function buildTasks(rows: TraceRows, columns: Columns): NextflowTasks {
  const chains = columns.attempt ? attemptChains(rows) : null;
  const result: NextflowTasks = {
    tasks: new TaskTable(),
    outcome: [],
    line: [],
    events: new EventTable(),
    derived: 0,
    unknownStatuses: new Map(),
    attempts: 0,
  };
  const interval = { start: NaN, end: NaN, derived: false };
  for (let row = 0; row < rows.length; row++) {
    if (chains !== null && chains.next[row] !== -1) continue; // an earlier attempt: added with its last one
    const status = rows.status[row];
    let outcome: Outcome | null = null;
    if (status !== null) {
      outcome = OUTCOME_OF_STATUS[status] ?? null;
      if (outcome === null) result.unknownStatuses.set(status, (result.unknownStatuses.get(status) ?? 0) + 1);
    }
    intervalOf(rows, row, columns, interval);
    if (interval.derived) result.derived++;
    const name = rows.name[row] ?? (rows.process[row] === null ? null : rows.tag[row] === null ? rows.process[row] : `${rows.process[row]} (${rows.tag[row]})`);
    const cached = outcome === 'cached';
    const task = result.tasks.push({
      uid: rows.taskId[row] ?? rows.hash[row] ?? name ?? `line ${rows.line[row]}`,
      name,
      type: rows.process[row] ?? (name === null ? 'task' : processOfName(name)),
      state: status,
      node: rows.hostname[row],
      cores: rows.cpus[row],
      gpus: rows.accelerator[row],
      start: cached ? NaN : interval.start,
      end: cached ? NaN : interval.end,
    });
    result.outcome.push(outcome);
    result.line.push(rows.line[row]);

    const events = result.events;
    if (chains !== null) {
      // Earlier attempts, oldest first.
      const earlier: number[] = [];
      for (let previous = chains.previous[row]; previous !== -1; previous = chains.previous[previous]) earlier.push(previous);
      const attempt = { start: NaN, end: NaN, derived: false };
      for (let k = earlier.length - 1; k >= 0; k--) {
        intervalOf(rows, earlier[k], columns, attempt);
        if (attempt.derived) result.derived++;
        if (attempt.start === attempt.start) events.push(task, 'attempt_start', rows.status[earlier[k]], attempt.start);
        if (attempt.end === attempt.end) events.push(task, 'attempt_end', rows.status[earlier[k]], attempt.end);
        result.attempts++;
      }
    }
    const prefix = cached ? 'cached_' : '';
    const submit = rows.submit[row];
    if (submit === submit) events.push(task, `${prefix}submit`, null, submit);
    if (interval.start === interval.start) events.push(task, `${prefix}start`, null, interval.start);
    if (interval.end === interval.end) events.push(task, `${prefix}end`, null, interval.end);
  }
  return result;
}

/**
 * The execution interval of a row (absolute seconds, NaN unknown), into `out`: start/complete
 * when the trace has them, else derived from submit, duration and realtime.
 */
function intervalOf(rows: TraceRows, row: number, columns: Columns, out: { start: number; end: number; derived: boolean }): void {
  const submit = rows.submit[row];
  let end = rows.complete[row];
  if (end !== end) end = submit + rows.duration[row]; // complete = submit + duration, exactly
  let start = rows.start[row];
  out.derived = false;
  if (!columns.start) {
    const realtime = rows.realtime[row];
    if (end === end && realtime === realtime) start = Math.max(end - realtime, submit === submit ? submit : -Infinity);
    else start = submit; // queued or running: the submission is the last thing known before it
    out.derived = start === start;
  }
  if (end !== end && start === start && columns.start) end = start + rows.realtime[row];
  out.start = start;
  out.end = start === start ? end : NaN;
}

/**
 * Links the rows that are attempts of one task: an attempt k > 1 follows the latest earlier row
 * of the same task name with attempt k - 1 that no later attempt follows yet. Rows without an
 * attempt number stand alone.
 */
function attemptChains(rows: TraceRows): { previous: Int32Array; next: Int32Array } {
  const previous = new Int32Array(rows.length).fill(-1);
  const next = new Int32Array(rows.length).fill(-1);
  // Task name -> rows still open for a next attempt, by attempt number.
  const open = new Map<string, Map<number, number[]>>();
  for (let row = 0; row < rows.length; row++) {
    const attempt = rows.attempt[row];
    const key = rows.name[row] ?? (rows.process[row] === null ? null : `${rows.process[row]}\u0000${rows.tag[row] ?? ''}`);
    if (key === null || attempt !== attempt) continue;
    let byAttempt = open.get(key);
    if (byAttempt === undefined) {
      byAttempt = new Map();
      open.set(key, byAttempt);
    }
    if (attempt > 1) {
      const candidates = byAttempt.get(attempt - 1);
      const before = candidates?.pop();
      if (before !== undefined) {
        previous[row] = before;
        next[before] = row;
      }
    }
    const list = byAttempt.get(attempt) ?? [];
    list.push(row);
    byAttempt.set(attempt, list);
  }
  return { previous, next };
}
