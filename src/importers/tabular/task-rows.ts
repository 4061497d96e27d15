/**
 * Turning the rows of a tabular trace (CSV or JSON Lines) into tasks, validating every value.
 * Any bad value stops the import with the file, line and column named; nothing of the file is stored.
 *
 * This runs once per row of files with millions of rows, so it avoids per-row allocations: column
 * positions are resolved once, values are read by index, and tasks are appended column by column.
 */
import { TraceError } from '../../errors.js';
import { isOutcome, OUTCOMES, outcomeOfState, type Outcome } from '../../run/outcome.js';
import type { TaskSink } from '../../run/task-table.js';
import { typeFromId } from '../../run/task-type.js';
import { parseTime } from '../common/time.js';
import { exitCodeOf, idList, listCell, ListProblem, slotList, type ExtrasSink } from './extras.js';
import type { TimeCheck } from '../common/time-check.js';
import { TABLE_FIELDS, type ColumnMap, type TaskField } from './fields.js';
import type { IdCheck } from './unique-ids.js';

/** A raw cell: text from CSV, any JSON value from JSON Lines. */
export type Cell = unknown;

/** A row that failed validation, with where: the reader turns `row` into a line number. */
export class RowError extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(reason);
  }
}

export class TaskRows {
  /** Rows validated so far. */
  count = 0;
  private readonly col: Record<TaskField, number>;
  /** Whether the table has a submit or parents column (extras.ts): only then are rows looked at for them. */
  private readonly hasExtras: boolean;
  private row: ArrayLike<Cell> = [];

  /**
   * `index` gives the position of each field in the rows passed to `add`; `headerOf` the column name
   * the user knows it by, for messages; `ids` finds repeated task ids (see unique-ids.ts).
   */
  constructor(
    private readonly file: string,
    index: ColumnMap['index'],
    private readonly headerOf: (field: TaskField) => string,
    private readonly sink: TaskSink,
    private readonly ids: IdCheck,
    /** Watches for times no real run has (common/time-check.ts), when given. */
    private readonly times?: TimeCheck,
  ) {
    this.col = Object.fromEntries(TABLE_FIELDS.map((f) => [f, index[f] ?? -1])) as Record<TaskField, number>;
    this.hasExtras = this.col.submit !== -1 || this.col.parents !== -1;
  }

  /** Adds the task of one row (cells by column position); throws TraceError naming `line`. */
  add(line: number, row: ArrayLike<Cell>): void {
    this.row = row;
    try {
      this.addCurrent(line);
    } catch (error) {
      if (error instanceof RowError) throw new TraceError(this.file, error.reason, line, error.field);
      throw error;
    }
  }

  private addCurrent(line: number): void {
    const id = this.text('id');
    if (id === null) throw new RowError(this.headerOf('id'), 'missing task id');
    const firstLine = this.ids.repeatOf(id, line);
    if (firstLine !== undefined) throw new RowError(this.headerOf('id'), `duplicate task id ${JSON.stringify(id)} (first on line ${firstLine})`);

    const start = this.time('start');
    let end = this.time('end');
    if (Number.isNaN(end) && !Number.isNaN(start)) {
      const duration = this.amount('duration');
      if (!Number.isNaN(duration)) end = start + duration;
    }
    if (Number.isNaN(start) && !Number.isNaN(end)) throw new RowError(this.headerOf('start'), 'missing start for a task that has an end');
    if (end < start) throw new RowError(this.headerOf('end'), `end is before start (${end} < ${start})`);

    const name = this.text('name');
    const type = this.text('type') ?? typeFromId(id);
    const stage = this.text('stage');
    const pipeline = this.text('pipeline');
    const state = this.text('state');
    const outcome = this.outcome(state);
    const node = this.text('node');
    const cores = this.amount('cores');
    const gpus = this.amount('gpus');
    const exitCode = this.col.exit_code === -1 ? NaN : this.exitCode();
    const cpuSlots = this.col.cpu_slots === -1 ? null : this.slots('cpu_slots', cores, 'cores');
    const gpuSlots = this.col.gpu_slots === -1 ? null : this.slots('gpu_slots', gpus, 'GPUs');
    if (this.hasExtras) this.extras(id, line, start);
    this.times?.observe(id, line, start, end);
    this.count++;
    this.sink.pushValues(id, name, type, stage, pipeline, state, outcome, node, cores, gpus, start, end, NaN, exitCode, cpuSlots, gpuSlots);
  }

  /** The row's submit time and parents, checked, handed to the sink ahead of the task (when it takes them). */
  private extras(id: string, line: number, start: number): void {
    const submit = this.time('submit');
    if (submit > start) throw new RowError(this.headerOf('submit'), `submit is after start (${submit} > ${start})`);
    const parents = this.list('parents', idList);
    if (parents?.includes(id)) throw new RowError(this.headerOf('parents'), `task ${JSON.stringify(id)} lists itself as a parent`);
    if (submit !== submit && parents === null) return;
    (this.sink as Partial<ExtrasSink>).pushExtras?.({ submit, parents, line });
  }

  private exitCode(): number {
    try {
      return exitCodeOf(this.raw('exit_code'));
    } catch (error) {
      if (error instanceof ListProblem) throw new RowError(this.headerOf('exit_code'), error.message);
      throw error;
    }
  }

  private list<T>(field: TaskField, items: (cells: readonly unknown[]) => T[]): T[] | null {
    try {
      const cells = listCell(this.raw(field));
      return cells === null ? null : items(cells);
    } catch (error) {
      if (error instanceof ListProblem) throw new RowError(this.headerOf(field), error.message);
      throw error;
    }
  }

  /** Slot indexes as stored (a JSON array); as many as the task's resources when those are a whole number. */
  private slots(field: TaskField, amount: number, unit: string): string | null {
    const slots = this.list(field, slotList);
    if (slots === null) return null;
    if (Number.isInteger(amount) && slots.length !== amount) {
      throw new RowError(this.headerOf(field), `${slots.length} slot(s) listed for ${amount} ${unit}`);
    }
    return JSON.stringify(slots);
  }

  /** The `outcome` column when the table has one (asyncscope's own vocabulary), else what the state word means. */
  private outcome(state: string | null): Outcome | null {
    const given = this.text('outcome');
    if (given === null) return outcomeOfState(state);
    if (!isOutcome(given)) throw new RowError(this.headerOf('outcome'), `unknown outcome ${JSON.stringify(given)} (one of ${OUTCOMES.join(', ')})`);
    return given;
  }

  private raw(field: TaskField): Cell {
    const i = this.col[field];
    return i === -1 ? undefined : this.row[i];
  }

  private text(field: TaskField): string | null {
    const value = this.raw(field);
    if (value === undefined || value === null || value === '') return null;
    if (typeof value === 'string') {
      // Most cells have no surrounding spaces: trim only when needed.
      const first = value.charCodeAt(0);
      const last = value.charCodeAt(value.length - 1);
      if (first > 32 && last > 32) return value;
      const trimmed = value.trim();
      return trimmed === '' ? null : trimmed;
    }
    if (typeof value === 'object') throw new RowError(this.headerOf(field), `expected text, got ${JSON.stringify(value)}`);
    return String(value);
  }

  private time(field: TaskField): number {
    const value = this.raw(field);
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw new RowError(this.headerOf(field), `${value} is not a time`);
      return value;
    }
    const text = this.text(field);
    if (text === null) return NaN;
    const t = parseTime(text);
    if (Number.isNaN(t)) throw new RowError(this.headerOf(field), `${JSON.stringify(text)} is not a time (epoch seconds or ISO 8601)`);
    return t;
  }

  private amount(field: TaskField): number {
    const value = this.raw(field);
    if (typeof value === 'number') {
      if (!Number.isFinite(value) || value < 0) throw new RowError(this.headerOf(field), `${value} is not a non-negative number`);
      return value;
    }
    const text = this.text(field);
    if (text === null) return NaN;
    const n = Number(text);
    if (!Number.isFinite(n) || n < 0) throw new RowError(this.headerOf(field), `${JSON.stringify(text)} is not a non-negative number`);
    return n;
  }
}
