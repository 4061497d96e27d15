/**
 * `report --history` as a user runs it: 24 seeded runs with a 10 % shift at run 17, one run's
 * commit title made of markup (set with runs edit). The page marks the change point, links every
 * point to its run's row, keeps the markup as text, loads nothing; --json gives the history as
 * `history --json` does; flags that go with --history are refused without it, and runs with it.
 * The same page in a browser: test/browser/trend-page.mjs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { HistoryJson } from '../../src/history/history-json.js';
import { cli, cliJson, tempDir } from '../helpers/cli.js';
import { commitOf, seedHistory } from '../helpers/history.js';
import { decode, externalReferences, section } from '../helpers/html.js';

let dir: string;
let db: string;
const env = { GITHUB_ACTIONS: '', GITLAB_CI: '' };
const SCRIPT = '<script>alert(1)</script>';
vi.setConfig({ testTimeout: 180_000 });

beforeAll(async () => {
  dir = tempDir();
  db = path.join(dir, 'history.db');
  await seedHistory(path.join(dir, 'runs'), db, { runs: 24, shiftAt: 17, factor: 1.1, noise: 0.02, seed: 5 });
  const edit = await cli(['runs', 'edit', 'nightly-3-0', '--meta', `commit_title=${SCRIPT}`, '--db', db], { env });
  expect(edit.code, edit.stderr).toBe(0);
}, 120_000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('report --history', () => {
  it('writes the trend page: the change point marked, each point linked to its run, markup kept as text, nothing external', async () => {
    const file = path.join(dir, 'out', 'trend.html');
    const r = await cliJson<{ out: string; bytes: number; charts: number; runs: { id: string }[]; sections: { id: string }[]; history: HistoryJson }>(
      ['report', '--history', 'nightly', '--x', 'commit', '--repeats', '3', '--window', '10', '--out', file, '--db', db],
      { env },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.json).toMatchObject({ out: file, charts: 1 });
    expect(r.json.runs).toHaveLength(24);
    expect(r.json.bytes).toBe(fs.statSync(file).size);
    const [m] = r.json.history.metrics;
    expect(m.change_points.map((c) => [c.position, c.commit])).toEqual([[17, commitOf(17)]]);

    const html = fs.readFileSync(file, 'utf8');
    // The job URLs are text in the table of runs (to copy), never references the page follows.
    expect(externalReferences(html).filter((r) => !/^https:\/\/gitlab\.example\.com\/g\/p\/-\/jobs\/\d+$/.test(r))).toEqual([]);
    expect(html).not.toMatch(/(href|src)="(?!#)/);
    expect(html).not.toContain(SCRIPT);
    expect(decode(section(html, 'runs'))).toContain(SCRIPT);
    const summary = decode(section(html, 'summary'));
    expect(summary).toMatch(new RegExp(`makespan_s: 1 change point in 24 runs: \\+\\d+\\.\\d% from run #17 \\(commit ${commitOf(17).slice(0, 7)}, p = 0\\.005\\)\\. The latest 3 runs \\(median\\)`));
    // one link per point, each to a row of the table of runs
    const links = [...html.matchAll(/<a href="#(run-\d+)"/g)].map((x) => x[1]);
    for (let i = 1; i <= 24; i++) expect(links).toContain(`run-${i}`);
    for (const id of new Set(links)) expect(html).toContain(`id="${id}"`);
  });

  it('the text output names the file and the change points', async () => {
    const r = await cli(['report', '--history', 'nightly', '--metric', 'makespan_s', '--metric', 'groups.sim.busy_s', '--out', path.join(dir, 'two.html'), '--db', db], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^wrote .*two\.html \(\d+ kB, 2 charts; 24 runs; makespan_s: 1 change point, groups\.sim\.busy_s: 1 change point\)\n$/);
  });

  it('refuses history flags without --history, and runs with it', async () => {
    const a = await cli(['report', 'nightly-1-0', '--metric', 'makespan_s', '--out', path.join(dir, 'x.html'), '--db', db], { env });
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/--metric go with --history LABEL/);
    const b = await cli(['report', 'nightly-1-0', '--history', 'nightly', '--out', path.join(dir, 'x.html'), '--db', db], { env });
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/--history draws the runs of a label: give no runs beside it/);
    expect(fs.existsSync(path.join(dir, 'x.html'))).toBe(false);
  });
});
