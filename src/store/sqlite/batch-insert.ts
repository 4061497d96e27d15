/**
 * Inserting many rows fast with better-sqlite3.
 *
 * One `INSERT ... VALUES (...), (...), ...` of many rows costs one call from JavaScript into SQLite
 * instead of one per row; at a million tasks that halves the ingest time. Rows are written straight
 * into one preallocated parameter array (`slot()` gives where, `done()` moves on), because building
 * an array per row costs more, at that scale, than SQLite's own work of storing it.
 *
 * A full batch is bound as arguments (`run(...params)`), not as one array argument: better-sqlite3
 * reads an array's elements one by one through V8's generic property lookup (`Object::Get`), and
 * its arguments directly. 2 x 10^6 event rows: 1.37 us per row as one array, 1.06 as arguments
 * (docs/benchmark.md, Pegasus at 10^6).
 */
import type Database from 'better-sqlite3';
import type { Db } from './database.js';

/** SQLite allows 32766 bound parameters per statement; stay well below it. */
const MAX_PARAMETERS = 4000;

export class BatchInserter {
  /** Parameters of one full batch, row after row. */
  readonly params: unknown[];
  private readonly width: number;
  private readonly many: Database.Statement;
  private readonly one: Database.Statement;
  private offset = 0;

  constructor(db: Db, table: string, columns: readonly string[]) {
    this.width = columns.length;
    const batchRows = Math.max(1, Math.floor(MAX_PARAMETERS / columns.length));
    this.params = new Array<unknown>(batchRows * this.width).fill(null);
    const tuple = `(${columns.map(() => '?').join(', ')})`;
    const head = `INSERT INTO ${table} (${columns.join(', ')}) VALUES `;
    this.many = db.prepare(head + Array(batchRows).fill(tuple).join(', '));
    this.one = db.prepare(head + tuple);
  }

  /** Where the next row's values go in `params` (in column order); call `done()` once written. */
  slot(): number {
    return this.offset;
  }

  done(): void {
    this.offset += this.width;
    if (this.offset === this.params.length) {
      // As arguments, not as one array: better-sqlite3 reads an array's elements through V8's
      // generic property lookup, 12% of the insert's CPU time (a micro-benchmark of 10^6 task rows).
      this.many.run(...this.params);
      this.offset = 0;
    }
  }

  /** Appends one row, values in column order (for code that is not on a hot path). */
  add(...values: unknown[]): void {
    const at = this.slot();
    for (let i = 0; i < values.length; i++) this.params[at + i] = values[i];
    this.done();
  }

  /** Writes the rows of an incomplete last batch one by one. */
  flush(): void {
    for (let at = 0; at < this.offset; at += this.width) this.one.run(this.params.slice(at, at + this.width));
    this.offset = 0;
  }
}
