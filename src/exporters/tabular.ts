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
import type { TaskTable } from '../store/records.js';
import type { StoredRun } from '../store/runs.js';
import { Batcher } from './batcher.js';

export const TABLE_COLUMNS = ['uid', 'name', 'type', 'stage', 'pipeline', 'state', 'node', 'cores', 'gpus', 'start', 'end', 'duration'] as const;

type Row = Record<(typeof TABLE_COLUMNS)[number], string | number | null>;

function row(run: StoredRun, tasks: TaskTable, i: number): Row {
  const epoch = run.epoch ?? 0;
  const start = tasks.start[i];
  const end = tasks.end[i];
  const known = (value: number) => (Number.isNaN(value) ? null : value);
  let duration: number | null = null;
  if (!Number.isNaN(start) && !Number.isNaN(end)) duration = end - start;
  else if (Number.isNaN(start) && !Number.isNaN(tasks.runtime[i])) duration = tasks.runtime[i];
  return {
    uid: tasks.uid[i],
    name: tasks.name[i],
    type: tasks.type[i],
    stage: tasks.stage[i],
    pipeline: tasks.pipeline[i],
    state: tasks.state[i],
    node: tasks.node[i],
    cores: known(tasks.cores[i]),
    gpus: known(tasks.gpus[i]),
    start: Number.isNaN(start) ? null : epoch + start,
    end: Number.isNaN(end) ? null : epoch + end,
    duration,
  };
}

/** CSV (RFC 4180: fields with a comma, quote or line break are quoted, quotes doubled). */
export function* csvTable(run: StoredRun, tasks: TaskTable): Generator<string> {
  const out = new Batcher();
  out.add(`${TABLE_COLUMNS.join(',')}\n`);
  for (let i = 0; i < tasks.length; i++) {
    const r = row(run, tasks, i);
    out.add(`${TABLE_COLUMNS.map((column) => csvField(r[column])).join(',')}\n`);
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
  for (let i = 0; i < tasks.length; i++) {
    out.add(`${JSON.stringify(row(run, tasks, i))}\n`);
    yield* out.drain();
  }
  yield* out.flush();
}
