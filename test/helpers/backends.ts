/**
 * The two store backends, side by side, for tests that must hold on both: a new empty store
 * location of each, opening it, and looking at its tables from outside the Store interface.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import type { OpenOptions, Store } from '../../src/store/store.js';
import { tempDir } from './cli.js';
import pg from 'pg';
import { adminQuery, newDatabase, databaseUrl } from './postgres.js';

export interface Backend {
  name: 'sqlite' | 'postgresql';
  /** Where a new, empty store goes (an SQLite file that does not exist yet; an empty database). */
  newLocation(): Promise<string>;
  /** How many rows a table of the store holds. */
  count(location: string, table: string): Promise<number>;
  /** Runs SQL on the store from outside asyncscope (the dialect is the backend's). */
  exec(location: string, sql: string): Promise<void>;
  /** SQL that makes every later insert into `events` fail, as a full disk would. */
  failEventsSql: string;
}

let sqliteDir: string | undefined;
afterAll(() => {
  if (sqliteDir) fs.rmSync(sqliteDir, { recursive: true, force: true });
});

let sqliteCounter = 0;
const sqlite: Backend = {
  name: 'sqlite',
  async newLocation() {
    sqliteDir ??= tempDir('asyncscope-backend-');
    return path.join(sqliteDir, `store-${++sqliteCounter}.db`);
  },
  async count(location, table) {
    const db = new Database(location, { readonly: true });
    try {
      return db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number;
    } finally {
      db.close();
    }
  },
  async exec(location, sql) {
    const db = new Database(location);
    try {
      db.exec(sql);
    } finally {
      db.close();
    }
  },
  // Events are rows of event_rows or, by pattern, of event_times (schema migration 6): either insert fails.
  failEventsSql: `CREATE TRIGGER fail_event_rows BEFORE INSERT ON event_rows BEGIN SELECT RAISE(ABORT, 'disk full (simulated)'); END;
                  CREATE TRIGGER fail_event_times BEFORE INSERT ON event_times BEGIN SELECT RAISE(ABORT, 'disk full (simulated)'); END;`,
};

const dbName = (location: string) => new URL(location).pathname.slice(1);
const postgresql: Backend = {
  name: 'postgresql',
  async newLocation() {
    return databaseUrl(await newDatabase());
  },
  async count(location, table) {
    return Number((await adminQuery<{ n: string }>(`SELECT COUNT(*) AS n FROM ${table}`, [], dbName(location)))[0].n);
  },
  async exec(location, sql) {
    await adminQuery(sql, [], dbName(location));
  },
  failEventsSql: `CREATE FUNCTION fail_events() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk full (simulated)'; END $$;
                  CREATE TRIGGER fail_events BEFORE INSERT ON event_rows FOR EACH ROW EXECUTE FUNCTION fail_events();`,
};

export const BACKENDS: readonly Backend[] = [sqlite, postgresql];

/** A new store of the backend, open for writing. */
export async function newStore(backend: Backend, options: OpenOptions = { access: 'write', create: true }): Promise<{ store: Store; location: string }> {
  const location = await backend.newLocation();
  return { store: await openStore(location, options), location };
}

/** A row of a table, by column name, as the backend gives it (numbers as numbers on both). */
export type Row = Record<string, unknown>;

/** The tables behind the `events` view. */
const EVENT_STORAGE = new Set(['event_rows', 'event_patterns', 'event_times']);

/**
 * Everything a store holds of one run, table by table, found generically: the run's row (without
 * its pk) and the rows of every table with a `run_pk` column (without it), sorted. A table or column
 * added by a later migration is in it without changing this: what compares runs across stores
 * (push, pull) then compares it too. Events are compared as the `events` view shows them: how
 * they are kept (event_rows, or event_patterns and event_times) is each backend's own (schema 6).
 */
export async function runContents(location: string, runId: string): Promise<Record<string, Row[]>> {
  const tables = location.startsWith('postgresql:') ? await postgresRunTables(location, runId) : sqliteRunTables(location, runId);
  const sorted = (rows: Row[]) => rows.map((row) => JSON.stringify(row)).sort().map((row) => JSON.parse(row) as Row);
  return Object.fromEntries(Object.entries(tables).map(([table, rows]) => [table, sorted(rows)]));
}

function sqliteRunTables(location: string, runId: string): Record<string, Row[]> {
  const db = new Database(location, { readonly: true });
  try {
    const run = db.prepare('SELECT * FROM runs WHERE id = ?').get(runId) as Row & { pk: number };
    const out: Record<string, Row[]> = { runs: [withoutKey(run, 'pk')] };
    for (const table of db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[]) {
      if (EVENT_STORAGE.has(table)) continue;
      const columns = db.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(table) as string[];
      if (!columns.includes('run_pk')) continue;
      out[table] = (db.prepare(`SELECT * FROM ${table} WHERE run_pk = ?`).all(run.pk) as Row[]).map((row) => withoutKey(row, 'run_pk'));
    }
    return out;
  } finally {
    db.close();
  }
}

async function postgresRunTables(location: string, runId: string): Promise<Record<string, Row[]>> {
  // BIGINT as a number, as SQLite gives integers (node-postgres gives it as a string by default).
  const types = { getTypeParser: (oid: number, format?: string) => (oid === pg.types.builtins.INT8 ? Number : pg.types.getTypeParser(oid, format as 'text')) };
  const client = new pg.Client({ connectionString: databaseUrl(dbName(location)), types: types as pg.CustomTypesConfig });
  await client.connect();
  try {
    const select = async (sql: string, params: unknown[]) => (await client.query<Row>(sql, params)).rows;
    const [run] = (await select('SELECT * FROM runs WHERE id = $1', [runId])) as (Row & { pk: number })[];
    const out: Record<string, Row[]> = { runs: [withoutKey(run, 'pk')] };
    const tables = await select("SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'run_pk' ORDER BY table_name", []);
    for (const { table_name: table } of tables) if (!EVENT_STORAGE.has(table as string)) out[table as string] = (await select(`SELECT * FROM ${table as string} WHERE run_pk = $1`, [run.pk])).map((row) => withoutKey(row, 'run_pk'));
    return out;
  } finally {
    await client.end();
  }
}

function withoutKey(row: Row, key: string): Row {
  const { [key]: _dropped, ...rest } = row;
  return rest;
}
