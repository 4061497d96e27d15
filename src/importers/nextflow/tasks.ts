/**
 * From the rows of a Nextflow trace to tasks, their outcomes and their events, one row at a time.
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
import type { Outcome } from '../../run/outcome.js';
import type { RunSink } from '../common/run-sink.js';
import type { TraceRow } from './rows.js';

export const OUTCOME_OF_STATUS: Readonly<Record<string, Outcome>> = {
  COMPLETED: 'done',
  FAILED: 'failed',
  ABORTED: 'cancelled',
  CACHED: 'cached',
  RUNNING: 'running',
  SUBMITTED: 'pending',
  NEW: 'pending',
};

export interface Columns {
  start: boolean;
  complete: boolean;
  attempt: boolean;
}

/** `fastqc (sample1)` -> `fastqc`: the process of a task name with its tag. */
export function processOfName(name: string): string {
  const open = name.indexOf(' (');
  return open > 0 && name.endsWith(')') ? name.slice(0, open) : name;
}

/** The task name of a row, or null: `name`, else `process (tag)`. */
export function nameOfRow(row: TraceRow): string | null {
  if (row.name !== null) return row.name;
  if (row.process === null) return null;
  return row.tag === null ? row.process : `${row.process} (${row.tag})`;
}

/**
 * Which rows are attempts of one task, from the rows' names and attempt numbers in file order:
 * an attempt k > 1 follows the latest earlier row of the same name with attempt k - 1 that no
 * later attempt follows yet. `previous[row]` is the attempt before (-1: none); `hasNext[row]` says
 * a later attempt follows.
 */
export class AttemptChains {
  previous: Int32Array = new Int32Array(1024).fill(-1);
  hasNext: Uint8Array = new Uint8Array(1024);
  private rows = 0;
  private readonly open = new Map<string, Map<number, number[]>>();

  add(name: string | null, attempt: number): void {
    const row = this.rows++;
    if (row === this.previous.length) this.grow();
    if (name === null || attempt !== attempt) return;
    let byAttempt = this.open.get(name);
    if (byAttempt === undefined) {
      byAttempt = new Map();
      this.open.set(name, byAttempt);
    }
    if (attempt > 1) {
      const before = byAttempt.get(attempt - 1)?.pop();
      if (before !== undefined) {
        this.previous[row] = before;
        this.hasNext[before] = 1;
      }
    }
    const list = byAttempt.get(attempt);
    if (list) list.push(row);
    else byAttempt.set(attempt, [row]);
  }

  private grow(): void {
    const previous = new Int32Array(this.previous.length * 2).fill(-1);
    previous.set(this.previous);
    const hasNext = new Uint8Array(this.hasNext.length * 2);
    hasNext.set(this.hasNext);
    this.previous = previous;
    this.hasNext = hasNext;
  }
}

/** What the rows added up to, for the run's warnings. */
export interface TaskCounts {
  tasks: number;
  derived: number;
  attempts: number;
  /** Earlier attempts that came after their last one in the file: their events are lost. */
  lateAttempts: number;
  outcomes: Map<Outcome, number>;
  unknownStatuses: Map<string, number>;
}

/** Writes tasks and events into a sink as rows arrive (row 0, 1, ... in file order). */
export class TaskWriter {
  readonly counts: TaskCounts = { tasks: 0, derived: 0, attempts: 0, lateAttempts: 0, outcomes: new Map(), unknownStatuses: new Map() };
  private readonly interval = { start: NaN, end: NaN, derived: false };
  /** Earlier attempts seen, by row: start, end, status. */
  private readonly attempts = new Map<number, [number, number, string | null]>();
  private row = 0;

  constructor(
    private readonly sink: RunSink,
    private readonly columns: Columns,
    private readonly chains: AttemptChains | null,
  ) {}

  /** The next row; returns the task's uid, or null when the row is an earlier attempt. */
  write(row: TraceRow): string | null {
    const index = this.row++;
    const interval = this.interval;
    intervalOf(row, this.columns, interval);
    if (interval.derived) this.counts.derived++;
    const chains = this.chains;
    if (chains !== null && chains.hasNext[index] === 1) {
      this.attempts.set(index, [interval.start, interval.end, row.status]);
      return null;
    }

    const status = row.status;
    let outcome: Outcome | null = null;
    if (status !== null) {
      outcome = OUTCOME_OF_STATUS[status] ?? null;
      if (outcome === null) this.counts.unknownStatuses.set(status, (this.counts.unknownStatuses.get(status) ?? 0) + 1);
      else this.counts.outcomes.set(outcome, (this.counts.outcomes.get(outcome) ?? 0) + 1);
    }
    const name = nameOfRow(row);
    const cached = outcome === 'cached';
    const uid = row.taskId ?? row.hash ?? name ?? `line ${row.line}`;
    const task = this.counts.tasks++;
    this.sink.pushValues(
      uid,
      name,
      row.process ?? (name === null ? 'task' : processOfName(name)),
      null,
      null,
      status,
      outcome,
      row.hostname,
      row.cpus,
      row.accelerator,
      cached ? NaN : interval.start,
      cached ? NaN : interval.end,
      NaN,
      NaN,
      null,
      null,
    );

    if (chains !== null && chains.previous[index] !== -1) {
      const earlier: number[] = [];
      for (let previous = chains.previous[index]; previous !== -1; previous = chains.previous[previous]) earlier.push(previous);
      for (let k = earlier.length - 1; k >= 0; k--) {
        const attempt = this.attempts.get(earlier[k]);
        if (attempt === undefined) {
          this.counts.lateAttempts++;
          continue;
        }
        this.attempts.delete(earlier[k]);
        const [start, end, state] = attempt;
        if (start === start) this.sink.addEvent(task, 'attempt_start', state, start);
        if (end === end) this.sink.addEvent(task, 'attempt_end', state, end);
        this.counts.attempts++;
      }
    }
    const prefix = cached ? 'cached_' : '';
    if (row.submit === row.submit) this.sink.addEvent(task, `${prefix}submit`, null, row.submit);
    if (interval.start === interval.start) this.sink.addEvent(task, `${prefix}start`, null, interval.start);
    if (interval.end === interval.end) this.sink.addEvent(task, `${prefix}end`, null, interval.end);
    return uid;
  }
}

/**
 * The execution interval of a row (absolute seconds, NaN unknown), into `out`: start/complete
 * when the trace has them, else derived from submit, duration and realtime.
 */
export function intervalOf(row: TraceRow, columns: Columns, out: { start: number; end: number; derived: boolean }): void {
  const submit = row.submit;
  let end = row.complete;
  if (end !== end) end = submit + row.duration; // complete = submit + duration, exactly
  let start = row.start;
  out.derived = false;
  if (!columns.start) {
    const realtime = row.realtime;
    if (end === end && realtime === realtime) start = Math.max(end - realtime, submit === submit ? submit : -Infinity);
    else start = submit; // queued or running: the submission is the last thing known before it
    out.derived = start === start;
  }
  if (end !== end && start === start && columns.start) end = start + row.realtime;
  out.start = start;
  out.end = start === start ? end : NaN;
}
