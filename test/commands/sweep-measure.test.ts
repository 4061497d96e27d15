/**
 * asyncscope sweep --measure as a user runs it: a hand-computed family run for real both ways
 * against the model, the runs stored under their labels and analyzed again, the report's chart,
 * the scale fitted to a budget, a plan over budget refused, Ctrl-C, and bad flags.
 *
 * Timing assertions are loose on purpose: the machine has 2 cores shared with other work (load
 * averages of 8 to 25 were seen while these were written), and every task's launch adds to a
 * measured makespan. The assertions are on structure, on sleeps never ending early, and on the
 * improvement within 15 points of the model's on runs of 1.4 to 4.4 s.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, cli, cliJson, fileWriter, ROOT, tempDir } from '../helpers/cli.js';
import { alive } from '../helpers/processes.js';
import { figure, section, tables } from '../helpers/html.js';

const work = tempDir();
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/**
 * A 0.2 s, then B1 0.2 s -> B2 1.0 s beside C1 1.0 s -> C2 0.2 s, on 2 cores. Level by level:
 * 0.2 + 1.0 + 1.0 = 2.2 s; asynchronously 0.2 + max(1.2, 1.2) = 1.4 s (36.4%). Between levels 1
 * and 2 it lacks C1 -> B2 and B1 -> C2 (M = 2; C1 -> B2 is dropped first, both in level 2). Member
 * 2 (both kept) is the chain of levels: 2.2 s both ways. Member 1 keeps B1 -> C2: C2 waits for B1
 * (0.4) and C1 (1.2) and ends at 1.4, as B2 does: 1.4 s. Member 0 is the workflow: 1.4 s.
 */
const TWO_BRANCHES = `name: two branches
platform: { cores: 2 }
stages:
  - { name: A, tasks: 1, duration_s: 0.2 }
  - { name: B1, tasks: 1, duration_s: 0.2, after: [A] }
  - { name: B2, tasks: 1, duration_s: 1.0, after: [B1] }
  - { name: C1, tasks: 1, duration_s: 1.0, after: [A] }
  - { name: C2, tasks: 1, duration_s: 0.2, after: [C1] }
`;

const POINT_FIELDS = [
  'kept', 'degree', 'doa', 'sync_s', 'async_s', 'improvement', 'predicted_sync_s', 'predicted_async_s',
  'measured_doa', 'measured_sync_s', 'measured_async_s', 'measured_improvement', 'sync_run', 'async_run',
];
const MEASURE_FIELDS = ['scale', 'budget_s', 'planned_s', 'elapsed_s', 'platform', 'failed_tasks', 'db', 'label_prefix', 'load_average'];

interface SweepPointJson {
  kept: number;
  degree: number;
  doa: number;
  sync_s: number;
  async_s: number;
  improvement: number;
  predicted_sync_s: number | null;
  predicted_async_s: number | null;
  measured_doa: number | null;
  measured_sync_s: number | null;
  measured_async_s: number | null;
  measured_improvement: number | null;
  sync_run: string | null;
  async_run: string | null;
}

interface SweepJson {
  workflow: string;
  barriers: number;
  points: SweepPointJson[];
  measured: null;
  measure: {
    scale: number;
    budget_s: number;
    planned_s: number;
    elapsed_s: number;
    platform: { nodes: number | null; cores: number; gpus: number };
    failed_tasks: number;
    db: string | null;
    label_prefix: string;
    load_average: { start: number; end: number };
  } | null;
  report: string | null;
}

const write = fileWriter(work);

describe('asyncscope sweep --measure', () => {
  it('runs every member both ways, within 15 points of the predicted improvement, stores the runs under their labels, and draws the report', async () => {
    const spec = write('two.yaml', TWO_BRANCHES);
    const db = path.join(work, 'two.db');
    const report = path.join(work, 'two.html');
    // Scale 2: the model's makespans are 4.4 s and 2.8 s, long enough for launches of tenths of a second under load.
    const result = await cliJson<SweepJson>(['sweep', spec, '--measure', '--scale', '2', '--budget', '30s', '--label', 'two', '--db', db, '--report', report]);
    expect(result.code, result.stderr).toBe(0);
    const { json } = result;
    // The plan, on stderr before anything ran: 3 members, 2 x (2.2 + 2.2 + 2.2 + 1.4 + 2.2 + 1.4) = 23.2 s,
    // and 6 runs of 5 tasks started at 15 ms each.
    expect(result.stderr).toContain('measuring 3 member(s) of two branches both ways, 6 runs one at a time at scale 2: about 23.650 s (23.200 s of tasks, 0.450 s of starting them)\n');
    expect(json.points.map((p) => [p.kept, p.sync_s, p.async_s])).toEqual([
      [2, 2.2, 2.2],
      [1, 2.2, 1.4],
      [0, 2.2, 1.4],
    ]);
    for (const p of json.points) {
      expect(Object.keys(p)).toEqual(POINT_FIELDS);
      expect([p.predicted_sync_s, p.predicted_async_s]).toEqual([2 * p.sync_s, 2 * p.async_s]);
      expect(p.sync_run).toBe(`two-${p.kept}-sync`);
      expect(p.async_run).toBe(`two-${p.kept}-async`);
      // Sleeps never end early; launches add to them (a few ms idle, tenths of a second under heavy load).
      expect(p.measured_sync_s!).toBeGreaterThanOrEqual(p.predicted_sync_s! - 1e-3);
      expect(p.measured_async_s!).toBeGreaterThanOrEqual(p.predicted_async_s! - 1e-3);
      expect(p.measured_sync_s!).toBeLessThan(p.predicted_sync_s! * 1.5);
      expect(p.measured_async_s!).toBeLessThan(p.predicted_async_s! * 1.5);
      expect(p.measured_improvement).toBeCloseTo(1 - p.measured_async_s! / p.measured_sync_s!, 12);
      expect(Math.abs(p.measured_improvement! - p.improvement), `member ${p.kept}`).toBeLessThan(0.15);
      // Two task types at most at a time: doa between 1 and 2, near the model's.
      expect(p.measured_doa!).toBeGreaterThanOrEqual(1);
      expect(p.measured_doa!).toBeLessThanOrEqual(2);
      expect(Math.abs(p.measured_doa! - p.doa)).toBeLessThan(0.35);
    }
    // The gain the model predicts is measured: the workflow itself well ahead of the chain of levels.
    expect(json.points[2].measured_improvement! - json.points[0].measured_improvement!).toBeGreaterThan(0.2);
    expect(Object.keys(json.measure!)).toEqual(MEASURE_FIELDS);
    expect(json.measure).toMatchObject({ scale: 2, budget_s: 30, planned_s: expect.closeTo(23.65, 9), platform: { nodes: null, cores: 2, gpus: 0 }, failed_tasks: 0, db, label_prefix: 'two' });
    expect(json.measure!.elapsed_s).toBeGreaterThanOrEqual(23.2);
    expect(json.report).toBe(report);

    // The six runs, complete, under their labels; analyze reads the same doa from the stored async run.
    const sqlite = new Database(db, { readonly: true });
    expect(sqlite.prepare('SELECT label, mode, tasks FROM runs ORDER BY label').all()).toEqual(
      ['0', '1', '2'].flatMap((k) => [
        { label: `two-${k}-async`, mode: 'async', tasks: 5 },
        { label: `two-${k}-sync`, mode: 'sync', tasks: 5 },
      ]),
    );
    sqlite.close();
    const analyzed = await cliJson<{ runs: { makespan_s: number; asynchronicity: { doa: number } }[] }>(['analyze', 'two-0-async', '--db', db]);
    expect(analyzed.code, analyzed.stderr).toBe(0);
    expect(analyzed.json.runs[0].asynchronicity.doa).toBeCloseTo(json.points[2].measured_doa!, 12);
    expect(analyzed.json.runs[0].makespan_s).toBeCloseTo(json.points[2].measured_async_s!, 6);

    // The report: the chart with its table of predicted and measured points, the makespans beside the model's.
    const html = fs.readFileSync(report, 'utf8');
    // How to make it again, without --db (a PostgreSQL URL there would carry its password).
    expect(/Made with <code>([^<]*)<\/code>/.exec(html)?.[1]).toBe(`asyncscope sweep ${spec} --measure --scale 2 --budget 30s --label two --report ${report} --json`);
    const chart = figure(html, 'sweep');
    expect(chart).toContain('<svg');
    const [points] = tables(chart);
    expect(points.rows.map((r) => r.text[0])).toEqual(['two-2-async', 'two-1-async', 'two-0-async']);
    expect(points.rows.map((r) => r.value[4])).toEqual(json.points.map((p) => p.measured_improvement));
    expect(points.rows.map((r) => r.value[3])).toEqual(json.points.map((p) => p.improvement));
    const [makespans] = tables(section(html, 'makespans'));
    expect(makespans.rows.map((r) => [r.value[2], r.value[3], r.value[5], r.value[6]])).toEqual(json.points.map((p) => [p.predicted_sync_s, p.measured_sync_s, p.predicted_async_s, p.measured_async_s]));
  }, 120_000);

  it('fits the scale to --budget, keeps no run with --no-store, and says when tasks get too short', async () => {
    const db = path.join(work, 'not-kept.db');
    // --branches 2 --levels 2: S 100, then b1 100 -> 200 beside b2 200 -> 100: 500 s level by level;
    // members 2, 1, 0: 500 + 500, 500 + 400, 500 + 400 = 2800 s; 6 runs of 5 tasks started at 15 ms: 0.45 s;
    // (1 s - 0.45 s) / 2800 s = 0.000196 -> 0.0001.
    const result = await cliJson<SweepJson>(['sweep', '--branches', '2', '--levels', '2', '--measure', '--budget', '1s', '--no-store', '--db', db]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.json.measure).toMatchObject({ scale: 0.0001, budget_s: 1, planned_s: expect.closeTo(0.73, 9), db: null, label_prefix: 'sweep' });
    expect(result.json.points.map((p) => [p.kept, p.sync_s, p.async_s])).toEqual([
      [2, 500, 500],
      [1, 500, 400],
      [0, 500, 400],
    ]);
    for (const p of result.json.points) {
      expect([p.sync_run, p.async_run]).toEqual([null, null]);
      expect(p.measured_sync_s).toBeGreaterThan(0.05 - 1e-3);
      expect(p.measured_async_s).toBeGreaterThan(0.04 - 1e-3);
      expect(p.measured_doa).not.toBeNull();
    }
    expect(result.stderr).toContain('asyncscope: warning: at scale 0.0001 the shortest task lasts 10 ms');
    expect(result.stderr).toContain('(fits --budget 1s): about 0.730 s (0.280 s of tasks, 0.450 s of starting them)');
    // A budget the starts alone take is refused.
    const tight = await cli(['sweep', '--branches', '2', '--levels', '2', '--measure', '--budget', '0.4', '--no-store']);
    expect(tight.code).toBe(2);
    expect(tight.stderr).toBe('asyncscope: error: --budget 0.4: starting the 5 tasks of 6 runs alone takes about 0.450 s: give a larger --budget, fewer --points, or a --scale with --force\n');
    expect(fs.existsSync(db)).toBe(false);
  }, 60_000);

  it('refuses a --scale that plans far over --budget before running or opening anything, unless --force', async () => {
    const spec = write('over.yaml', TWO_BRANCHES);
    const db = path.join(work, 'over.db');
    const refused = await cli(['sweep', spec, '--measure', '--scale', '1', '--budget', '5s', '--db', db]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(
      'asyncscope: error: --scale 1: running the 3 members both ways takes about 12.050 s, over --budget 5s (5 s): give a smaller --scale, a larger --budget, or --force\n',
    );
    expect(refused.stdout).toBe('');
    expect(fs.existsSync(db)).toBe(false);
    // Within 1.25 x the budget it runs: --points 2 plans (2.2 + 2.2 + 2.2 + 1.4) x 0.1 = 0.8 s and 4 x 5 starts, 0.3 s.
    const within = await cliJson<SweepJson>(['sweep', spec, '--measure', '--points', '2', '--scale', '0.1', '--budget', '0.9', '--no-store']);
    expect(within.code, within.stderr).toBe(0);
    expect(within.json.points.map((p) => p.kept)).toEqual([2, 0]);
    const forced = await cli(['sweep', spec, '--measure', '--points', '2', '--scale', '0.1', '--budget', '0.1s', '--force', '--no-store']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toMatch(/\nKEPT +DEGREE +DOA +MEASURED_DOA +SYNC_S +MEASURED_SYNC_S +ASYNC_S +MEASURED_ASYNC_S +IMPROVEMENT +MEASURED_IMPROVEMENT\n +2 +0 /);
    expect(forced.stdout).toContain('the runs were not kept (--no-store)');
  }, 60_000);

  it('stops the running tasks on Ctrl-C, keeps none of the runs that had ended, and exits 130 with one line', async () => {
    const pids = path.join(work, 'pids');
    fs.mkdirSync(pids);
    const count = path.join(work, 'count');
    // One member (no barrier edge to add): its synchronous run (3 quick tasks) ends; in the
    // asynchronous run, every task sleeps until stopped.
    const spec = write(
      'interrupted.yaml',
      `platform: { cores: 2 }
stages:
  - { name: a, tasks: 1, duration_s: 0.05, command: "if [ $(cat ${count} 2>/dev/null | wc -l) -ge 3 ]; then echo $$ > ${pids}/{task}; exec sleep 60; fi; echo x >> ${count}" }
  - { name: b, tasks: 2, duration_s: 0.05, after: [a], command: "echo x >> ${count}" }
`,
    );
    const db = path.join(work, 'interrupted.db');
    const report = path.join(work, 'interrupted.html');
    const child = spawn(process.execPath, [BIN, 'sweep', spec, '--measure', '--db', db, '--report', report, '--json'], { cwd: ROOT, env: { ...process.env, CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    const pidFile = path.join(pids, 'a.0');
    const deadline = Date.now() + 30_000;
    while (!(fs.existsSync(pidFile) && fs.readFileSync(pidFile, 'utf8').trim() !== '')) {
      if (Date.now() > deadline) throw new Error(`the asynchronous run did not start: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const pid = Number(fs.readFileSync(pidFile, 'utf8'));
    expect(alive(pid)).toBe(true);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    const lines = stderr.trimEnd().split('\n');
    expect(lines.at(-1)).toBe('asyncscope: interrupted (SIGINT) at member 1 of 1 (0 kept, async): stopped 1 running task(s); nothing was stored or written');
    expect(lines).toHaveLength(2); // the plan, then that line
    expect(stdout).toBe('');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(alive(pid)).toBe(false);
    expect(fs.existsSync(report)).toBe(false);
    // The synchronous run had ended and been stored in the sweep's scratch store: none of it reached --db.
    expect(fs.readFileSync(count, 'utf8').split('\n').filter(Boolean)).toHaveLength(3);
    const sqlite = new Database(db, { readonly: true });
    expect(sqlite.prepare('SELECT COUNT(*) FROM runs').pluck().get()).toBe(0);
    sqlite.close();
  }, 60_000);

  it('writes the page of a sweep that is only simulated: the curve, no measured points, no makespans section', async () => {
    const report = path.join(work, 'simulated.html');
    const result = await cliJson<SweepJson>(['sweep', '--branches', '2', '--levels', '2', '--report', report]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.json.measure).toBeNull();
    expect(result.json.report).toBe(report);
    for (const p of result.json.points) expect([p.predicted_sync_s, p.measured_sync_s, p.measured_doa, p.sync_run]).toEqual([null, null, null, null]);
    const html = fs.readFileSync(report, 'utf8');
    const [members] = tables(figure(html, 'sweep'));
    expect(members.rows.map((r) => r.text[0])).toEqual(['2 kept', '1 kept', '0 kept']);
    expect(members.rows.map((r) => r.value[4])).toEqual(result.json.points.map((p) => p.improvement));
    expect(html).not.toContain('<section id="makespans">');
    expect(html).not.toContain('measured on this machine');
  });

  it('exits 2 with one line for bad flags, before running anything', async () => {
    const cases: [string[], string][] = [
      [['--scale', '0.1'], '--scale goes with --measure'],
      [['--budget', '1m'], '--budget goes with --measure'],
      [['--force'], '--force goes with --measure'],
      [['--no-store'], '--no-store goes with --measure'],
      [['--label', 'x'], '--label goes with --measure'],
      [['--measure', '--scale', '0'], '--scale: expected a positive number, got "0"'],
      [['--measure', '--scale', 'fast'], '--scale: expected a positive number, got "fast"'],
      [['--measure', '--budget', '3 weeks'], '--budget: expected a positive duration (90, 90s, 3m, 1h, 2m30s), got "3 weeks"'],
      [['--measure', '--label', '../x'], `--label: expected letters, digits, '.', '_' and '-', got "../x"`],
    ];
    const results = await Promise.all(cases.map(([args]) => cli(['sweep', ...args, '--db', path.join(work, 'never.db')])));
    for (const [i, result] of results.entries()) {
      expect(result.code, cases[i][0].join(' ')).toBe(2);
      expect(result.stderr).toBe(`asyncscope: error: ${cases[i][1]}\n`);
      expect(result.stdout).toBe('');
    }
    expect(fs.existsSync(path.join(work, 'never.db'))).toBe(false);
  }, 60_000);
});
