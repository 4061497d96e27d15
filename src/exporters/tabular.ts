/**
 * A run as a task table in the format asyncscope's tabular importers read (docs/formats.md), so
 * that exporting then importing gives the same tasks: one row (CSV) or one object (JSON Lines)
 * per task with every column the importers understand.
 *
 * Times are absolute (epoch seconds: the run's epoch plus the task's time), printed with all the
 * digits of a double, so that a re-import, whose time zero is again the first start, gives the
 * same times to well under a microsecond. `duration` is end - start, or the runtime of a task
 * that has no start (an unscheduled WfCommons task): the importers take it only when there is no
 * end, and without a start it only informs the reader. Unknown values are empty (CSV) or null.
 * Not in a table: the run's capacity, its task dependencies and raw profile events.
 */
import type { StoredRun } from '../run/stored-run.js';
import { TASK_FIELDS } from '../run/task-fields.js';
import type { TaskTable } from '../run/task-table.js';
import { Batcher } from './batcher.js';

/** The task fields in the table: all but the runtime, which the `duration` column gives instead. */
const TABLE_FIELDS = TASK_FIELDS.filter((field) => field.kind !== 'duration');

/** The columns, in order: the task fields, then `duration`. */
export const TABLE_COLUMNS: readonly string[] = [...TABLE_FIELDS.map((field) => field.name), 'duration'];

type Cell = string | number | null;

/** A reader of the table's rows: task i's cells in TABLE_COLUMNS order. */
function cellsOf(run: StoredRun, tasks: TaskTable): (i: number) => Cell[] {
  const epoch = run.epoch ?? 0;
  const columns = TABLE_FIELDS.map((field) => tasks[field.name] as readonly (string | number | null)[]);
  const isTime = TABLE_FIELDS.map((field) => field.kind === 'time');
  const { start, end, runtime } = tasks;
  return (i) => {
    const out: Cell[] = new Array(TABLE_COLUMNS.length);
    for (let k = 0; k < columns.length; k++) {
      const value = columns[k][i];
      if (typeof value !== 'number') out[k] = value;
      else if (value !== value) out[k] = null; // NaN: unknown
      else out[k] = isTime[k] ? epoch + value : value;
    }
    let duration: number | null = null;
    if (!Number.isNaN(start[i]) && !Number.isNaN(end[i])) duration = end[i] - start[i];
    else if (Number.isNaN(start[i]) && !Number.isNaN(runtime[i])) duration = runtime[i];
    out[columns.length] = duration;
    return out;
  };
}

/** CSV (RFC 4180: fields with a comma, quote or line break are quoted, quotes doubled). */
export function* csvTable(run: StoredRun, tasks: TaskTable): Generator<string> {
  const out = new Batcher();
  out.add(`${TABLE_COLUMNS.join(',')}\n`);
  const cells = cellsOf(run, tasks);
  for (let i = 0; i < tasks.length; i++) {
    out.add(`${cells(i).map(csvField).join(',')}\n`);
    yield* out.drain();
  }
  yield* out.flush();
}

export function csvField(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

/** JSON Lines: one object per task, keys in TABLE_COLUMNS order. */
export function* jsonlTable(run: StoredRun, tasks: TaskTable): Generator<string> {
  const out = new Batcher();
  const cells = cellsOf(run, tasks);
  for (let i = 0; i < tasks.length; i++) {
    const values = cells(i);
    const row: Record<string, Cell> = {};
    for (let k = 0; k < values.length; k++) row[TABLE_COLUMNS[k]] = values[k];
    out.add(`${JSON.stringify(row)}\n`);
    yield* out.drain();
  }
  yield* out.flush();
}
