/**
 * Opening the SQLite file: for reading only, or for writing; recognising whose database it is
 * before touching it; pragmas that make it safe to share; forward migrations.
 *
 * asyncscope writes only into a database that is its own (its tables and a schema version) or
 * empty, and only when a command writes (ingest, runs edit/rm, demo). Any other SQLite file is
 * refused and left exactly as it was; a command that only reads opens the file read-only, so
 * stores archived read-only (a file of mode 0444, a folder that is not writable) can be read.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { InputError } from '../../errors.js';
import { MIGRATIONS } from './schema.js';

export type Db = Database.Database;

/**
 * SQLite opens a database with `immutable=1` (below) only from a URI filename, which better-sqlite3
 * enables when this is set before its native module loads (at the first `new Database`). Paths
 * given to SQLite are absolute (or `:memory:`), so no file name is ever taken for a URI.
 */
process.env.SQLITE_USE_URI = '1';

/** How long a writer waits for another process's write transaction before giving up. */
const BUSY_TIMEOUT_MS = 60_000;

export interface SqliteOpenOptions {
  /** Never create, migrate or write; refuse a database that needs a migration. */
  readOnly: boolean;
  /** Create the file when it does not exist (write access only). */
  create: boolean;
  /**
   * For a bulk write (ingest): a database this call creates keeps SQLite's rollback journal until
   * `useWal` is called after the write. See `openDatabase`.
   */
  bulkWriteIfNew?: boolean;
  /** Migration list; tests pass their own to exercise upgrades. */
  migrations?: readonly string[];
}

export interface OpenedDatabase {
  db: Db;
  /** This call created the file. */
  created: boolean;
}

export function openDatabase(file: string, options: SqliteOpenOptions): OpenedDatabase {
  const migrations = options.migrations ?? MIGRATIONS;
  const memory = file === ':memory:';
  const absolute = memory ? file : path.resolve(file);
  const exists = memory || fs.existsSync(absolute);
  if (!exists && (options.readOnly || !options.create)) {
    throw new InputError(`no database at ${file}: ingest a trace first, or pass --db / set ASYNCSCOPE_DB`);
  }
  if (!memory && !exists) {
    const dir = path.dirname(absolute);
    if (!fs.existsSync(dir)) throw new InputError(`cannot create database ${file}: folder ${dir} does not exist`);
  }
  if (!memory && !options.readOnly) assertWritable(file, absolute, exists);
  // Reading a store the process could write: a connection that refuses writes (query_only), but
  // an ordinary one, which tidies the write-ahead log files away when it closes, as any SQLite
  // client does. A store it cannot write: a read-only connection (openReadOnly).
  const readOnlyFile = options.readOnly && !memory && writeProblem(absolute, true) !== null;
  const db = readOnlyFile ? openReadOnly(file, absolute) : connect(file, absolute, { fileMustExist: !options.create });
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    if (options.readOnly) db.pragma('query_only = ON');
    // Whose it is, before anything is written: WAL mode and the schema would change the file.
    const version = recognise(db, file);
    if (options.readOnly) {
      if (version === 0) throw new InputError(`${file} is an empty database, not yet an asyncscope store: ingest a trace into it first`);
      if (version < migrations.length) {
        throw new InputError(
          `${file} has schema version ${version}, older than this asyncscope's ${migrations.length}: it needs an upgrade, which a command that writes (asyncscope ingest, runs edit) makes where the file is writable`,
        );
      }
      checkNotNewer(version, migrations, file);
      db.pragma('foreign_keys = ON');
      return { db, created: false };
    }
    // WAL lets readers work while another process ingests; NORMAL sync is durable in WAL mode
    // except for the last transactions on power loss, which is fine for a trace store.
    // But WAL writes every page twice, into the log and at the checkpoint into the database: for
    // the first ingest into a new database, which holds nothing to read yet, the rollback journal
    // writes it once (0.35 s of a 5 s ingest of a million tasks). Anyone opening the database
    // meanwhile waits for that ingest (busy timeout), then turns it to WAL, as `useWal` does.
    if (!(!exists && options.bulkWriteIfNew)) useWal(db);
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db, migrations, file);
  } catch (error) {
    db.close();
    if (error instanceof InputError) throw error;
    throw new InputError(`cannot use database ${file}: ${(error as Error).message}`);
  }
  return { db, created: !exists };
}

/**
 * Writing needs the file and its folder writable (SQLite keeps its journal or write-ahead log
 * beside the file). Said before SQLite would fail half-way with "attempt to write a readonly database".
 */
function assertWritable(file: string, absolute: string, exists: boolean): void {
  const problem = writeProblem(absolute, exists);
  if (problem !== null) {
    throw new InputError(`cannot write to database ${file}: ${problem} (commands that only read, such as runs, analyze, report and check, work on a read-only store)`);
  }
}

/** Why this process cannot write the database (or, when it does not exist, create it), or null. */
function writeProblem(absolute: string, exists: boolean): string | null {
  const denied = (target: string) => {
    try {
      fs.accessSync(target, fs.constants.W_OK);
      return false;
    } catch {
      return true;
    }
  };
  if (exists && denied(absolute)) return 'the file is read-only';
  if (denied(path.dirname(absolute))) return `its folder ${path.dirname(absolute)} is read-only`;
  return null;
}

function connect(file: string, absolute: string, options: Database.Options): Db {
  try {
    return new Database(absolute, options);
  } catch (error) {
    throw new InputError(`cannot open database ${file}: ${(error as Error).message}`);
  }
}

/**
 * Read-only. A database in WAL mode needs its shared-memory file (-shm) even to be read, and a
 * reader creates it when it is missing, which a read-only folder does not allow. There, a
 * database with no write-ahead log waiting to be checkpointed (none, or an empty one: what a
 * closed store leaves) is opened `immutable`: read as the file is, without locks or -shm. Nobody
 * can be writing it meanwhile, since nobody can create its -wal there either.
 */
function openReadOnly(file: string, absolute: string): Db {
  const db = connect(file, absolute, { readonly: true, fileMustExist: true });
  try {
    db.pragma('schema_version', { simple: true }); // the first read opens the file for real
    return db;
  } catch (error) {
    db.close();
    const code = (error as { code?: string }).code;
    // SQLite says the folder is read-only (SQLITE_READONLY_DIRECTORY), or that it cannot make or
    // open the -shm file (CANTOPEN, READONLY_CANTINIT), depending on what is missing.
    if (code === undefined || !/^SQLITE_(CANTOPEN|READONLY)/.test(code)) throw describeOpenError(error, file);
    if (walSize(absolute) > 0) {
      throw new InputError(
        `cannot read database ${file}: its write-ahead log (${path.basename(absolute)}-wal) holds changes that only a process allowed to write in ${path.dirname(absolute)} can read back; open it once where the folder is writable`,
      );
    }
    const immutable = connect(file, `file:${encodeURI(absolute).replace(/[?#]/g, encodeURIComponent)}?immutable=1`, { readonly: true, fileMustExist: true });
    try {
      immutable.pragma('schema_version', { simple: true });
    } catch (retry) {
      immutable.close();
      throw describeOpenError(retry, file);
    }
    return immutable;
  }
}

function walSize(absolute: string): number {
  try {
    return fs.statSync(`${absolute}-wal`).size;
  } catch {
    return 0;
  }
}

function describeOpenError(error: unknown, file: string): InputError {
  const code = (error as { code?: string }).code;
  if (code === 'SQLITE_NOTADB') return new InputError(`not an asyncscope database: ${file} (not an SQLite file); give another --db`);
  return new InputError(`cannot open database ${file}: ${(error as Error).message}`);
}

/**
 * The schema version of a database that is asyncscope's, or 0 for an empty one; any other
 * database is refused (InputError) before anything is written to it.
 */
function recognise(db: Db, file: string): number {
  let version: number;
  let tables: string[];
  try {
    version = db.pragma('user_version', { simple: true }) as number;
    tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
  } catch (error) {
    throw describeOpenError(error, file);
  }
  if (version === 0 && tables.length === 0) return 0; // empty: a new store
  if (version > 0 && tables.includes('runs')) return version;
  const shown = tables.length > 5 ? [...tables.slice(0, 5), '...'] : tables;
  throw new InputError(
    `not an asyncscope database: ${file} (it holds ${tables.length > 0 ? `the tables ${shown.join(', ')}` : 'no tables'} and schema version ${version}); asyncscope leaves it as it is: give another --db`,
  );
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

function checkNotNewer(version: number, migrations: readonly string[], file: string): void {
  if (version > migrations.length) {
    throw new InputError(`${file} has schema version ${version}, newer than this asyncscope knows (${migrations.length}): upgrade asyncscope`);
  }
}

/** Applies the migrations a database has not seen yet; refuses one written by a newer asyncscope. */
export function migrate(db: Db, migrations: readonly string[], file = 'database'): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  checkNotNewer(current, migrations, file);
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

/**
 * The schema version of the SQLite store in `file`, read without creating, migrating or writing
 * anything (0 for an empty database, null when there is no file); a foreign database is refused.
 */
export function readSchemaVersion(file: string): number | null {
  if (file !== ':memory:' && !fs.existsSync(path.resolve(file))) return null;
  const db = openReadOnly(file, path.resolve(file));
  try {
    return recognise(db, file);
  } finally {
    db.close();
  }
}
