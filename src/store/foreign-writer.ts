/**
 * Writing SQLite databases in other systems' schemas: the synthetic Parsl and Pegasus traces of
 * `asyncscope gen` (for the benchmark). The caller describes the tables as data (names and column
 * types) and hands rows; the SQL is made here. Rows go in through batched multi-row inserts in one
 * transaction, without a journal: a file being generated has nothing to protect.
 */
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { BatchInserter } from './sqlite/batch-insert.js';
import type { SqlValue } from './foreign-sqlite.js';

export interface ForeignTable {
  name: string;
  /** [column, SQL type], in order. */
  columns: readonly (readonly [string, string])[];
  /** Columns of the primary key, if any. */
  primaryKey?: readonly string[];
  /** Named UNIQUE constraints (the system's own: readers may rely on them, as on the primary key). */
  unique?: Readonly<Record<string, readonly string[]>>;
}

export class ForeignWriter {
  private readonly inserters = new Map<string, BatchInserter>();

  private constructor(
    private readonly db: Database.Database,
    tables: readonly ForeignTable[],
  ) {
    for (const table of tables) {
      const columns = table.columns.map(([name, type]) => `${quote(name)} ${type}`);
      if (table.primaryKey) columns.push(`PRIMARY KEY (${table.primaryKey.map(quote).join(', ')})`);
      for (const [name, keys] of Object.entries(table.unique ?? {})) columns.push(`CONSTRAINT ${quote(name)} UNIQUE (${keys.map(quote).join(', ')})`);
      db.exec(`CREATE TABLE ${quote(table.name)} (${columns.join(', ')})`);
      this.inserters.set(table.name, new BatchInserter(db, quote(table.name), table.columns.map(([name]) => quote(name))));
    }
    db.exec('BEGIN');
  }

  /** A new database at `file` (replacing any), with these tables. */
  static create(file: string, tables: readonly ForeignTable[]): ForeignWriter {
    for (const suffix of ['', '-journal', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
    const db = new Database(file);
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    return new ForeignWriter(db, tables);
  }

  /** Appends a row, values in the table's column order. */
  row(table: string, ...values: SqlValue[]): void {
    const inserter = this.inserters.get(table);
    if (!inserter) throw new Error(`no table ${table}`);
    const at = inserter.slot();
    for (let i = 0; i < values.length; i++) inserter.params[at + i] = values[i];
    inserter.done();
  }

  finish(): void {
    for (const inserter of this.inserters.values()) inserter.flush();
    this.db.exec('COMMIT');
    this.db.close();
  }
}

function quote(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}
