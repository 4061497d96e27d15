/**
 * Opening the store a command names (--db, else $ASYNCSCOPE_DB, else ./asyncscope.db). SQLite is
 * the one backend today; the next one is chosen here, by the form of the location.
 */
import type { OpenOptions, Store } from './store.js';
import { SqliteStore } from './sqlite/sqlite-store.js';

/** The store location the user asked for: --db, else $ASYNCSCOPE_DB, else ./asyncscope.db. */
export function defaultStoreLocation(flag: string | undefined): string {
  return flag ?? process.env.ASYNCSCOPE_DB ?? 'asyncscope.db';
}

export async function openStore(location: string, options: OpenOptions): Promise<Store> {
  return SqliteStore.open(location, options);
}
