/**
 * Histories through the CLI (issue 18's "done when"): 32 seeded runs of a benchmark on main, the
 * makespan 10 % higher from run 21 on, 2 % run-to-run noise, and four runs of a feature branch
 * 30 % slower stored among them. `history --where branch=main` finds that one change point and no
 * other, with its commit and its size; `check --history` fails on it (by change point, and by the
 * latest runs against the window before them); the same history before the shift passes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CheckJson } from '../../src/check/outputs/json.js';
import type { HistoryJson } from '../../src/history/history-json.js';
import { cli, cliJson, tempDir } from '../helpers/cli.js';
import { commitOf, seedHistory } from '../helpers/history.js';

let dir: string;
let db: string;
let stable: string;
let fresh: string;
const env = { GITHUB_ACTIONS: '', GITLAB_CI: '' };
const run = (args: string[], store = db) => cli([...args, '--db', store], { env });
const runJson = <T>(args: string[], store = db) => cliJson<T>([...args, '--db', store], { env });

beforeAll(async () => {
  dir = tempDir();
  db = path.join(dir, 'history.db');
  stable = path.join(dir, 'stable.db');
  fresh = path.join(dir, 'fresh.db');
  await seedHistory(path.join(dir, 'shifted'), db, { runs: 32, shiftAt: 21, factor: 1.1, noise: 0.02, seed: 3, otherBranchAfter: [5, 12, 25, 30] });
  await seedHistory(path.join(dir, 'stable'), stable, { runs: 20, noise: 0.02, seed: 3 });
  await seedHistory(path.join(dir, 'fresh'), fresh, { runs: 23, shiftAt: 21, factor: 1.1, noise: 0.02, seed: 3 });
}, 120_000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

// The CLI analyses every run of the history in each call: slow on a loaded machine.
vi.setConfig({ testTimeout: 180_000 });

describe('asyncscope history', () => {
  it('finds the injected 10 % shift at run 21 of main, with its commit, and no other change point', async () => {
    const r = await runJson<HistoryJson>(['history', 'nightly', '--where', 'branch=main', '--metric', 'makespan_s']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json).toMatchObject({ label: 'nightly', filters: ['branch=main'], runs: 32, settings: { alpha: 0.01, permutations: 199, min_size: 3, seed: 1 } });
    const [m] = r.json.metrics;
    expect(m.series).toHaveLength(32);
    expect(m.unmeasured).toEqual([]);
    expect(m.change_points).toHaveLength(1);
    const c = m.change_points[0];
    expect(c).toMatchObject({ position: 21, id: 'nightly-21-0', commit: commitOf(21), branch: 'main', before: { runs: 20 }, after: { runs: 12 }, order: 1 });
    expect(c.relative_change).toBeGreaterThan(0.08);
    expect(c.relative_change).toBeLessThan(0.12);
    expect(c.change).toBeCloseTo(c.after.median - c.before.median, 9);
    expect(c.p).toBeLessThanOrEqual(0.01);
  });

  it('prints the change point as a table row', async () => {
    const r = await run(['history', 'nightly', '--where', 'branch=main']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^History of nightly: 32 runs, branch=main, stored \d{4}-\d{2}-\d{2}/);
    expect(r.stdout).toMatch(new RegExp(String.raw`makespan_s: 1 change point in 32 runs\n\s*#\s+RUN\s+COMMIT\s+BRANCH\s+STORED\s+BEFORE\s+AFTER\s+CHANGE\s+RELATIVE\s+P\n21\s+nightly-21-0\s+${commitOf(21).slice(0, 7)}\s+main\s+\S+ \S+\s+\d+\.\d{3} \(20\)\s+\d+\.\d{3} \(12\)\s+\+\d+\.\d{3}\s+\+(8|9|10|11)\.\d%\s+0\.005\n`));
  });

  it('without the filter, the slow runs of the feature branch are part of the series', async () => {
    const r = await runJson<HistoryJson>(['history', 'nightly']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.runs).toBe(36);
  });

  it('finds nothing in a stable history', async () => {
    const r = await runJson<HistoryJson>(['history', 'nightly', '--metric', 'makespan_s'], stable);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.metrics[0].change_points).toEqual([]);
    expect(r.json.metrics[0].strongest_rejected!.p).toBeGreaterThan(0.01);
  });

  it('lists runs that did not measure a metric (no capacity: no utilization) and leaves them out', async () => {
    const r = await runJson<HistoryJson>(['history', 'nightly', '--metric', 'utilization.gpu'], stable);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.metrics[0].series).toEqual([]);
    expect(r.json.metrics[0].unmeasured).toHaveLength(20);
  });

  it('refuses what it cannot follow, with exit 2', async () => {
    for (const [args, message] of [
      [['history', 'nightly', '--metric', 'makespan'], /unknown metric "makespan" \(did you mean makespan_s\?\)/],
      [['history', 'nightly', '--metric', 'compare.error.async'], /a history follows the figures of one run/],
      [['history', 'weekly'], /no run carries the label "weekly"/],
      [['history', 'nightly', '--where', 'branch=nope'], /no run of "nightly" matches branch=nope/],
      [['history', 'nightly', '--alpha', '2'], /--alpha 2: give a significance level between 0 and 1/],
      [['history', 'nightly', '--where', 'branch'], /--where "branch": expected KEY=VALUE/],
    ] as const) {
      const r = await run([...args]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  });
});

describe('check --history', () => {
  const rule = ['--max-increase', 'makespan_s=5%'];

  it('fails on the change point among the last runs, naming the run and commit it began at', async () => {
    const r = await runJson<CheckJson>(['check', '--history', 'nightly', '--where', 'branch=main', '--fail-on', 'change-point', ...rule]);
    expect(r.code, r.stderr).toBe(1);
    const [judged] = r.json.rules;
    expect(judged).toMatchObject({ run: 'nightly-32-0', passed: false, significant: true });
    expect(judged.message).toMatch(
      new RegExp(`^change point at nightly-21-0 \\(commit ${commitOf(21).slice(0, 7)}\\) \\(E-Divisive p = 0\\.005 <= alpha 0\\.01, last 21 runs\\): median [\\d.]+ of 12 runs since vs [\\d.]+ of 9 before: \\+\\d+\\.\\d%, beyond \\+5% .*; baseline: 20 runs of nightly before the candidate \\(branch=main\\)$`),
    );
  });

  it('fails the latest three runs, the first of a new regime, against the 20 before them (Mann-Whitney), as a baseline file would', async () => {
    const r = await runJson<CheckJson>(['check', '--history', 'nightly', '--where', 'branch=main', '--repeats', '3', ...rule], fresh);
    expect(r.code, r.stderr).toBe(1);
    expect(r.json.rules[0]).toMatchObject({ run: 'nightly', passed: false, significant: true });
    expect(r.json.rules[0].message).toMatch(/of 3 runs vs baseline median .* of 20 samples.*; baseline: 20 runs of nightly before the candidate \(branch=main\)$/);
  });

  it('judged by its latest runs, an older shift is inside the window and passes: the change-point judgement is the one that sees it', async () => {
    const r = await runJson<CheckJson>(['check', '--history', 'nightly', '--where', 'branch=main', '--repeats', '3', ...rule]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.rules[0].message).toMatch(/; baseline: 20 runs of nightly before the candidate \(branch=main\)$/);
  });

  it('passes the same history before the shift, by either judgement', async () => {
    for (const failOn of ['change-point', 'candidate']) {
      const r = await runJson<CheckJson>(['check', '--history', 'nightly', '--where', 'branch=main', '--repeats', '3', '--fail-on', failOn, ...rule], stable);
      expect(r.code, `${failOn}: ${r.stderr}`).toBe(0);
      expect(r.json.rules[0].message).toMatch(/; baseline: 17 runs of nightly before the candidate \(branch=main\)$/);
    }
  });

  it('takes --window runs before an older run named as the candidate', async () => {
    const r = await runJson<CheckJson>(['check', 'nightly-20-0', '--history', 'nightly', '--where', 'branch=main', '--window', '10', '--fail-on', 'change-point', ...rule]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.rules[0].message).toMatch(/; baseline: 10 runs of nightly before the candidate \(branch=main\)$/);
  });

  it('refuses history flags without --history, and two baselines', async () => {
    const a = await run(['check', 'nightly', '--window', '5', ...rule]);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/--window select the runs of a history: give --history LABEL/);
    const b = await run(['check', '--history', 'nightly', '--baseline', 'x.json', ...rule]);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/--history and --baseline are two baselines: give one/);
    const c = await run(['check', 'nightly-1-0', '--history', 'nightly', ...rule]);
    expect(c.code).toBe(2);
    expect(c.stderr).toMatch(/no run of nightly was stored before nightly-1-0: nothing to compare with/);
  });
});
