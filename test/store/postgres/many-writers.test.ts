/**
 * Many writers into one PostgreSQL store (issue 18): CI runners publishing at once. 16 processes
 * ingest 16 different traces while 4 more ingest one same trace: 17 runs, no error, no deadlock;
 * the content dedupe holds across processes, and ids stay unique although all 16 traces suggest
 * the same one. An ingest killed half-way (the process gone, its COPY under way) leaves nothing.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateRun } from '../../../src/synthetic/workflow.js';
import { writeCsv } from '../../../src/synthetic/writers.js';
import { BIN, cli, cliJson, ROOT, tempDir } from '../../helpers/cli.js';
import { adminQuery, newDatabase, databaseUrl } from '../../helpers/postgres.js';

const work = tempDir();
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** A synthetic CSV trace of `tasks` tasks, in a folder of its own, named tasks.csv (so every one suggests the id `tasks`). */
function trace(name: string, tasks: number, seed: number): string {
  const file = path.join(work, name, 'tasks.csv');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeCsv(generateRun({ tasks, seed, tasksPerPipeline: 500 }), file);
  return file;
}

const CAPACITY = ['--cores', '2688', '--gpus', '96', '--nodes', '16'];
const count = async (database: string, table: string) => Number((await adminQuery<{ n: string }>(`SELECT COUNT(*) AS n FROM ${table}`, [], database))[0].n);

describe('many writers into one PostgreSQL store', () => {
  it('16 processes with different traces and 4 with the same one make 17 runs, without an error', async () => {
    const database = await newDatabase();
    const url = databaseUrl(database);
    const different = Array.from({ length: 16 }, (_, k) => trace(`different-${k}`, 500 + k, k + 1));
    const same = trace('same', 1000, 99);
    const results = await Promise.all([...different, same, same, same, same].map((file) => cli(['ingest', file, '--db', url, '--json', ...CAPACITY])));
    for (const result of results) {
      expect(result.code).toBe(0);
      // All said on stderr: that the suggested id was taken, or that the same trace is stored already.
      for (const line of result.stderr.split('\n').filter(Boolean)) expect(line).toMatch(/^asyncscope: warning: .*tasks\.csv: (a different run already has id tasks; stored as tasks-\d+|already stored as run tasks(-\d+)? \(same content\); nothing new stored .*)$/);
    }
    const saved = results.map((result) => (JSON.parse(result.stdout) as { status: string; id: string; tasks: number }[])[0]);
    const runs = await cliJson<{ id: string; tasks: number }[]>(['runs', '--db', url]);
    expect(runs.json).toHaveLength(17);
    expect(new Set(runs.json.map((run) => run.id)).size).toBe(17);
    expect(runs.json.map((run) => run.id).sort()).toEqual(['tasks', ...Array.from({ length: 16 }, (_, k) => `tasks-${k + 2}`)].sort());
    // The same trace: stored once; the other three were told which run holds it.
    const ofSame = saved.slice(16);
    expect(ofSame.map((s) => s.status).sort()).toEqual(['existing', 'existing', 'existing', 'stored']);
    expect(new Set(ofSame.map((s) => s.id)).size).toBe(1);
    expect(await count(database, 'tasks')).toBe(16 * 500 + (15 * 16) / 2 + 1000);
    for (const run of runs.json) expect([...Array.from({ length: 16 }, (_, k) => 500 + k), 1000]).toContain(run.tasks);
  }, 600_000);

  it('an ingest killed while it copies tasks leaves nothing behind', async () => {
    const database = await newDatabase();
    const url = databaseUrl(database);
    expect((await cli(['db', 'migrate', '--db', url])).code).toBe(0);
    const big = trace('big', 300_000, 7);
    const child = spawn(process.execPath, [BIN, 'ingest', big, '--db', url], { cwd: ROOT, env: { ...process.env, CI: 'true' }, stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ? -1 : code)));
    // Wait until its COPY is under way: rows are then in the server, uncommitted.
    const deadline = Date.now() + 120_000;
    let copying = false;
    while (!copying && Date.now() < deadline) {
      const active = await adminQuery<{ query: string }>("SELECT query FROM pg_stat_activity WHERE datname = $1 AND application_name = 'asyncscope' AND query LIKE 'COPY tasks%'", [database]);
      copying = active.length > 0;
      if (!copying) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(copying).toBe(true);
    child.kill('SIGKILL');
    expect(await exited).toBe(-1);
    // The server ends the dead connection's transaction: nothing of the run stays.
    for (let waited = 0; waited < 100; waited++) {
      const left = await adminQuery("SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND application_name = 'asyncscope'", [database]);
      if (left.length === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect([await count(database, 'runs'), await count(database, 'tasks'), await count(database, 'events')]).toEqual([0, 0, 0]);
    // And the store takes the same trace afterwards.
    const again = await cliJson<{ status: string; tasks: number }[]>(['ingest', big, '--db', url]);
    expect(again.json[0]).toMatchObject({ status: 'stored', tasks: 300_000 });
  }, 600_000);
});
