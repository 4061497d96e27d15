/**
 * isBusyError: SQLite's "in use" answers, told apart from every other failure (ingest names the
 * store's lock; detection calls a Parsl or Pegasus database being written "being written", not damaged).
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { isBusyError } from '../../src/store/sqlite-busy.js';
import { tempDir } from '../helpers/cli.js';

const work = tempDir();
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** The error better-sqlite3 throws for `run` on a second connection, or null. */
function errorOf(run: () => unknown): unknown {
  try {
    run();
    return null;
  } catch (error) {
    return error;
  }
}

describe('isBusyError', () => {
  it('is true for the error SQLite gives a connection while another holds the lock', () => {
    const file = path.join(work, 'locked.db');
    const holder = new Database(file);
    holder.exec('CREATE TABLE t (x)');
    holder.exec('BEGIN EXCLUSIVE');
    const other = new Database(file, { timeout: 0 });
    try {
      const error = errorOf(() => other.prepare('SELECT count(*) FROM t').get());
      expect((error as { code?: string }).code).toBe('SQLITE_BUSY');
      expect(isBusyError(error)).toBe(true);
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
      other.close();
    }
  });

  it('is true for the extended busy codes and SQLITE_LOCKED, which detection once called damage', () => {
    for (const code of ['SQLITE_BUSY_SNAPSHOT', 'SQLITE_BUSY_RECOVERY', 'SQLITE_LOCKED', 'SQLITE_LOCKED_SHAREDCACHE']) {
      expect(isBusyError(new Database.SqliteError('database is locked', code)), code).toBe(true);
    }
  });

  it('is false for other failures and for what is no SQLite error', () => {
    const file = path.join(work, 'not-a-database.db');
    fs.writeFileSync(file, 'SQLite format 3\0 but nothing after the header '.repeat(100));
    const error = errorOf(() => new Database(file, { readonly: true }).prepare('SELECT * FROM sqlite_master').all());
    expect((error as { code?: string }).code).toMatch(/^SQLITE_(NOTADB|CORRUPT)/);
    expect(isBusyError(error)).toBe(false);
    for (const value of [new Error('database is locked'), null, undefined, 'SQLITE_BUSY', { code: 7 }]) expect(isBusyError(value)).toBe(false);
  });
});
