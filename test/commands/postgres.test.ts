/**
 * The commands on a shared PostgreSQL store, as a user runs them: `--db postgresql://...` (and
 * $ASYNCSCOPE_DB) gives the same output as the SQLite default, `db status` and `db migrate` say
 * where the store is and its version, and the password of the URL appears nowhere: not in
 * output, JSON, errors, nor in what the store says it is.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../src/store/sqlite/schema.js';
import { cli, cliJson, tempDir, type CliResult } from '../helpers/cli.js';
import { adminQuery, newDatabaseUrl, serverUrl } from '../helpers/postgres.js';
import { describeWithShared } from '../helpers/shared-traces.js';
import { SUMMIT } from '../helpers/traces.js';
import { WFCOMMONS } from '../helpers/wfcommons.js';

const work = tempDir();
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const PASSWORD = new URL(serverUrl()).password;
const withoutPassword = (url: string) => url.replace(`:${PASSWORD}@`, '@');

/** Nothing the CLI printed holds the password. */
function expectNoSecret(...results: CliResult[]): void {
  expect(PASSWORD.length).toBeGreaterThan(8);
  for (const result of results) {
    expect(result.stdout).not.toContain(PASSWORD);
    expect(result.stderr).not.toContain(PASSWORD);
  }
}

describeWithShared('a PostgreSQL store', () => {
  it('gives every command the same output as SQLite', async () => {
    const url = await newDatabaseUrl();
    const file = path.join(work, 'same.db');
    const traces = [SUMMIT.dg2Sync.file, SUMMIT.dg2Async.file, WFCOMMONS.forkjoin.file];
    const commands: string[][] = [
      ['ingest', ...traces.slice(0, 2), '--mode', 'sync', '--label', 'dg2'],
      ['ingest', traces[2], '--meta', 'team=blue', '--meta', 'gpu=a100'],
      ['runs', '--where', 'team=blue', '--json'],
      ['runs', '--where', 'format=radical-pilot', '--since', '30d'],
      ['runs', 'edit', WFCOMMONS.forkjoin.id, '--meta', 'team=red', '--meta', 'branch=main'],
      ['runs', '--where', 'branch=main', '--json'],
      ['runs', 'edit', SUMMIT.dg2Async.id, '--label', 'dg2-async', '--mode', 'async', '--workflow', 'DG2'],
      ['runs'],
      ['runs', '--json'],
      ['runs', 'show', 'dg2-async'],
      ['runs', 'show', 'dg2-async', '--json'],
      ['analyze', 'dg2-async'],
      ['analyze', 'dg2', 'dg2-async', '--json'],
      ['durations', 'dg2-async', '--json'],
      ['concurrency', 'dg2-async', '--json'],
      ['predict', '--from-run', WFCOMMONS.forkjoin.id, '--json'],
      ['compare', 'dg2@latest', 'dg2-async', '--json'],
      ['export', 'dg2-async', '--format', 'csv', '--out', '-'],
      ['analyze', 'no-such-run'],
      ['runs', 'rm', WFCOMMONS.forkjoin.id],
      ['runs'],
    ];
    for (const command of commands) {
      const onSqlite = await cli([...command, '--db', file]);
      const onPostgres = await cli([...command, '--db', url]);
      expectNoSecret(onPostgres);
      // The store's location and the import time (now) are the only differences allowed.
      const same = (text: string, location: string) => text.split(location).join('STORE').replace(/(imported(?:_at)?"?:\s*"?)[0-9T:.Z-]+/g, '$1TIME');
      expect({ command, code: onPostgres.code, stdout: same(onPostgres.stdout, url), stderr: onPostgres.stderr }).toEqual({
        command,
        code: onSqlite.code,
        stdout: same(onSqlite.stdout, file),
        stderr: onSqlite.stderr,
      });
    }
  }, 600_000);

  it('is named by $ASYNCSCOPE_DB too, and its status and migration are shown without the password', async () => {
    const url = await newDatabaseUrl();
    const env = { ASYNCSCOPE_DB: url };
    const empty = await cliJson(['db', 'status'], { env });
    expect(empty.json).toEqual({ backend: 'postgresql', location: withoutPassword(url), version: 0, latest: SCHEMA_VERSION, state: 'empty' });
    const migrate = await cli(['db', 'migrate'], { env });
    expect(migrate.stdout).toBe(`${withoutPassword(url)} (postgresql): migrated from schema version 0 to ${SCHEMA_VERSION}\n`);
    const again = await cliJson(['db', 'migrate'], { env });
    expect(again.json).toEqual({ backend: 'postgresql', location: withoutPassword(url), version_before: SCHEMA_VERSION, version: SCHEMA_VERSION });
    const status = await cli(['db', 'status'], { env });
    expect(status.stdout).toBe(`${withoutPassword(url)} (postgresql): schema version ${SCHEMA_VERSION} of ${SCHEMA_VERSION}, up to date\n`);
    const ingest = await cliJson<{ source: string }[]>(['ingest', SUMMIT.dg2Async.file], { env });
    expect(ingest.code).toBe(0);
    expect(JSON.stringify(empty.json) + empty.stderr).not.toContain(PASSWORD);
    expectNoSecret(migrate, status);

    // A store a newer asyncscope wrote: status says so (exit 2), every command refuses it.
    await adminQuery(`UPDATE asyncscope_schema SET version = ${SCHEMA_VERSION + 1}`, [], new URL(url).pathname.slice(1));
    const newer = await cli(['db', 'status'], { env });
    expect(newer.code).toBe(2);
    expect(newer.stdout).toMatch(/written by a newer asyncscope .*: upgrade asyncscope/);
    for (const command of [['runs'], ['ingest', SUMMIT.dg2Sync.file], ['db', 'migrate']]) {
      const refused = await cli(command, { env });
      expect(refused.code).toBe(2);
      expect(refused.stderr).toBe(
        `asyncscope: error: ${withoutPassword(url)} has schema version ${SCHEMA_VERSION + 1}, newer than this asyncscope knows (${SCHEMA_VERSION}): upgrade asyncscope\n`,
      );
      expectNoSecret(refused);
    }
  }, 300_000);

  it('says what is wrong with a connection in one line, without the password', async () => {
    const url = new URL(await newDatabaseUrl());
    const wrong = new URL(url);
    wrong.password = 'not-the-password-but-secret-too';
    const refused = await cli(['runs', '--db', wrong.toString()]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^asyncscope: error: cannot connect to postgresql:\/\/postgres@127\.0\.0\.1:\d+\/\w+: password authentication failed for user "postgres"\n$/);
    expect(refused.stderr).not.toContain('not-the-password-but-secret-too');
    const nowhere = await cli(['runs', '--db', `postgresql://postgres:${PASSWORD}@127.0.0.1:1/nothing`]);
    expect(nowhere.code).toBe(2);
    expect(nowhere.stderr).toMatch(/^asyncscope: error: cannot connect to postgresql:\/\/postgres@127\.0\.0\.1:1\/nothing: .*ECONNREFUSED/);
    const missing = await cli(['runs', '--db', url.toString().replace(/\/\w+$/, '/no_such_database')]);
    expect(missing.stderr).toMatch(/database "no_such_database" does not exist/);
    expectNoSecret(refused, nowhere, missing);
  });

  it('takes what the URL leaves out from PG* variables and ~/.pgpass', async () => {
    const url = new URL(await newDatabaseUrl());
    const home = path.join(work, 'home');
    fs.mkdirSync(home, { recursive: true });
    fs.writeFileSync(path.join(home, '.pgpass'), `127.0.0.1:${url.port}:*:postgres:${PASSWORD}\n`, { mode: 0o600 });
    const env = { HOME: home, PGHOST: '127.0.0.1', PGPORT: url.port, PGUSER: 'postgres', PGDATABASE: url.pathname.slice(1), PGPASSWORD: '' };
    const migrate = await cli(['db', 'migrate', '--db', 'postgresql://'], { env: { ...env, PGPASSWORD: undefined } });
    expect(migrate.stderr).toBe('');
    expect(migrate.stdout).toMatch(/^postgresql:\/\/ \(postgresql\): migrated from schema version 0/);
    const byVariables = await cli(['runs', '--db', `postgresql://postgres@127.0.0.1:${url.port}${url.pathname}?sslmode=disable`], { env: { PGPASSWORD: PASSWORD } });
    expect(byVariables).toMatchObject({ code: 0, stderr: '' });
    expectNoSecret(migrate, byVariables);
  });
});
