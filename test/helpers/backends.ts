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
  failEventsSql: "CREATE TRIGGER fail_events BEFORE INSERT ON events BEGIN SELECT RAISE(ABORT, 'disk full (simulated)'); END;",
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
                  CREATE TRIGGER fail_events BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION fail_events();`,
};

export const BACKENDS: readonly Backend[] = [sqlite, postgresql];

/** A new store of the backend, open for writing. */
export async function newStore(backend: Backend, options: OpenOptions = { access: 'write', create: true }): Promise<{ store: Store; location: string }> {
  const location = await backend.newLocation();
  return { store: await openStore(location, options), location };
}
