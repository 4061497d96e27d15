/**
 * Opening the store a command names (--db, else $ASYNCSCOPE_DB, else ./asyncscope.db): an SQLite
 * file, or a PostgreSQL database when the location is a `postgresql://` URL.
 */
import { isPostgresLocation } from './postgres/location.js';
import { SqliteStore } from './sqlite/sqlite-store.js';
import type { OpenOptions, Store } from './store.js';

/** The store location the user asked for: --db, else $ASYNCSCOPE_DB, else ./asyncscope.db. */
export function defaultStoreLocation(flag: string | undefined): string {
  return flag ?? process.env.ASYNCSCOPE_DB ?? 'asyncscope.db';
}

export async function openStore(location: string, options: OpenOptions): Promise<Store> {
  // Loaded only for a PostgreSQL location: pg and its modules are a fifth of an SQLite command's start-up.
  if (isPostgresLocation(location)) return (await import('./postgres/postgres-store.js')).PostgresStore.open(location, options);
  return SqliteStore.open(location, options);
}
