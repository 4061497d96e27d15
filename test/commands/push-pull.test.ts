/**
 * push and pull: runs copied between a local SQLite store and a shared PostgreSQL one, whole
 * (metadata, tasks, events, dependencies: what every command reads of them is the same on both
 * sides), idempotently (a second push or pull copies nothing), and with the URL's password
 * shown nowhere. Everything a run holds arrives: every column of every table, compared generically,
 * so that a column a later migration adds fails here until push and pull copy it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { runContents, type Row } from '../helpers/backends.js';
import { cli, cliJson, ROOT, tempDir, type CliResult } from '../helpers/cli.js';
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

  it('copy every column of every table a run has rows in, SQLite -> PostgreSQL -> a new SQLite store', async () => {
    const local = path.join(work, 'everything.db');
    // Task details and a type rule (RADICAL-EnTK: executables, stage names, ranks), events, provenance and --meta pairs.
    const meta = ['commit=0123456789abcdef0123456789abcdef01234567', 'commit_title=Tune the sampler', 'branch=main', 'ci=github-actions', 'job_url=https://ci.example.org/1', 'host=runner-7', 'team=blue'];
    const ingested = await cli(['ingest', SUMMIT.dg2Async.file, '--type-from', 'executable', '--label', 'dg2', '--mode', 'async', '--workflow', 'DG2', ...meta.flatMap((m) => ['--meta', m]), '--db', local]);
    expect(ingested.code, ingested.stderr).toBe(0);
    // The runner's columns (exit codes, CPU and GPU slots, outcomes) and dependencies.
    const ran = await cli(['run', path.join(ROOT, 'traces', 'specs', 'dg2-local.yaml'), '--mode', 'async', '--scale', '0.001', '--db', local]);
    expect(ran.code, ran.stderr).toBe(0);
    // Runtimes without start times.
    expect((await cli(['ingest', WFCOMMONS.forkjoin.file, '--db', local])).code).toBe(0);
    const ids = (await cliJson<{ id: string }[]>(['runs', '--db', local])).json.map((run) => run.id);
    expect(ids).toHaveLength(3);

    const url = await newDatabaseUrl();
    const pulledInto = path.join(work, 'pulled.db');
    expect((await cliJson<Copied[]>(['push', '--all', '--to', url, '--db', local])).json.map((c) => c.status)).toEqual(['stored', 'stored', 'stored']);
    expect((await cliJson<Copied[]>(['pull', '--all', '--from', url, '--db', pulledInto])).json.map((c) => c.status)).toEqual(['stored', 'stored', 'stored']);

    const filled = new Map<string, Set<string>>();
    for (const id of ids) {
      const original = await runContents(local, id);
      expect(await runContents(url, id), `${id} on PostgreSQL`).toEqual(original);
      expect(await runContents(pulledInto, id), `${id} pulled back`).toEqual(original);
      for (const [table, rows] of Object.entries(original)) {
        const columns = filled.get(table) ?? new Set<string>();
        for (const row of rows as Row[]) for (const [column, value] of Object.entries(row)) if (value !== null) columns.add(column);
        filled.set(table, columns);
      }
    }
    // The runs hold data in every table and every column (else the comparison would prove nothing of it).
    const everyColumn = await runContents(local, ids[0]);
    expect(Object.keys(everyColumn).sort()).toEqual(['events', 'run_meta', 'runs', 'task_details', 'task_edges', 'tasks']);
    for (const [table, rows] of Object.entries(everyColumn)) {
      const columns = Object.keys(rows[0] ?? (await runContents(local, ids[1]))[table][0]);
      expect({ table, empty: columns.filter((column) => !filled.get(table)!.has(column)) }).toEqual({ table, empty: [] });
    }
  }, 600_000);
});
