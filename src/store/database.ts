/**
 * Opening the SQLite store: pragmas that make it safe to share, and forward migrations.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { InputError } from '../errors.js';
import { MIGRATIONS } from './schema.js';

export type Db = Database.Database;

export interface OpenOptions {
  /** Refuse to create a database that does not exist yet (commands that only read). */
  mustExist?: boolean;
  /** Migration list; tests pass their own to exercise upgrades. */
  migrations?: readonly string[];
  /**
   * For a bulk write (ingest): a database this call creates keeps SQLite's rollback journal until
   * `useWal` is called after the write. See `openDatabase`.
   */
  bulkWriteIfNew?: boolean;
}

/** How long a writer waits for another process's write transaction before giving up. */
const BUSY_TIMEOUT_MS = 60_000;

/** The database path the user asked for: --db, else $ASYNCSCOPE_DB, else ./asyncscope.db. */
export function defaultDbPath(flag: string | undefined): string {
  return flag ?? process.env.ASYNCSCOPE_DB ?? 'asyncscope.db';
}

export function openDatabase(file: string, options: OpenOptions = {}): Db {
  const migrations = options.migrations ?? MIGRATIONS;
  if (options.mustExist && file !== ':memory:' && !fs.existsSync(file)) {
    throw new InputError(`no database at ${file}: ingest a trace first, or pass --db / set ASYNCSCOPE_DB`);
  }
  if (file !== ':memory:') {
    const dir = path.dirname(path.resolve(file));
    if (!fs.existsSync(dir)) throw new InputError(`cannot create database ${file}: folder ${dir} does not exist`);
  }
  const isNew = file !== ':memory:' && !fs.existsSync(file);
  let db: Db;
  try {
    db = new Database(file);
  } catch (error) {
    throw new InputError(`cannot open database ${file}: ${(error as Error).message}`);
  }
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // WAL lets readers work while another process ingests; NORMAL sync is durable in WAL mode
    // except for the last transactions on power loss, which is fine for a trace store.
    // But WAL writes every page twice, into the log and at the checkpoint into the database: for
    // the first ingest into a new database, which holds nothing to read yet, the rollback journal
    // writes it once (0.35 s of a 5 s ingest of a million tasks). Anyone opening the database
    // meanwhile waits for that ingest (busy timeout), then turns it to WAL, as `useWal` does.
    if (!(isNew && options.bulkWriteIfNew)) useWal(db);
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db, migrations, file);
  } catch (error) {
    db.close();
    if (error instanceof InputError) throw error;
    throw new InputError(`cannot use database ${file}: ${(error as Error).message}`);
  }
  return db;
}

/**
 * Puts the database in WAL mode (kept in the file). While another process writes a new database
 * with the rollback journal, SQLite answers "busy" at once instead of waiting when waiting could
 * deadlock (this connection holds a read lock the writer needs gone to commit); it has then let go
 * of its lock, so trying again shortly, within the busy timeout, lets the writer finish first.
 */
export function useWal(db: Db): void {
  const deadline = Date.now() + BUSY_TIMEOUT_MS;
  for (;;) {
    try {
      db.pragma('journal_mode = WAL');
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() > deadline) throw error;
      Atomics.wait(RETRY_WAIT, 0, 0, 20); // a synchronous 20 ms pause: openDatabase is synchronous
    }
  }
}

const RETRY_WAIT = new Int32Array(new SharedArrayBuffer(4));

/** Applies the migrations a database has not seen yet; refuses one written by a newer asyncscope. */
export function migrate(db: Db, migrations: readonly string[], file = 'database'): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > migrations.length) {
    throw new InputError(
      `${file} has schema version ${current}, newer than this asyncscope knows (${migrations.length}): upgrade asyncscope`,
    );
  }
  if (current === migrations.length) return;
  // IMMEDIATE takes the write lock first, so two processes opening a fresh database do not both
  // try to create the tables; the loser re-reads the version once the winner has committed.
  const upgrade = db.transaction(() => {
    const seen = db.pragma('user_version', { simple: true }) as number;
    for (let version = seen; version < migrations.length; version++) {
      db.exec(migrations[version]);
      db.pragma(`user_version = ${version + 1}`);
    }
  });
  upgrade.immediate();
}
