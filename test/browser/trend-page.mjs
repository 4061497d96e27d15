#!/usr/bin/env node
/**
 * The trend page of `report --history` in a real browser (run after `npm run build`; not part of
 * vitest; .ci/run runs it after the demo):
 *
 *   node test/browser/trend-page.mjs [reports/trend.html]
 *
 * Stores 30 seeded runs of a small CSV benchmark under the label `nightly` into a temporary
 * store, one `asyncscope ingest` each with its own commit (--meta), the makespan 10 % higher from
 * run 21 on and 2 % noise; writes their trend page (makespan and busy time, x: commit) and opens
 * it with report-in-browser.mjs: offline, nothing loaded, every link an anchor of the page, a
 * chart point clicked scrolls its run's row into view. The page must mark the change point at
 * run 21.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'bin', 'run.js');
const out = path.resolve(process.argv[2] ?? path.join(ROOT, 'reports', 'trend.html'));
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'asyncscope-trend-'));
const db = path.join(work, 'history.db');
const env = { ...process.env, GITHUB_ACTIONS: '', GITLAB_CI: '' };

function asyncscope(...args) {
  const r = spawnSync(process.execPath, [BIN, ...args, '--db', db], { env, encoding: 'utf8' });
  if (r.status !== 0) {
    process.stdout.write(`trend-page: asyncscope ${args.join(' ')} exited ${r.status}\n${r.stderr}`);
    process.exit(1);
  }
  return r.stdout;
}

/** A seeded normal draw (Box-Muller over a linear congruential generator). */
let state = 20260131;
const uniform = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) + 0.5) / 2 ** 32;
const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());

try {
  for (let k = 1; k <= 30; k++) {
    const f = (k >= 21 ? 1.1 : 1) * (1 + 0.02 * normal());
    const t0 = 1_700_000_000 + k * 10_000;
    const rows = ['task_id,type,start,end,cores,gpus'];
    for (let i = 0; i < 8; i++) rows.push(`sim-${i},sim,${t0},${(t0 + 100 * f).toFixed(3)},4,1`);
    const next = t0 + 100 * f + 2;
    for (let i = 0; i < 2; i++) rows.push(`agg-${i},agg,${next.toFixed(3)},${(next + 50 * f).toFixed(3)},8,0`);
    for (let i = 0; i < 4; i++) rows.push(`train-${i},train,${next.toFixed(3)},${(next + 60 * f).toFixed(3)},4,1`);
    const file = path.join(work, `nightly-${String(k).padStart(2, '0')}.csv`);
    fs.writeFileSync(file, `${rows.join('\n')}\n`);
    const commit = (7919 * k).toString(16).padStart(7, '0') + 'a'.repeat(33);
    asyncscope('ingest', file, '--label', 'nightly', '--no-provenance', '--meta', `commit=${commit}`, '--meta', 'branch=main', '--meta', `commit_title=change ${k}`);
  }
  const json = JSON.parse(asyncscope('report', '--history', 'nightly', '--where', 'branch=main', '--metric', 'makespan_s', '--metric', 'groups.sim.busy_s', '--x', 'commit', '--out', out, '--json'));
  const shifts = json.history.metrics[0].change_points.map((c) => c.position);
  process.stdout.write(`trend-page: wrote ${path.relative(process.cwd(), out)} (${json.charts} charts; makespan_s change points at runs ${shifts.join(', ') || 'none'})\n`);
  if (shifts.length !== 1 || shifts[0] !== 21) {
    process.stdout.write('FAIL: expected one change point, at run 21\n');
    process.exit(1);
  }
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}

const browser = spawnSync(process.execPath, [path.join(ROOT, 'test', 'browser', 'report-in-browser.mjs'), out], { stdio: 'inherit' });
process.exit(browser.status ?? 1);
