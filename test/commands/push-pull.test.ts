/**
 * push and pull: runs copied between a local SQLite store and a shared PostgreSQL one, whole
 * (metadata, tasks, events, dependencies: what every command reads of them is the same on both
 * sides), idempotently (a second push or pull copies nothing), and with the URL's password
 * shown nowhere.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { cli, cliJson, tempDir, type CliResult } from '../helpers/cli.js';
import { newDatabaseUrl, serverUrl } from '../helpers/postgres.js';
import { describeWithShared } from '../helpers/shared-traces.js';
import { SUMMIT } from '../helpers/traces.js';
import { WFCOMMONS } from '../helpers/wfcommons.js';

const work = tempDir();
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const PASSWORD = new URL(serverUrl()).password;

interface Copied {
  from_id: string;
  status: string;
  run: { id: string; label: string; tasks: number };
}

/** What the commands show of a run: its details and every task, event-derived figure and dependency they read. */
async function seen(db: string, run: string) {
  const show = await cliJson<Record<string, unknown>>(['runs', 'show', run, '--db', db]);
  const tasks = await cli(['export', run, '--format', 'csv', '--out', '-', '--db', db]);
  const analyze = await cli(['analyze', run, '--db', db, '--json']);
  return { show: show.json, tasks: tasks.stdout, analyze: analyze.stdout };
}

describeWithShared('push and pull', () => {
  it('copy runs whole between SQLite and PostgreSQL, once', async () => {
    const local = path.join(work, 'local.db');
    const url = await newDatabaseUrl();
    await cli(['ingest', SUMMIT.dg2Async.file, '--label', 'dg2-async', '--mode', 'async', '--db', local]);
    await cli(['ingest', WFCOMMONS.forkjoin.file, '--db', local]);
    const outputs: CliResult[] = [];

    const pushed = await cliJson<Copied[]>(['push', 'dg2-async', WFCOMMONS.forkjoin.id, '--to', url, '--db', local]);
    expect(pushed.json.map((c) => [c.from_id, c.status, c.run.id, c.run.label])).toEqual([
      [SUMMIT.dg2Async.id, 'stored', SUMMIT.dg2Async.id, 'dg2-async'],
      [WFCOMMONS.forkjoin.id, 'stored', WFCOMMONS.forkjoin.id, WFCOMMONS.forkjoin.id],
    ]);
    for (const run of [SUMMIT.dg2Async.id, WFCOMMONS.forkjoin.id]) expect(await seen(url, run)).toEqual(await seen(local, run));
    const deps = await cliJson<{ tasks: number }>(['predict', '--from-run', WFCOMMONS.forkjoin.id, '--db', url]);
    expect(deps.json).toEqual((await cliJson(['predict', '--from-run', WFCOMMONS.forkjoin.id, '--db', local])).json);

    const again = await cli(['push', '--all', '--to', url, '--db', local]);
    outputs.push(again);
    expect(again.stdout).toBe(
      [SUMMIT.dg2Async.id, WFCOMMONS.forkjoin.id].map((id) => `${id}: already in ${url.replace(`:${PASSWORD}@`, '@')} as run ${id} (same content): nothing copied\n`).join(''),
    );
    expect((await cliJson<unknown[]>(['runs', '--db', url])).json).toHaveLength(2);

    const mine = path.join(work, 'mine.db');
    const pulled = await cli(['pull', 'dg2-async@latest', '--from', url, '--db', mine]);
    outputs.push(pulled);
    expect(pulled).toMatchObject({ code: 0, stderr: '' });
    expect(pulled.stdout).toMatch(new RegExp(`^pulled ${SUMMIT.dg2Async.id.replace(/\./g, '\\.')} \\(256 tasks\\) from postgresql://postgres@127\\.0\\.0\\.1:\\d+/\\w+\\n$`));
    expect(await seen(mine, SUMMIT.dg2Async.id)).toEqual(await seen(local, SUMMIT.dg2Async.id));
    const pulledAgain = await cliJson<Copied[]>(['pull', '--all', '--from', url, '--db', mine]);
    expect(pulledAgain.json.map((c) => [c.from_id, c.status])).toEqual([
      [SUMMIT.dg2Async.id, 'existing'],
      [WFCOMMONS.forkjoin.id, 'stored'],
    ]);
    expect(JSON.stringify(pulledAgain.json) + JSON.stringify(pushed.json)).not.toContain(PASSWORD);

    const typo = await cli(['push', 'no-such-run', 'dg2-async', '--to', url, '--db', local]);
    outputs.push(typo);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/^asyncscope: error: no run with id or label "no-such-run"/);
    for (const output of outputs) expect(output.stdout + output.stderr).not.toContain(PASSWORD);
  }, 600_000);
});
