/**
 * The workflow systems' traces through the commands a user runs: ingest (detected by content and
 * by --format), runs, analyze, durations, report, export, and predict --from-run on the runs that
 * have a DAG (Snakemake, Dask with its graph.json). Real samples: traces/snakemake, traces/dask
 * (made here by the systems themselves), ../shared/traces/nextflow; Ray's timeline is hand-made
 * after Ray's code (test/fixtures/chrome/README.md).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, cliJson, ROOT, tempDir } from '../helpers/cli.js';
import { describeWithShared, sharedTrace } from '../helpers/shared-traces.js';

const work = tempDir();
/** Each test runs the CLI several times, on a machine that may be busy. */
const SLOW = 240_000;
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const SNAKEMAKE = path.join(ROOT, 'traces', 'snakemake');
const DASK = path.join(ROOT, 'traces', 'dask');
const RAY = path.join(ROOT, 'test', 'fixtures', 'chrome', 'ray-task-events.json');

interface RunJson {
  id: string;
  format: string;
  tasks: number;
  executed: number;
  incomplete: number;
  makespan_s: number | null;
  cores: number | null;
  outcomes: Record<string, number>;
  status: string;
  warnings: string[];
}

async function ingest(db: string, args: string[]): Promise<RunJson[]> {
  const { code, json, stderr } = await cliJson<RunJson[]>(['ingest', ...args, '--db', db]);
  expect(code, stderr).toBe(0);
  return json;
}

describe('Snakemake through the commands', () => {
  const db = path.join(work, 'snakemake.db');
  const expected = JSON.parse(fs.readFileSync(path.join(SNAKEMAKE, 'expected.json'), 'utf8')) as Record<string, { makespan_s: number; critical_path: { length_s: number } }>;

  it('ingest finds each working directory in a folder walk, by content', async () => {
    const runs = await ingest(db, [SNAKEMAKE]);
    expect(runs.map((r) => [r.id.split('.')[0], r.format, r.tasks, r.executed, r.incomplete])).toEqual([
      ['failure', 'snakemake', 12, 9, 0],
      ['interrupted', 'snakemake', 12, 7, 2],
      ['paper-example', 'snakemake', 12, 12, 0],
      ['rerun', 'snakemake', 12, 4, 0],
    ]);
    const rerun = runs[3];
    expect(rerun.makespan_s).toBeCloseTo(expected.rerun.makespan_s, 6);
    // Jobs up to date are cached (no start or end), those never started after B2 failed skipped,
    // the two cut off by the interruption running, those it never reached pending.
    expect(rerun.outcomes).toEqual({ done: 4, cached: 8 });
    expect(runs[0].outcomes).toEqual({ done: 8, failed: 1, skipped: 3 });
    expect(runs[1].outcomes).toEqual({ done: 7, running: 2, pending: 3 });
    expect(runs[2].outcomes).toEqual({ done: 12 });
  }, SLOW);

  it('a second ingest of a working directory is recognised (its records and logs hashed, not its outputs)', async () => {
    const runs = await ingest(db, [path.join(SNAKEMAKE, 'paper-example')]);
    expect(runs.map((r) => [r.id, r.status])).toEqual([['paper-example.2026-12-01T221430', 'existing']]);
  }, SLOW);

  it('a record that is not one is skipped and named; a workdir whose records form a cycle is an error naming it, the db left as it was', async () => {
    const copy = path.join(work, 'hostile-snakemake');
    fs.cpSync(path.join(SNAKEMAKE, 'paper-example'), copy, { recursive: true });
    const metadata = path.join(copy, '.snakemake', 'metadata');
    fs.writeFileSync(path.join(metadata, Buffer.from('junk.txt').toString('base64')), '{"not": "a record"');
    const hostileDb = path.join(work, 'hostile-snakemake.db');
    const [run] = await ingest(hostileDb, [copy]);
    expect(run.tasks).toBe(12);
    expect(run.warnings.join('\n')).toMatch(/1 file\(s\) in \.snakemake\/metadata are not Snakemake records and were skipped \(first: anVuay50eHQ=\)/);

    // Without the log, the records give the jobs and their inputs: results/A/to_b.txt made from
    // results/B1.txt, which is made from it.
    fs.rmSync(path.join(copy, '.snakemake', 'log'), { recursive: true });
    const record = (name: string) => path.join(metadata, Buffer.from(name).toString('base64'));
    const toB = JSON.parse(fs.readFileSync(record('results/A/to_b.txt'), 'utf8')) as { input: string[] };
    toB.input = ['results/B1.txt'];
    fs.writeFileSync(record('results/A/to_b.txt'), JSON.stringify(toB));
    const before = await cliJson<unknown[]>(['runs', '--json', '--db', hostileDb]);
    const result = await cli(['ingest', copy, '--replace', '--db', hostileDb]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/hostile-snakemake: \.snakemake\/metadata: the records' files depend on each other in a cycle/);
    expect((await cliJson<unknown[]>(['runs', '--json', '--db', hostileDb])).json).toEqual(before.json);
  }, SLOW);

  it('predict --from-run models the DAG of the files: without overhead, async_ideal is the run\'s critical path', async () => {
    const run = 'paper-example.2026-12-01T221430';
    const { code, json, stderr } = await cliJson<{ async_ideal_s: number; async_s: number; sync_s: number }>(['predict', '--from-run', run, '--overhead', '0', '--db', db]);
    expect(code, stderr).toBe(0);
    expect(json.async_ideal_s).toBeCloseTo(expected['paper-example'].critical_path.length_s, 6);
    // On the run's 4 cores, threads as cores: never faster than the critical path, never slower than level by level.
    expect(json.async_s).toBeGreaterThanOrEqual(json.async_ideal_s - 1e-9);
    expect(json.async_s).toBeLessThanOrEqual(json.sync_s + 1e-9);
  }, SLOW);

  it('analyze, report and export work on it', async () => {
    const run = 'paper-example.2026-12-01T221430';
    const analyze = await cliJson<{ runs: { utilization: { cpu: number | null }; groups: { name: string }[] }[] }>(['analyze', run, '--db', db]);
    expect(analyze.code).toBe(0);
    expect(analyze.json.runs[0].utilization.cpu).toBeGreaterThan(0);
    expect(analyze.json.runs[0].groups.map((g) => g.name)).toContain('process');
    const html = path.join(work, 'snakemake.html');
    expect((await cli(['report', run, '--out', html, '--db', db])).code).toBe(0);
    expect(fs.readFileSync(html, 'utf8')).toContain('paper-example');
    const csv = path.join(work, 'snakemake.csv');
    expect((await cli(['export', run, '--out', csv, '--db', db])).code).toBe(0);
    expect(fs.readFileSync(csv, 'utf8').split('\n')[0]).toMatch(/^uid,name,type,/);
  }, SLOW);
});

describe('Dask through the commands', () => {
  const db = path.join(work, 'dask.db');
  const expected = JSON.parse(fs.readFileSync(path.join(DASK, 'expected.json'), 'utf8')) as Record<string, { makespan_s: number; critical_path: { length_s: number }; transfers: number }>;

  it('ingest --format dask, with the capacity of scheduler-info.json and the DAG of graph.json', async () => {
    const [run] = await ingest(db, [path.join(DASK, 'paper-example', 'task-stream.jsonl'), '--format', 'dask', '--label', 'dask-run']);
    expect(run).toMatchObject({ format: 'dask', tasks: 32, executed: 31, cores: 4, outcomes: { done: 30, failed: 1, skipped: 1 } });
    expect(run.makespan_s).toBeCloseTo(expected['paper-example'].makespan_s, 6);
    const { code, json } = await cliJson<{ async_ideal_s: number }>(['predict', '--from-run', 'dask-run', '--overhead', '0', '--db', db]);
    expect(code).toBe(0);
    expect(json.async_ideal_s).toBeCloseTo(expected['paper-example'].critical_path.length_s, 6);
  }, SLOW);

  it('a folder of streams: each found by content, named by its folder', async () => {
    const runs = await ingest(path.join(work, 'dask-walk.db'), [DASK]);
    expect(runs.map((r) => [r.id, r.format, r.tasks])).toEqual([
      ['paper-example.task-stream', 'dask', 32],
      ['paper-example.task-stream-2', 'dask', 32],
      ['spill.task-stream', 'dask', 32],
      ['spill.task-stream-2', 'dask', 32],
    ]);
  }, SLOW);

  it('durations and concurrency measure the transfers and how much of them computation hid', async () => {
    const { code, json } = await cliJson<{ tasks: number; spans: number; total_s: number; overlap_execution_s: number; overlap_execution_fraction: number }>([
      'durations', 'dask-run', '--from', 'transfer_start', '--to', 'transfer_end', '--all-spans', '--db', db,
    ]);
    expect(code).toBe(0);
    expect(json.spans).toBe(expected['paper-example'].transfers);
    expect(json.overlap_execution_s).toBeGreaterThan(0);
    expect(json.overlap_execution_s).toBeLessThanOrEqual(json.total_s + 1e-12);
    const concurrency = await cliJson<{ tasks: number; max: number }>(['concurrency', 'dask-run', '--from', 'transfer_start', '--to', 'transfer_end', '--all-spans', '--db', db]);
    expect(concurrency.code).toBe(0);
    expect(concurrency.json.tasks).toBe(expected['paper-example'].transfers);
    expect(concurrency.json.max).toBeGreaterThanOrEqual(1);
  }, SLOW);

  it('report and export work on it', async () => {
    expect((await cli(['report', 'dask-run', '--out', path.join(work, 'dask.html'), '--db', db])).code).toBe(0);
    expect((await cli(['export', 'dask-run', '--out', path.join(work, 'dask.json'), '--db', db])).code).toBe(0);
  }, SLOW);
});

describe('a Ray timeline through the commands (hand-made after Ray\'s code)', () => {
  it('ingest, analyze, durations of a phase, export', async () => {
    const db = path.join(work, 'ray.db');
    const [run] = await ingest(db, [RAY, '--cores', '8']);
    expect(run).toMatchObject({ format: 'chrome', tasks: 5, executed: 5 });
    expect((await cli(['analyze', run.id, '--db', db])).code).toBe(0);
    const { json } = await cliJson<{ tasks: number }>(['durations', run.id, '--from', 'execute_start', '--to', 'execute_end', '--db', db]);
    expect(json.tasks).toBe(5);
    expect((await cli(['export', run.id, '--out', path.join(work, 'ray.csv'), '--db', db])).code).toBe(0);
  }, SLOW);
});

describeWithShared('Nextflow through the commands (real traces in ../shared/traces/nextflow)', () => {
  const dir = sharedTrace('nextflow');
  const db = path.join(work, 'nextflow.db');
  const trace = path.join(dir, 'mandolin_cached', 'pipeline_trace.txt');

  it('ingest --tz, the cached tasks counted apart; analyze, durations of the queue, report, export', async () => {
    const [run] = await ingest(db, [trace, '--tz', 'Asia/Singapore', '--cores', '32', '--label', 'mandolin']);
    expect(run).toMatchObject({ format: 'nextflow', tasks: 43, executed: 37, outcomes: { done: 37, cached: 6 } });
    expect(run.makespan_s).toBeCloseTo(21592.229, 3);
    expect(run.warnings.join('\n')).not.toMatch(/read as UTC/);
    expect((await cli(['analyze', 'mandolin', '--db', db])).code).toBe(0);
    const queue = await cliJson<{ tasks: number }>(['durations', 'mandolin', '--from', 'submit', '--to', 'start', '--db', db]);
    expect(queue.json.tasks).toBe(37);
    expect((await cli(['report', 'mandolin', '--out', path.join(work, 'nf.html'), '--db', db])).code).toBe(0);
    expect((await cli(['export', 'mandolin', '--out', path.join(work, 'nf.jsonl'), '--db', db])).code).toBe(0);
  }, SLOW);

  it('detected by content whatever its name; --format nextflow on a bad row: one error naming file, line and field, nothing stored', async () => {
    const renamed = path.join(work, 'whatever.log');
    fs.copyFileSync(path.join(dir, 'scisoseq_cached_failed', 'execution_trace.txt'), renamed);
    const [run] = await ingest(db, [renamed]);
    // FAILED keeps its interval (it used the machine); CACHED has none.
    expect(run).toMatchObject({ id: 'whatever.log', format: 'nextflow', tasks: 8, executed: 2, outcomes: { done: 1, failed: 1, cached: 6 } });

    const lines = fs.readFileSync(path.join(dir, 'openproblems', 'execution_trace.txt'), 'utf8').split('\n');
    const header = lines[0].split('\t');
    const cells = lines[5].split('\t');
    cells[header.indexOf('duration')] = 'a while';
    lines[5] = cells.join('\t');
    const bad = path.join(work, 'bad-trace.txt');
    fs.writeFileSync(bad, lines.join('\n'));
    const before = await cliJson<unknown[]>(['runs', '--json', '--db', db]);
    const result = await cli(['ingest', bad, '--format', 'nextflow', '--db', db]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/bad-trace\.txt:6: field "duration": "a while" is not a duration/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect((await cliJson<unknown[]>(['runs', '--json', '--db', db])).json).toEqual(before.json);
  }, SLOW);

  it('task names are untrusted: the report escapes them', async () => {
    const trace = path.join(work, 'names-trace.txt');
    fs.writeFileSync(trace, 'task_id\tname\tstatus\tsubmit\tduration\trealtime\n1\t<img src=x onerror=alert(1)>\tCOMPLETED\t2024-01-01 00:00:00.000\t2s\t1s\n');
    const namesDb = path.join(work, 'names.db');
    const [run] = await ingest(namesDb, [trace, '--cores', '1']);
    const html = path.join(work, 'names.html');
    expect((await cli(['report', run.id, '--out', html, '--db', namesDb])).code).toBe(0);
    expect(fs.readFileSync(html, 'utf8')).not.toContain('<img src=x');
  }, SLOW);

  it('a bad --tz is a one-line error, exit 2', async () => {
    const result = await cli(['ingest', trace, '--tz', 'Mars/Olympus', '--db', path.join(work, 'bad-tz.db')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown time zone "Mars\/Olympus"/);
  }, SLOW);
});
