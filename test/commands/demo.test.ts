/**
 * `asyncscope demo` as a user runs it on a fresh clone: the DG2-shaped spec run for real both
 * ways on this machine, both runs stored, one report written; and `demo --traces DIR` on a small
 * folder of task tables made here. The timing figures depend on the machine's load, so they are
 * checked against the recorded traces and the model with wide bounds (docs/runner.md gives the
 * figures measured on an idle machine).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { cli, tempDir } from '../helpers/cli.js';
import { section } from '../helpers/html.js';
import { fileStore } from '../helpers/store.js';

const work = tempDir('asyncscope-demo-');
const reports = path.join(work, 'reports');
const dbFile = path.join(reports, 'demo.db');
let demo: { code: number; stdout: string; stderr: string };
let html: string;
let store: SqliteStore;

beforeAll(async () => {
  fs.mkdirSync(reports);
  fs.writeFileSync(dbFile, 'not a database: the demo must recreate it');
  // From another folder: the demo finds its spec from the package root, not the working folder.
  demo = await cli(['demo'], { cwd: work });
  html = fs.readFileSync(path.join(reports, 'demo.html'), 'utf8');
  store = fileStore(dbFile, { access: 'read' });
}, 180_000);

afterAll(async () => {
  await store?.close();
  fs.rmSync(work, { recursive: true, force: true });
});

describe('asyncscope demo', () => {
  it('runs the spec both ways and prints what ran, the report, the comparison and where the runs are', () => {
    expect(demo.stderr).toBe('');
    expect(demo.code).toBe(0);
    const lines = demo.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^ran traces\/specs\/dg2-local\.yaml on this machine: sync \d+\.\d{3} s \(model 11\.500 s\); async \d+\.\d{3} s \(model 8\.500 s\)$/);
    expect(lines[1]).toBe(path.join('reports', 'demo.html'));
    expect(lines[2]).toMatch(/^DG2 on this machine: async saved \d+\.\d% of the synchronous makespan \(model predicted \d+\.\d%, [+-]\d+\.\d pp\)\.$/);
    expect(lines[3]).toMatch(/^2 runs \(dg2-local-sync, dg2-local-async\) in reports\/demo\.db; \d+ charts/);
  });

  it('stores both runs, whole, with their modes, and async took less time than sync, each near the model', async () => {
    const runs = await store.listRuns();
    expect(runs.map((r) => [r.label, r.mode, r.workflow, r.tasks, r.executed, r.capacity.nodes, r.capacity.cores, r.capacity.gpus])).toEqual([
      ['dg2-local-sync', 'sync', 'DG2', 18, 18, 2, 16, 4],
      ['dg2-local-async', 'async', 'DG2', 18, 18, 2, 16, 4],
    ]);
    const [sync, async] = runs;
    // Never faster than the model (tasks sleep at least their duration); loaded machines add launch time.
    expect(sync.makespanS!).toBeGreaterThanOrEqual(11.5);
    expect(sync.makespanS!).toBeLessThan(11.5 * 1.5);
    expect(async.makespanS!).toBeGreaterThanOrEqual(8.5);
    expect(async.makespanS!).toBeLessThan(sync.makespanS!);
    // the runner's trace: every task DONE, exit code 0, its slots and its parents
    const tasks = await store.loadTasks(async);
    for (let i = 0; i < tasks.length; i++) expect([tasks.state[i], tasks.exit_code[i], tasks.cpu_slots[i] !== null]).toEqual(['DONE', 0, true]);
    expect((await store.loadEdges(async)).length).toBeGreaterThan(0);
  });

  it('writes one report comparing the two runs with the model, and a section per run', () => {
    const ids = [...html.matchAll(/<section id="([^"]+)">/g)].map((m) => m[1]);
    expect(ids).toEqual(['summary', 'comparisons', 'pair-1', 'why', 'why-1', 'why-2', 'whatif', 'whatif-1', 'runs', 'run-1', 'run-2', 'definitions']);
    expect(section(html, 'pair-1')).toContain('<h3>DG2 on this machine: synchronous vs asynchronous</h3>');
    expect(section(html, 'run-2')).toContain('<h3>Run dg2-local-async (async)</h3>');
    for (let i = 1; i <= 2; i++) for (const chart of ['timeline', 'concurrency', 'cpu', 'gpu', 'overlap']) expect(html).toContain(`id="run-${i}-${chart}"`);
    for (const chart of ['makespans', 'sync', 'async']) expect(html).toContain(`id="pair-1-${chart}"`);
    // why each run took as long as it did, and what if the machine were another
    for (let i = 1; i <= 2; i++) for (const chart of ['path', 'waits']) expect(html).toContain(`id="why-${i}-${chart}"`);
    for (const chart of ['nodes', 'sweep']) expect(html).toContain(`id="whatif-1-${chart}"`);
    expect(html).not.toMatch(/<script/i);
  });
});

describe('asyncscope demo --traces DIR', () => {
  it('reports on the traces of a folder: modes and workflows from their names, a comparison per workflow with both', async () => {
    const folder = tempDir('asyncscope-demo-traces-');
    const traces = path.join(folder, 'traces');
    fs.mkdirSync(traces);
    // The paper's example at 1/100: A 5 s, then B 10 -> 20 -> 20 beside C 10 -> 40. Level by level
    // 5 + 10 + 40 + 20 = 75 s; asynchronously 5 + max(50, 50) = 55 s.
    const header = 'id,type,start,end,cores,parents';
    fs.writeFileSync(
      path.join(traces, 'paper-sync.csv'),
      [header, 'a,A,0,5,1,', 'b1,B1,5,15,1,a', 'c1,C1,5,15,1,a', 'b2,B2,15,35,1,b1', 'c2,C2,15,55,1,c1', 'b3,B3,55,75,1,b2'].join('\n'),
    );
    fs.writeFileSync(
      path.join(traces, 'paper-async.csv'),
      [header, 'a,A,0,5,1,', 'b1,B1,5,15,1,a', 'c1,C1,5,15,1,a', 'b2,B2,15,35,1,b1', 'c2,C2,15,55,1,c1', 'b3,B3,35,55,1,b2'].join('\n'),
    );
    fs.writeFileSync(path.join(traces, 'other.csv'), [header, 'x,X,0,1,1,'].join('\n'));
    const out = path.join(folder, 'out');
    // Task tables do not say what machine they ran on: without --cores there is nothing to compare on.
    const unknown = await cli(['demo', '--traces', traces, '--out-dir', out]);
    expect(unknown.stderr).toContain('capacity unknown');
    expect(unknown.stderr).toMatch(/error: run paper-sync does not state its machine's cores/);
    expect(unknown.code).toBe(2);
    const result = await cli(['demo', '--traces', traces, '--out-dir', out, '--cores', '2', '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as { out: string; db: string; spec: string | null; runs: { label: string; mode: string; workflow: string | null }[] };
    expect(json.spec).toBeNull();
    expect(json.runs.map((r) => [r.label, r.mode, r.workflow])).toEqual([
      ['other', 'unknown', null],
      ['paper-async', 'async', 'paper'],
      ['paper-sync', 'sync', 'paper'],
    ]);
    const report = fs.readFileSync(path.join(out, 'demo.html'), 'utf8');
    expect(section(report, 'pair-1')).toContain('<h3>paper: synchronous vs asynchronous</h3>');
    // measured: 75 s vs 55 s, 26.7% saved
    expect(section(report, 'pair-1')).toContain('async <strong>saved 26.7%</strong>');
    fs.rmSync(folder, { recursive: true, force: true });
  }, 120_000);

  it('refuses a folder that does not exist, and one without any trace', async () => {
    const folder = tempDir('asyncscope-demo-empty-');
    const missing = await cli(['demo', '--traces', path.join(folder, 'nope'), '--out-dir', folder]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--traces .*nope: not a folder/);
    const empty = await cli(['demo', '--traces', folder, '--out-dir', path.join(folder, 'out')]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/no trace could be stored/);
    fs.rmSync(folder, { recursive: true, force: true });
  });
});
