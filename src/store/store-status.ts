/**
 * What `asyncscope db status` and `db migrate` say about a store: which backend, where (a URL
 * without its password), its schema version against the one this asyncscope knows, and whether
 * it needs a migration or a newer asyncscope. Reading the status never creates, migrates or
 * writes anything.
 */
import { InputError } from '../errors.js';
import { connect, schemaVersion } from './postgres/database.js';
import { isPostgresLocation, redactLocation } from './postgres/location.js';
import { readSchemaVersion } from './sqlite/database.js';
import { SCHEMA_VERSION } from './sqlite/schema.js';

export type StoreState = 'current' | 'older' | 'newer' | 'empty';

export interface StoreStatus {
  backend: 'sqlite' | 'postgresql';
  location: string;
  /** The store's schema version (0: an empty database, no store yet). */
  version: number;
  /** The newest version this asyncscope knows. */
  latest: number;
  state: StoreState;
  /** What to do about it, for people. */
  advice: string;
}

export async function storeStatus(location: string, latest = SCHEMA_VERSION): Promise<StoreStatus> {
  const postgres = isPostgresLocation(location);
  const shown = postgres ? redactLocation(location) : location;
  let version: number;
  if (postgres) {
    const client = await connect(location);
    try {
      await client.query('SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY');
      version = await schemaVersion(client, shown);
    } finally {
      await client.end().catch(() => {});
    }
  } else {
    const found = readSchemaVersion(location);
    if (found === null) throw new InputError(`no database at ${location}: ingest a trace first, or pass --db / set ASYNCSCOPE_DB`);
    version = found;
  }
  const state: StoreState = version === 0 ? 'empty' : version < latest ? 'older' : version > latest ? 'newer' : 'current';
  const advice = {
    current: 'up to date',
    older: `needs a migration to version ${latest}: run asyncscope db migrate (commands that only read refuse it until then)`,
    newer: `written by a newer asyncscope (this one knows version ${latest}): upgrade asyncscope; this one refuses the store`,
    empty: 'an empty database, no store yet: asyncscope db migrate or an ingest makes it one',
  }[state];
  return { backend: postgres ? 'postgresql' : 'sqlite', location: shown, version, latest, state, advice };
}
