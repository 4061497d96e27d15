/**
 * `asyncscope ingest` of Slurm accounting, Parsl monitoring databases and Pegasus stampede
 * databases as a user runs it: recognised by content, a run per Parsl workflow run, --format,
 * --parsl-run, --sacct-steps; the other system's database left as it was; and hostile inputs
 * (truncated dumps, a database of another system, a schema version this reader does not know),
 * each one error naming file, line or table, with nothing stored.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, cliJson, ROOT, tempDir } from '../helpers/cli.js';
import { describeWithShared, sharedTrace } from '../helpers/shared-traces.js';

const work = tempDir();
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** Each test runs the CLI several times (a second or more each, far more on a loaded machine). */
const CLI_TIMEOUT = 180_000;
const SACCT = path.join(ROOT, 'traces', 'sacct');
const PARSL = path.join(ROOT, 'traces', 'parsl');

interface RunRow {
  id: string;
  format: string;
  tasks: number;
  executed: number;
  makespan_s: number | null;
  outcomes: Record<string, number>;
  status?: string;
}

const sha256 = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** A copy of a file in a folder of its own, so that any file SQLite might leave beside it shows. */
function alone(file: string, name = path.basename(file)): string {
  const dir = fs.mkdtempSync(path.join(work, 'alone-'));
  const copy = path.join(dir, name);
  fs.copyFileSync(file, copy);
  return copy;
}

/** A database cut after `bytes`, its header's page count cleared: SQLite then reads what is left and fails on the pages that are missing. */
function truncatedDatabase(file: string, bytes: number, name: string): string {
  const cut = path.join(work, name);
  const data = Buffer.from(fs.readFileSync(file).subarray(0, bytes));
  data.writeUInt32BE(0, 28);
  fs.writeFileSync(cut, data);
  return cut;
}

async function storedRuns(db: string): Promise<RunRow[]> {
  const { json } = await cliJson<RunRow[]>(['runs', '--db', db]);
  return json;
}

describe('asyncscope ingest of sacct output and Parsl databases', () => {
  it('recognises sacct -P, -p, --json (gzip too) and a Parsl database by content, stores a run per Parsl workflow run, and finds them stored when given again', async () => {
    const db = path.join(work, 'detect.db');
    const parsl = alone(path.join(PARSL, 'parsl-1.1.0-htex.monitoring.db'), 'monitoring.db');
    const before = { hash: sha256(parsl), mtime: fs.statSync(parsl).mtimeMs };
    const inputs = [
      path.join(SACCT, 'workflow-async.sacct.txt'),
      path.join(SACCT, 'trailing-bar.sacct.txt'),
      path.join(SACCT, 'allocations.sacct.json'),
      path.join(SACCT, 'all.sacct.json.gz'),
      parsl,
    ];
    const first = await cliJson<RunRow[]>(['ingest', ...inputs, '--db', db]);
    expect(first.code).toBe(0);
    expect(first.json.map((r) => [r.id, r.format, r.tasks, r.status])).toEqual([
      ['workflow-async', 'sacct', 6, 'stored'],
      ['trailing-bar', 'sacct', 29, 'stored'],
      ['allocations', 'sacct', 29, 'stored'],
      ['all', 'sacct', 29, 'stored'],
      ['d789d7cd-348e-4cb6-a19c-1d9ceb496eb3', 'parsl', 14, 'stored'],
      ['9075902e-e8f3-4c18-a550-6adf7342ad6e', 'parsl', 14, 'stored'],
    ]);
    expect(first.json[0].makespan_s).toBe(57); // expected.json: workflow-async, 22:45:58 to 22:46:55
    // Outcomes per run (expected.json of each): 25 COMPLETED, 1 FAILED, 2 CANCELLED, 1 TIMEOUT; Parsl's exec_done, failed, dep_fail.
    expect(first.json[1].outcomes).toEqual({ done: 25, failed: 1, cancelled: 2, timeout: 1 });
    expect(first.json[4].outcomes).toEqual({ done: 12, failed: 1, skipped: 1 });
    // Parsl's database is read, never written: same bytes, same time, nothing beside it.
    expect({ hash: sha256(parsl), mtime: fs.statSync(parsl).mtimeMs }).toEqual(before);
    expect(fs.readdirSync(path.dirname(parsl))).toEqual(['monitoring.db']);

    const again = await cliJson<RunRow[]>(['ingest', ...inputs, '--db', db]);
    expect(again.code).toBe(0);
    expect(again.json.map((r) => r.status)).toEqual(['existing', 'existing', 'existing', 'existing', 'existing', 'existing']);
    expect(await storedRuns(db)).toHaveLength(6);
  }, CLI_TIMEOUT);

  it('takes --parsl-run, --sacct-steps and --format', async () => {
    const db = path.join(work, 'flags.db');
    const one = await cliJson<RunRow[]>(['ingest', path.join(PARSL, 'parsl-1.1.0-htex.monitoring.db'), '--parsl-run', '9075902e-e8f3-4c18-a550-6adf7342ad6e', '--format', 'parsl', '--db', db]);
    expect(one.json.map((r) => r.id)).toEqual(['9075902e-e8f3-4c18-a550-6adf7342ad6e']);
    const jobs = await cliJson<RunRow[]>(['ingest', path.join(SACCT, 'all-fields.sacct.txt'), '--format', 'sacct', '--cores', '20', '--db', db]);
    const steps = await cliJson<RunRow[]>(['ingest', path.join(SACCT, 'all-fields.sacct.txt'), '--sacct-steps', '--cores', '20', '--db', db]);
    expect(jobs.json[0].tasks).toBe(29); // expected.json: 29 allocations
    expect(steps.json[0].tasks).toBe(32); // 6 numbered steps, 25 batch steps, a job that never ran: another run of the same output
    expect(steps.json[0].status).toBe('stored');
    const wrong = await cli(['ingest', path.join(PARSL, 'parsl-1.1.0-htex.monitoring.db'), '--format', 'pegasus', '--db', db]);
    expect(wrong.code).toBe(2);
    // The forced format is refused saying what the file looks like instead (issue 13, point 19).
    expect(wrong.stderr).toMatch(/parsl-1\.1\.0-htex\.monitoring\.db: --format pegasus reads a Pegasus stampede database .*, and this is not one: it looks like a Parsl monitoring database .*\(--format parsl, or leave --format out\)\n$/);
  }, CLI_TIMEOUT);

  it('reads the same runs in a reader thread (as inputs of 4 MB and more are), and reports a damaged run from there alike', async () => {
    const db = path.join(work, 'worker.db');
    const cut = truncatedDatabase(path.join(PARSL, 'parsl-1.1.0-htex.monitoring.db'), 65536, 'cut-in-worker.monitoring.db');
    const inputs = [path.join(PARSL, 'parsl-1.1.0-htex.monitoring.db'), path.join(SACCT, 'all-fields.sacct.txt'), cut];
    const threaded = await cliJson<RunRow[]>(['ingest', ...inputs, '--cores', '20', '--db', db], { env: { ASYNCSCOPE_PARSE_WORKER: 'always' } });
    expect(threaded.code).toBe(2);
    expect(threaded.json.map((r) => [r.id, r.tasks, r.executed, r.outcomes])).toEqual([
      ['d789d7cd-348e-4cb6-a19c-1d9ceb496eb3', 14, 13, { done: 12, failed: 1, skipped: 1 }],
      ['9075902e-e8f3-4c18-a550-6adf7342ad6e', 14, 13, { done: 12, failed: 1, skipped: 1 }],
      ['all-fields', 29, 28, { done: 25, failed: 1, cancelled: 2, timeout: 1 }],
    ]);
    expect(threaded.json[2].makespan_s).toBe(207);
    expect(threaded.stderr).toMatch(/cut-in-worker\.monitoring\.db: run d789d7cd-348e-4cb6-a19c-1d9ceb496eb3: damaged: not a readable SQLite database \(table try: database disk image is malformed\)/);
  }, CLI_TIMEOUT);

  /** Runs ingest into `db`, expects exit 2, and returns its error lines, the first matching `message`. */
  async function expectRefused(db: string, args: string[], message: RegExp): Promise<string[]> {
    const result = await cli(['ingest', ...args, '--db', db]);
    expect(result.code).toBe(2);
    const errors = result.stderr.split('\n').filter((line) => line.startsWith('asyncscope: error:'));
    expect(errors[0]).toMatch(message);
    return errors;
  }

  it('refuses sacct dumps cut short with one error naming file and line, and stores nothing', async () => {
    const db = path.join(work, 'hostile-text.db');
    expect((await cli(['ingest', path.join(SACCT, 'array.sacct.txt'), '--db', db])).code).toBe(0);
    const text = fs.readFileSync(path.join(SACCT, 'workflow-async.sacct.txt'), 'utf8');
    const cutText = path.join(work, 'cut.sacct.txt');
    fs.writeFileSync(cutText, text.slice(0, text.indexOf('\n', text.length / 2) + 20));
    const cutJson = path.join(work, 'cut.sacct.json');
    fs.writeFileSync(cutJson, fs.readFileSync(path.join(SACCT, 'allocations.sacct.json'), 'utf8').slice(0, 30000));

    await expectRefused(db, [cutText], /cut\.sacct\.txt:\d+: \d+ fields where the header names 25/);
    await expectRefused(db, [cutJson], /cut\.sacct\.json:\d+: not valid JSON: the document ends before it is complete \(truncated\?\)/);
    // Nothing of them was stored: the one good run is all there is.
    expect((await storedRuns(db)).map((r) => r.id)).toEqual(['array']);
  }, CLI_TIMEOUT);

  it('refuses a truncated database, another system\'s and a compressed one with one error naming file and table, and stores nothing', async () => {
    const db = path.join(work, 'hostile-db.db');
    expect((await cli(['ingest', path.join(SACCT, 'array.sacct.txt'), '--db', db])).code).toBe(0);
    const cutParsl = truncatedDatabase(path.join(PARSL, 'parsl-1.1.0-htex.monitoring.db'), 65536, 'cut.monitoring.db');
    const otherDb = path.join(work, 'other.db');
    const other = new Database(otherDb);
    other.exec('CREATE TABLE experiments (id TEXT, started TEXT)');
    other.close();
    const zipped = path.join(work, 'monitoring.db.gz');
    fs.writeFileSync(zipped, zlib.gzipSync(fs.readFileSync(path.join(PARSL, 'parsl-1.1.0-htex.monitoring.db'))));

    const parslErrors = await expectRefused(db, [cutParsl], /cut\.monitoring\.db: run [0-9a-f-]{36}: damaged: not a readable SQLite database \(table (try|status|task): database disk image is malformed\)$/);
    expect(parslErrors.filter((line) => !/inputs failed/.test(line))).toHaveLength(2); // one per workflow run it holds
    await expectRefused(db, [otherDb], /other\.db: not a recognised trace: an SQLite database that is no trace this reader knows \(tables: experiments\)/);
    await expectRefused(db, [otherDb, '--format', 'parsl'], /other\.db: not a Parsl monitoring database: it has no workflow, task, status table \(tables: experiments\)/);
    await expectRefused(db, [zipped], /monitoring\.db\.gz: not a recognised trace: a gzip-compressed SQLite database: decompress it first/);
    expect((await storedRuns(db)).map((r) => r.id)).toEqual(['array']);
  }, CLI_TIMEOUT);
});

describeWithShared('asyncscope ingest of Pegasus stampede databases (../shared/traces/pegasus)', () => {
  it('recognises a stampede database by content, and refuses one of a schema version it does not know by its number', async () => {
    const db = path.join(work, 'pegasus.db');
    const success = sharedTrace('pegasus', 'process_wf_success', 'process-0.stampede.db');
    const { code, json } = await cliJson<RunRow[]>(['ingest', success, '--cores', '4', '--db', db]);
    expect(code).toBe(0);
    // The shared README: 5 tasks, all executed, 64 s.
    expect(json.map((r) => [r.id, r.format, r.tasks, r.executed, r.makespan_s])).toEqual([['process-0', 'pegasus', 5, 5, 64]]);

    const future = alone(success, 'future.stampede.db');
    fs.chmodSync(future, 0o644);
    const edit = new Database(future);
    edit.prepare('UPDATE dbversion SET version_number = 99').run();
    edit.close();
    const refused = await cli(['ingest', future, '--db', db]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/future\.stampede\.db: a Pegasus stampede database of schema version 99, which this reader does not know \(it reads versions 1 to 14: Pegasus 4\.5 to 5\.1\)/);
    expect(await storedRuns(db)).toHaveLength(1);
  }, CLI_TIMEOUT);
});

describeWithShared('asyncscope ingest of Pegasus stampede databases in a reader thread (../shared/traces/pegasus)', () => {
  /** Every stored run, task and event, numbers as SQLite holds them (compared to the bit). */
  function storedContent(db: string): unknown {
    const store = new Database(db, { readonly: true });
    try {
      return {
        runs: store.prepare('SELECT id, content_hash, epoch, tasks, executed, makespan_s, outcomes, warnings FROM runs ORDER BY pk').all(),
        tasks: store.prepare('SELECT * FROM tasks ORDER BY run_pk, idx').raw(true).all(),
        events: store.prepare('SELECT * FROM events ORDER BY run_pk, task_idx, seq').raw(true).all(),
        edges: store.prepare('SELECT * FROM task_edges ORDER BY run_pk, parent_idx, child_idx').raw(true).all(),
      };
    } finally {
      store.close();
    }
  }

  // ASYNCSCOPE_PARSE_WORKER=always also reads the invocations and the earliest EXECUTE in a thread
  // of their own (pegasus/invocations.ts), as databases of 64 MB and more are.
  it('stores the same runs, tasks, events and edges when it reads in a reader thread (as inputs of 4 MB and more are) as here', async () => {
    const generated = path.join(work, 'generated.stampede.db');
    expect((await cli(['gen', '--tasks', '3000', '--per-pipeline', '500', '--format', 'pegasus', '--out', generated])).code).toBe(0);
    const inputs = [
      sharedTrace('pegasus', 'process_wf_success', 'process-0.stampede.db'),
      sharedTrace('pegasus', 'process_wf_failure', 'process-0.stampede.db'),
      sharedTrace('pegasus', 'hierarchical_wf_success', 'hierarchical-workflow-0.stampede.db'),
      sharedTrace('pegasus', 'sample_wf_held', 'Drug-Combination-Therapy-0.stampede.db'),
      generated,
    ];
    const here = path.join(work, 'pegasus-here.db');
    const threaded = path.join(work, 'pegasus-threaded.db');
    expect((await cli(['ingest', ...inputs, '--db', here], { env: { ASYNCSCOPE_PARSE_WORKER: 'never' } })).code).toBe(0);
    expect((await cli(['ingest', ...inputs, '--db', threaded], { env: { ASYNCSCOPE_PARSE_WORKER: 'always' } })).code).toBe(0);
    const expected = storedContent(here) as { runs: { epoch: number | null }[] };
    expect(expected.runs.length).toBeGreaterThanOrEqual(5);
    expect(expected.runs.every((run) => typeof run.epoch === 'number')).toBe(true);
    expect(storedContent(threaded)).toEqual(expected);
  }, CLI_TIMEOUT);

  it('names the table and row of a bad invocation read in the invocation thread as reading here does, and stores nothing', async () => {
    const generated = path.join(work, 'bad-invocation.stampede.db');
    expect((await cli(['gen', '--tasks', '300', '--format', 'pegasus', '--out', generated])).code).toBe(0);
    const edit = new Database(generated);
    const instance = edit.prepare('SELECT job_instance_id FROM invocation WHERE task_submit_seq >= 0 ORDER BY invocation_id LIMIT 1 OFFSET 150').pluck().get() as number;
    edit.prepare('UPDATE invocation SET start_time = ? WHERE job_instance_id = ? AND task_submit_seq >= 0').run('soon', instance);
    edit.close();
    const messages = [];
    for (const mode of ['never', 'always']) {
      const db = path.join(work, `bad-invocation-${mode}.db`);
      const result = await cli(['ingest', generated, '--db', db], { env: { ASYNCSCOPE_PARSE_WORKER: mode } });
      expect(result.code).toBe(2);
      expect(await storedRuns(db)).toEqual([]);
      messages.push(result.stderr);
    }
    expect(messages[0]).toContain(`table invocation, job_instance_id ${instance}: start_time "soon" is not what Pegasus writes there`);
    expect(messages[1]).toBe(messages[0]);
  }, CLI_TIMEOUT);
});
