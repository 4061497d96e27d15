/**
 * Connecting to a PostgreSQL store: whose database it is (asyncscope writes only into its own or
 * an empty one), the schema version, forward migrations.
 *
 * The version is kept in a one-row table `asyncscope_schema` (SQLite keeps it in `PRAGMA
 * user_version`). Migrations run in one transaction under an advisory lock, so that processes
 * opening a new store at once do not both create the tables: the second waits, then finds the
 * store migrated. A connection of a command that only reads is set read-only by the server.
 */
import pg from 'pg';
import { parseIntoClientConfig } from 'pg-connection-string';
import pgpass from 'pgpass';
import { InputError } from '../../errors.js';
import { MIGRATIONS } from '../sqlite/schema.js';
import { toPostgres } from './dialect.js';
import { connectionString, redactLocation, scrub } from './location.js';

export type Connection = pg.Client;

/** pg_advisory_xact_lock keys (any two 64-bit numbers unlikely to be someone else's). */
export const LOCK_MIGRATE = 0x61737973; // 'asys'
export const LOCK_NAMING = 0x61737974;

/** Integers come back as numbers: every integer asyncscope stores (keys, counts, indexes) is far below 2^53. */
const TYPES = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === pg.types.builtins.INT8) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

/** Connects; errors say where (without the password) and why. */
export async function connect(location: string): Promise<Connection> {
  const config = parseIntoClientConfig(connectionString(location));
  const client = new pg.Client({
    ...config,
    types: TYPES,
    application_name: 'asyncscope',
    // node-postgres calls it with the connection's parameters, which its types leave out.
    password: config.password || (passwordFor as unknown as () => Promise<string>),
  });
  // An idle connection the server drops (restart, network) must not crash the process.
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => {});
    throw new InputError(`cannot connect to ${redactLocation(location)}: ${scrub(describe(error), location)}`);
  }
  return client;
}

/**
 * The password when the URL gives none: $PGPASSWORD, else the line of ~/.pgpass (or $PGPASSFILE)
 * that matches the connection, as libpq looks it up (node-postgres is dropping its own lookup).
 */
function passwordFor(parameters: { host: string; port: number; database: string; user: string }): Promise<string> {
  if (process.env.PGPASSWORD) return Promise.resolve(process.env.PGPASSWORD);
  return new Promise((resolve) => pgpass(parameters, (password) => resolve(password ?? '')));
}

function describe(error: unknown): string {
  const e = error as { message?: string; code?: string; errors?: { message: string }[] };
  const message = e.message || e.errors?.map((inner) => inner.message).join('; ') || e.code || String(error);
  return message;
}

/** The store's schema version, 0 for an empty database; a database that is not asyncscope's is refused. */
export async function schemaVersion(client: Connection, where: string): Promise<number> {
  const tables = (
    await client.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables
        WHERE table_schema = current_schema() ORDER BY table_name COLLATE "C"`,
    )
  ).rows.map((row) => row.name);
  if (tables.length === 0) return 0;
  if (tables.includes('asyncscope_schema') && tables.includes('runs')) {
    const row = (await client.query<{ version: number }>('SELECT version FROM asyncscope_schema')).rows[0];
    if (row) return row.version;
  }
  const shown = tables.length > 5 ? [...tables.slice(0, 5), '...'] : tables;
  throw new InputError(`not an asyncscope database: ${where} (it holds the tables ${shown.join(', ')}); asyncscope leaves it as it is: give another --db`);
}

export function newerMessage(where: string, version: number, known: number): string {
  return `${where} has schema version ${version}, newer than this asyncscope knows (${known}): upgrade asyncscope`;
}

export interface OpenedConnection {
  client: Connection;
  /** The schema version before this opening migrated it. */
  before: number;
  version: number;
}

/**
 * Connects for reading (nothing is created or migrated; an empty or older store is refused) or
 * for writing (an empty database becomes a store, an older one is migrated).
 */
export async function openConnection(location: string, options: { readOnly: boolean; migrations?: readonly string[] }): Promise<OpenedConnection> {
  const migrations = options.migrations ?? MIGRATIONS;
  const where = redactLocation(location);
  const client = await connect(location);
  try {
    if (options.readOnly) await client.query('SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY');
    const version = await schemaVersion(client, where);
    if (version > migrations.length) throw new InputError(newerMessage(where, version, migrations.length));
    if (options.readOnly) {
      if (version === 0) throw new InputError(`${where} is an empty database, not yet an asyncscope store: ingest a trace into it first (or run asyncscope db migrate)`);
      if (version < migrations.length) {
        throw new InputError(
          `${where} has schema version ${version}, older than this asyncscope's ${migrations.length}: it needs an upgrade, which asyncscope db migrate (or any command that writes) makes`,
        );
      }
      return { client, before: version, version };
    }
    const after = version === migrations.length ? version : await migrate(client, migrations, where);
    return { client, before: version, version: after };
  } catch (error) {
    await client.end().catch(() => {});
    if (error instanceof InputError) throw error;
    throw new InputError(`cannot use database ${where}: ${scrub(describe(error), location)}`);
  }
}

/** Applies the migrations the store has not seen, in one transaction; returns the new version. */
async function migrate(client: Connection, migrations: readonly string[], where: string): Promise<number> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [LOCK_MIGRATE]);
    // Another process may have migrated while this one waited for the lock.
    const seen = await schemaVersion(client, where);
    if (seen > migrations.length) throw new InputError(newerMessage(where, seen, migrations.length));
    if (seen === 0) {
      await client.query('CREATE TABLE asyncscope_schema (version INTEGER NOT NULL)');
      await client.query('INSERT INTO asyncscope_schema VALUES (0)');
    }
    for (let version = seen; version < migrations.length; version++) {
      await client.query(toPostgres(migrations[version], version + 1));
      await client.query('UPDATE asyncscope_schema SET version = $1', [version + 1]);
    }
    await client.query('COMMIT');
    return migrations.length;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}
