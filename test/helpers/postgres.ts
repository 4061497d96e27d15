/**
 * Databases on the test run's PostgreSQL server (started by test/global-setup.ts with scripts/postgres-server.mjs): each test
 * gets a database of its own, so that test files running at once never see each other's runs.
 */
import { inject } from 'vitest';
import pg from 'pg';

let counter = 0;

/** The administrator's URL of the test server (it holds a password: tests of redaction use it). */
export function serverUrl(): string {
  const url = inject('postgresUrl');
  if (!url) throw new Error('no test PostgreSQL server: vitest.config.ts runs test/global-setup.ts, which starts one');
  return url;
}

/** The URL of `database` on the test server. */
export function databaseUrl(database: string): string {
  const url = new URL(serverUrl());
  url.pathname = `/${database}`;
  return url.toString();
}

/** Runs SQL as the administrator (in the database named, else the server's default). */
export async function adminQuery<T extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params: unknown[] = [], database?: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: database ? databaseUrl(database) : serverUrl() });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** A new, empty database; returns its name. */
export async function newDatabase(prefix = 't'): Promise<string> {
  const name = `${prefix}_${process.pid}_${++counter}_${Math.random().toString(36).slice(2, 8)}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  return name;
}

/** The URL of a new, empty database. */
export async function newDatabaseUrl(prefix?: string): Promise<string> {
  return databaseUrl(await newDatabase(prefix));
}
