/**
 * Optional columns of task tables beyond a task's interval and resources: when it was submitted,
 * which tasks it waited for, how it exited, and which CPU and GPU slots it held. `asyncscope run`
 * writes all of them; tables from other systems may carry any (Slurm's `Submit` and `ExitCode`,
 * a DAG's `parents`). Only rows that have a submit time or parents pay for them: the rest of the
 * table goes through the importer as fast as before.
 *
 * Where they are stored (docs/formats.md):
 * - submit: an event `submit`, beside events `start` and `end` at the task's times, so that
 *   `durations --from submit --to start` measures the wait in the queue;
 * - parents: task dependencies (resolved by id once the whole table was read; a parent may come later);
 * - exit_code, cpu_slots, gpu_slots: task fields (run/task-fields.ts), read here, pushed with the task.
 */
import type { TaskSink } from '../../run/task-table.js';

/** The extras of one row that are not task fields (NaN and null when the row has no such value). */
export interface RowExtras {
  submit: number;
  parents: string[] | null;
  /** Line of the row, for an unknown parent reported once the table was read. */
  line: number;
}

/** A sink that takes the extras of the task it was last given (the batch builder). */
export interface ExtrasSink {
  pushExtras(extras: RowExtras): void;
}

/** What a run being written offers for extras (store.ts, RunWrite): events, and parents by id. */
export interface ExtrasReceiver {
  addEvent(task: number, event: string, state: string | null, time: number): void;
  addParent(child: number, parentUid: string, line: number): void;
}

export function receivesExtras(sink: TaskSink): sink is TaskSink & ExtrasReceiver {
  const s = sink as Partial<ExtrasReceiver>;
  return typeof s.addParent === 'function' && typeof s.addEvent === 'function';
}

/** Hands the extras of task `task` (with its start and end) to the receiver. */
export function deliverExtras(receiver: ExtrasReceiver, task: number, extras: RowExtras, start: number, end: number): void {
  if (extras.submit === extras.submit) {
    // Events of a task go in time order: submit <= start <= end (checked when the row was read).
    receiver.addEvent(task, 'submit', null, extras.submit);
    if (start === start) receiver.addEvent(task, 'start', null, start);
    if (end === end) receiver.addEvent(task, 'end', null, end);
  }
  if (extras.parents) for (const parent of extras.parents) receiver.addParent(task, parent, extras.line);
}

/** Why a list cell cannot be read, for the row error. */
export class ListProblem extends Error {}

/**
 * A list cell: a JSON array (JSON Lines, or `[...]` text in CSV), or text with items separated by
 * spaces or commas (`a b`, `"a,b"` in a quoted CSV cell). Empty: null.
 */
export function listCell(value: unknown): unknown[] | null {
  if (value === undefined || value === null) return null;
  if (Array.isArray(value)) return value.length === 0 ? null : value;
  if (typeof value === 'number') return [value];
  if (typeof value !== 'string') throw new ListProblem(`expected a list, got ${JSON.stringify(value)}`);
  const text = value.trim();
  if (text === '') return null;
  if (text.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new ListProblem(`${JSON.stringify(text)} is not a JSON list`);
    }
    if (!Array.isArray(parsed)) throw new ListProblem(`${JSON.stringify(text)} is not a JSON list`);
    return parsed.length === 0 ? null : parsed;
  }
  return text.split(/[\s,]+/).filter((item) => item !== '');
}

/** Task ids of a parents cell, each once, in the order given. */
export function idList(items: readonly unknown[]): string[] {
  const ids: string[] = [];
  const seen = new Set<string>();
  for (const item of items) {
    let id: string;
    if (typeof item === 'string' && item.trim() !== '') id = item.trim();
    else if (typeof item === 'number' && Number.isFinite(item)) id = String(item);
    else throw new ListProblem(`${JSON.stringify(item)} is not a task id`);
    if (!seen.has(id)) {
      seen.add(id);
      ids.push(id);
    }
  }
  return ids;
}

/** Slot indexes: distinct non-negative integers, sorted. */
export function slotList(items: readonly unknown[]): number[] {
  const slots = items.map((item) => {
    const n = typeof item === 'number' ? item : typeof item === 'string' && item.trim() !== '' ? Number(item) : NaN;
    if (!Number.isInteger(n) || n < 0) throw new ListProblem(`${JSON.stringify(item)} is not a slot index (a non-negative integer)`);
    return n;
  });
  slots.sort((a, b) => a - b);
  for (let i = 1; i < slots.length; i++) if (slots[i] === slots[i - 1]) throw new ListProblem(`slot ${slots[i]} is listed twice`);
  return slots;
}

/**
 * An exit code: an integer (negative for a signal, as Python reports it), or Slurm's `code:signal`
 * (`0:0`, `1:0`), whose first part is the exit code. NaN when the cell is empty.
 */
export function exitCodeOf(value: unknown): number {
  if (value === undefined || value === null || value === '') return NaN;
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new ListProblem(`${value} is not an exit code (an integer)`);
    return value;
  }
  const text = typeof value === 'string' ? value.trim() : '';
  if (text === '') {
    if (typeof value === 'string') return NaN;
    throw new ListProblem(`${JSON.stringify(value)} is not an exit code (an integer)`);
  }
  const m = /^(-?\d+)(?::\d+)?$/.exec(text);
  if (!m) throw new ListProblem(`${JSON.stringify(text)} is not an exit code (an integer, or code:signal)`);
  return Number(m[1]);
}
