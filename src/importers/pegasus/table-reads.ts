/**
 * How the Pegasus reader takes a stampede table's rows and values: in key order (in pages where
 * SQLite can), each value checked, and an error naming the table, the row and the column when a
 * value is not what Pegasus writes there. Shared by the reader (stampede.ts) and the thread that
 * reads the invocations beside it (invocations.ts).
 */
import { TraceError } from '../../errors.js';
import { inPages, type ForeignDatabase, type RowQuery } from '../../store/foreign-sqlite.js';

/** No value in an Int32Array column (SQLite NULL). */
export const NONE = -2147483648;

/**
 * A table's rows in the order of its first column, a page (an array of rows) at a time: read in
 * pages where SQLite can (ForeignDatabase.pagesInKeyOrder), or row by row when `rangeReads` is
 * false (tests compare the two).
 */
export function ordered(db: ForeignDatabase, rangeReads: boolean, table: string, columns: readonly string[], query: Pick<RowQuery, 'atLeast'> = {}): Generator<unknown[][]> {
  if (!rangeReads) return inPages(db.rows(table, columns, { ...query, orderBy: [columns[0]] }));
  return db.pagesInKeyOrder(table, columns[0], columns.slice(1), query);
}

export function fieldError(db: ForeignDatabase, table: string, row: string, column: string, value: unknown): TraceError {
  return new TraceError(db.display, `table ${table}, ${row}: ${column} ${JSON.stringify(value)} is not what Pegasus writes there`);
}

/**
 * An integer column of the row whose `key` is `id`; NULL is NONE where allowed. (The row's name
 * for the error is made only for the error: a million template strings cost as much as the rest.)
 */
export function int32(db: ForeignDatabase, value: unknown, table: string, key: string, id: unknown, column: string, nullAllowed: boolean): number {
  if ((value === null || value === undefined) && nullAllowed) return NONE;
  if (isInt32(value)) return value;
  throw fieldError(db, table, `${key} ${String(id)}`, column, value);
}

/** Seconds: a number, or text that is one; NULL is NaN (unknown). */
export function seconds(db: ForeignDatabase, value: unknown, table: string, row: string, column: string): number {
  if (value === null || value === undefined) return NaN;
  const time = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  if (!Number.isFinite(time)) throw fieldError(db, table, row, column, value);
  return time;
}

export function isInt32(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > NONE && value <= 2147483647;
}

export function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}
