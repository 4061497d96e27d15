/**
 * The ingest command as a user runs it: output, JSON fields, exit codes, one-line errors, two
 * processes ingesting into one database at once, and large tables parsed in a worker thread.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, cliJson, tempDir } from '../helpers/cli.js';
import { SUMMIT } from '../helpers/traces.js';
import { describeWithShared } from '../helpers/shared-traces.js';

const work = tempDir();
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));
const RUN_FIELDS = ['id', 'label', 'mode', 'workflow', 'format', 'source', 'tasks', 'executed', 'incomplete', 'makespan_s', 'outcomes', 'nodes', 'cores', 'gpus', 'commit', 'commit_title', 'branch', 'ci', 'job_url', 'host', 'asyncscope_version', 'meta'];

describeWithShared('asyncscope ingest', () => {
  it('prints one line per run, and the documented JSON fields with --json', async () => {
    const db = path.join(work, 'one.db');
    const human = await cli(['ingest', SUMMIT.dg2Sync.file, '--mode', 'sync', '--label', 'dg2-sync', '--db', db]);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^STATUS\s+ID\s+LABEL\s+MODE\s+TASKS\s+MAKESPAN_S\s+SOURCE\n/);
    expect(human.stdout).toMatch(/stored\s+re\.session\.login5\.pascuzzi\.019221\.0000\s+dg2-sync\s+sync\s+256\s+1800\.123\s+.*019221\.0000\.tgz/);

    const { code, json, stderr } = await cliJson<Record<string, unknown>[]>(['ingest', SUMMIT.dg2Async.file, SUMMIT.dg2Sync.file, '--db', db]);
    expect(code).toBe(0);
    expect(json).toHaveLength(2);
    expect(Object.keys(json[0])).toEqual([...RUN_FIELDS, 'status', 'warnings']);
    expect(json[0]).toMatchObject({ id: SUMMIT.dg2Async.id, mode: 'unknown', format: 'radical-pilot', tasks: 256, executed: 256, incomplete: 0, makespan_s: expect.closeTo(1332.734, 3), nodes: 16, cores: 2688, gpus: 96, status: 'stored' });
    expect(json[1]).toMatchObject({ id: SUMMIT.dg2Sync.id, label: 'dg2-sync', status: 'existing' });
    expect(stderr).toMatch(/already stored as run re\.session\.login5\.pascuzzi\.019221\.0000 \(same content\)/);
  });

  it('exits 2 when an input fails, names it in one line, and still stores the others', async () => {
    const db = path.join(work, 'partial.db');
    const bad = path.join(work, 'bad.csv');
    fs.writeFileSync(bad, 'id,start,end\na,1,2\nb,oops,3\n');
    const result = await cli(['ingest', bad, SUMMIT.dg2Async.file, '--db', db]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`asyncscope: error: ${bad}:3: field "start": "oops" is not a time (epoch seconds or ISO 8601)\n`);
    expect(result.stderr).toMatch(/1 of 2 inputs failed; the others were stored/);
    const runs = await cliJson<{ id: string }[]>(['runs', '--db', db]);
    expect(runs.json.map((r) => r.id)).toEqual([SUMMIT.dg2Async.id]);
  });

  it('walks folders and quoted globs, skipping files that are not traces', async () => {
    const db = path.join(work, 'walk.db');
    // A folder as a user keeps it: the four Summit sessions and a README that is not a trace.
    const folder = path.join(work, 'sessions');
    fs.mkdirSync(folder);
    for (const trace of Object.values(SUMMIT)) fs.symlinkSync(trace.file, path.join(folder, path.basename(trace.file)));
    fs.writeFileSync(path.join(folder, 'README.md'), '# the Summit runs\n');
    const result = await cliJson<{ id: string }[]>(['ingest', path.join(folder, '*019221*'), folder, '--db', db]);
    expect(result.code).toBe(0);
    expect(result.json.map((r) => r.id).sort()).toEqual([SUMMIT.ddmdSync.id, SUMMIT.ddmdAsync.id, SUMMIT.dg2Sync.id, SUMMIT.dg2Async.id].sort());
  });

  it('fails with exit 2 on a pattern that matches nothing and on bad flag values', async () => {
    const db = path.join(work, 'none.db');
    const none = await cli(['ingest', 'traces/**/*.nothing', '--db', db]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/asyncscope: error: traces\/\*\*\/\*\.nothing: pattern matched no files/);
    const mode = await cli(['ingest', SUMMIT.dg2Async.file, '--mode', 'fast', '--db', db]);
    expect(mode.code).toBe(2);
    expect(mode.stderr.trim().split('\n')).toHaveLength(1);
    expect(mode.stderr).toMatch(/Expected --mode=fast to be one of: sync, async, unknown/);
  });

  it('lets two processes ingest into the same new database at once', async () => {
    const db = path.join(work, 'concurrent.db');
    const [a, b] = await Promise.all([
      cli(['ingest', SUMMIT.ddmdSync.file, '--db', db]),
      cli(['ingest', SUMMIT.ddmdAsync.file, '--db', db]),
    ]);
    expect([a.code, b.code, a.stderr, b.stderr]).toEqual([0, 0, '', '']);
    const runs = await cliJson<{ id: string; tasks: number }[]>(['runs', '--db', db]);
    expect(runs.json.map((r) => [r.id, r.tasks]).sort()).toEqual([
      [SUMMIT.ddmdSync.id, 627],
      [SUMMIT.ddmdAsync.id, 627],
    ]);
    // Written with a rollback journal while new, left in WAL mode for readers (see openDatabase).
    const raw = new Database(db, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
  });

  it('takes the database from ASYNCSCOPE_DB when --db is not given', async () => {
    const db = path.join(work, 'env.db');
    const result = await cli(['ingest', SUMMIT.dg2Async.file], { env: { ASYNCSCOPE_DB: db } });
    expect(result.code).toBe(0);
    expect(fs.existsSync(db)).toBe(true);
  });
});

describeWithShared('asyncscope ingest of tables in a parser thread', () => {
  const rows = (n: number, bad?: number) =>
    ['id,type,start,end,cores,gpus', ...Array.from({ length: n }, (_, i) => `t${i},${i % 3 ? 'sim' : 'ml'},${1000 + i * 0.5},${i === bad ? 'never' : 1010 + i * 0.5},4,${i % 2}`)].join('\n');

  it('stores the same run with or without the worker thread', async () => {
    const file = path.join(work, 'threads.csv');
    fs.writeFileSync(file, rows(20_000));
    const results = [];
    for (const mode of ['always', 'never']) {
      const db = path.join(work, `threads-${mode}.db`);
      const ingestResult = await cliJson<{ tasks: number; makespan_s: number }[]>(['ingest', file, '--db', db], { env: { ASYNCSCOPE_PARSE_WORKER: mode } });
      expect(ingestResult.code).toBe(0);
      const analysis = await cliJson<{ runs: object[] }>(['analyze', '--db', db]);
      results.push([ingestResult.json, analysis.json]);
    }
    expect(results[0]).toEqual(results[1]);
    expect(results[0][0]).toMatchObject([{ tasks: 20_000, makespan_s: 0.5 * 19_999 + 10 }]);
  });

  it('reports a bad row found by the worker with its line, and stores nothing', async () => {
    const file = path.join(work, 'threads-bad.csv');
    fs.writeFileSync(file, rows(20_000, 15_000));
    const db = path.join(work, 'threads-bad.db');
    const result = await cli(['ingest', file, SUMMIT.dg2Async.file, '--db', db], { env: { ASYNCSCOPE_PARSE_WORKER: 'always' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${file}:15002: field "end": "never" is not a time`);
    const runs = await cliJson<{ id: string }[]>(['runs', '--db', db]);
    expect(runs.json.map((r) => r.id)).toEqual([SUMMIT.dg2Async.id]);
  });

  it('finds a task id repeated 19,000 rows later in the worker, names both lines, and stores nothing', async () => {
    const file = path.join(work, 'threads-repeat.csv');
    fs.writeFileSync(file, rows(20_000).replace('\nt19500,', '\nt500,'));
    const db = path.join(work, 'threads-repeat.db');
    const result = await cli(['ingest', file, '--db', db], { env: { ASYNCSCOPE_PARSE_WORKER: 'always' } });
    expect([result.code, result.stderr.trim()]).toEqual([2, `asyncscope: error: ${file}:19502: field "id": duplicate task id "t500" (first on line 502)`]);
    const runs = await cliJson<{ id: string }[]>(['runs', '--db', db]);
    expect(runs.json).toEqual([]);
  });
});
