/**
 * Turning the rows of a tabular trace (CSV or JSON Lines) into tasks, validating every value.
 * Any bad value stops the import with the file, line and column named; nothing of the file is stored.
 */
import { TraceError } from '../../errors.js';
import { TaskTable } from '../../store/records.js';
import { typeFromId } from '../task-type.js';
import { parseTime } from '../time.js';
import type { ColumnMap, TaskField } from './fields.js';

/** A raw cell: text from CSV, any JSON value from JSON Lines. */
export type Cell = unknown;

export class TaskRows {
  readonly tasks = new TaskTable();
  private readonly lineOfId = new Map<string, number>();

  constructor(private readonly file: string) {}

  /**
   * Adds the task of one row; `cell(field)` gives the raw value of a field, `header(field)` the
   * column it came from.
   */
  add(line: number, cell: (field: TaskField) => Cell, header: (field: TaskField) => string): void {
    const fail = (field: TaskField, reason: string): never => {
      throw new TraceError(this.file, reason, line, header(field));
    };
    const text = (field: TaskField): string | null => {
      const value = cell(field);
      if (value === undefined || value === null) return null;
      if (typeof value === 'object') fail(field, `expected text, got ${JSON.stringify(value)}`);
      const s = String(value).trim();
      return s === '' ? null : s;
    };
    const time = (field: TaskField): number => {
      const value = cell(field);
      if (typeof value === 'number') return Number.isFinite(value) ? value : fail(field, `${value} is not a time`);
      const s = text(field);
      if (s === null) return NaN;
      const t = parseTime(s);
      return Number.isNaN(t) ? fail(field, `${JSON.stringify(s)} is not a time (epoch seconds or ISO 8601)`) : t;
    };
    const amount = (field: TaskField): number => {
      const value = cell(field);
      const s = typeof value === 'number' ? value : text(field);
      if (s === null) return NaN;
      const n = typeof s === 'number' ? s : Number(s);
      if (!Number.isFinite(n) || n < 0) fail(field, `${JSON.stringify(s)} is not a non-negative number`);
      return n;
    };

    const id = text('id');
    if (id === null) fail('id', 'missing task id');
    const firstLine = this.lineOfId.get(id!);
    if (firstLine !== undefined) fail('id', `duplicate task id ${JSON.stringify(id)} (first on line ${firstLine})`);
    this.lineOfId.set(id!, line);

    const start = time('start');
    let end = time('end');
    if (Number.isNaN(end)) {
      const duration = amount('duration');
      if (!Number.isNaN(duration) && !Number.isNaN(start)) end = start + duration;
    }
    if (Number.isNaN(start) && !Number.isNaN(end)) fail('start', 'missing start for a task that has an end');
    if (end < start) fail('end', `end is before start (${end} < ${start})`);

    this.tasks.push({
      uid: id!,
      name: text('name'),
      type: text('type') ?? typeFromId(id!),
      stage: text('stage'),
      pipeline: text('pipeline'),
      state: text('state'),
      node: text('node'),
      cores: amount('cores'),
      gpus: amount('gpus'),
      start,
      end,
    });
  }
}

/** `header(field)` for messages: the column's own name, or the field's name when absent. */
export function headerOf(map: ColumnMap): (field: TaskField) => string {
  return (field) => map.header[field] ?? field;
}
