/**
 * Every command that reads or writes the store gives the same output on PostgreSQL as on SQLite
 * (issue 18): one sequence of commands, as a user runs them, on an SQLite file and on a new
 * PostgreSQL database side by side; after each, exit code, stdout (JSON or text), stderr and any
 * file it wrote must be the same, but for the store's location and the import time. The
 * sequence ingests (task details, --type-from, --meta), edits, retypes, reads with every reading
 * command, checks against a baseline and against a history, writes reports (HTML compared whole),
 * runs a spec, pushes and pulls, and deletes. A command that takes --db and is missing from the
 * sequence fails the last test, so a new command joins it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { cli, ROOT, tempDir } from '../helpers/cli.js';
import { seedHistory } from '../helpers/history.js';
import { newDatabaseUrl, serverUrl } from '../helpers/postgres.js';
import { describeWithShared } from '../helpers/shared-traces.js';
import { SUMMIT } from '../helpers/traces.js';
import { WFCOMMONS } from '../helpers/wfcommons.js';

const work = tempDir();
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const PASSWORD = new URL(serverUrl()).password;
const SPEC = path.join(ROOT, 'traces', 'specs', 'dg2-local.yaml');

/** What differs by nature between the two: the backend, where the store and the test's files are, and times of day. */
function normalize(text: string, store: string, dir: string): string {
  return text
    .split(store).join('STORE')
    .split(store.replace(`:${PASSWORD}@`, '@')).join('STORE')
    .split(dir).join('DIR')
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, 'TIME')
    .replace(/\d{4}-\d\d-\d\d \d\d:\d\d UTC/g, 'TIME')
    .replace(/"backend": "(sqlite|postgresql)"|\((sqlite|postgresql)\)/g, 'BACKEND');
}

/** One command of the sequence: its arguments ({dir}: a folder of the backend's own), and the files it writes there. */
interface Step {
  args: string[];
  files?: string[];
  /** The output holds what differs from one execution to the next (a run's measured times, its trace's hash): numbers and hashes are masked. */
  measured?: boolean;
}

const steps: Step[] = [
  { args: ['ingest', SUMMIT.dg2Sync.file, SUMMIT.dg2Async.file, '--mode', 'sync', '--label', 'dg2', '--json'] },
  { args: ['ingest', WFCOMMONS.forkjoin.file, '--meta', 'team=blue', '--meta', 'gpu=a100'] },
  { args: ['ingest', SUMMIT.ddmdAsync.file, '--type-from', 'executable', '--label', 'ddmd', '--mode', 'async', '--json'] },
  { args: ['runs', '--where', 'team=blue', '--json'] },
  { args: ['runs', '--where', 'format=radical-pilot', '--since', '30d'] },
  { args: ['runs', 'edit', WFCOMMONS.forkjoin.id, '--meta', 'team=red', '--meta', 'branch=main'] },
  { args: ['runs', '--where', 'branch=main', '--json'] },
  { args: ['runs', 'edit', SUMMIT.dg2Async.id, '--label', 'dg2-async', '--mode', 'async', '--workflow', 'DG2', '--json'] },
  { args: ['runs', 'edit', 'ddmd', '--type-from', 'stage', '--json'] },
  { args: ['runs'] },
  { args: ['runs', '--json'] },
  { args: ['runs', 'show', 'dg2-async'] },
  { args: ['runs', 'show', 'ddmd', '--json'] },
  { args: ['analyze', 'dg2-async'] },
  { args: ['analyze', 'dg2', 'dg2-async', 'ddmd', '--json'] },
  { args: ['durations', 'dg2-async', '--json'] },
  { args: ['concurrency', 'dg2-async', '--json'] },
  { args: ['predict', '--from-run', WFCOMMONS.forkjoin.id, '--json'] },
  { args: ['compare', 'dg2@latest', 'dg2-async', '--json'] },
  { args: ['export', 'dg2-async', '--format', 'csv', '--out', '-'] },
  { args: ['export', 'ddmd', '--out', '{dir}/ddmd.json', '--json'], files: ['ddmd.json'] },
  { args: ['whatif', 'dg2-async', '--nodes', '4,8', '--json'] },
  { args: ['sweep', 'dg2-async', '--sync', SUMMIT.dg2Sync.id, '--points', '3', '--json'] },
  { args: ['report', 'dg2', 'dg2-async', '--out', '{dir}/dg2.html', '--json'], files: ['dg2.html'] },
  { args: ['baseline', 'save', 'dg2-async', '--out', '{dir}/baseline.json', '--json'], files: ['baseline.json'] },
  { args: ['check', 'dg2-async', '--baseline', '{dir}/baseline.json', '--max-increase', 'makespan_s=5%', '--json'] },
  { args: ['history', 'nightly', '--where', 'branch=main', '--metric', 'makespan_s'] },
  { args: ['history', 'nightly', '--metric', 'makespan_s', '--metric', 'utilization.cpu', '--json'] },
  { args: ['check', '--history', 'nightly', '--where', 'branch=main', '--fail-on', 'change-point', '--max-increase', 'makespan_s=5%', '--json'] },
  { args: ['report', '--history', 'nightly', '--metric', 'makespan_s', '--x', 'commit', '--out', '{dir}/trend.html', '--json'], files: ['trend.html'] },
  { args: ['run', SPEC, '--mode', 'async', '--scale', '0.001', '--no-provenance', '--json'], measured: true },
  { args: ['runs', 'show', 'dg2-local-async', '--json'], measured: true },
  { args: ['runs', 'rm', 'dg2-local-async'] },
  { args: ['push', 'dg2-async', '--to', '{dir}/pushed.db', '--json'] },
  { args: ['pull', '--all', '--from', '{dir}/pushed.db', '--json'] },
  { args: ['db', 'status', '--json'] },
  { args: ['db', 'migrate'] },
  { args: ['analyze', 'no-such-run'] },
  { args: ['runs', 'rm', WFCOMMONS.forkjoin.id, '--json'] },
  { args: ['runs'] },
];

describeWithShared('the same output on PostgreSQL as on SQLite', () => {
  it('for every command that reads or writes the store', async () => {
    const backends = [
      { store: path.join(work, 'sqlite', 'store.db'), dir: path.join(work, 'sqlite') },
      { store: await newDatabaseUrl(), dir: path.join(work, 'postgresql') },
    ];
    for (const { store, dir } of backends) {
      fs.mkdirSync(dir, { recursive: true });
      // A history of one label: 20 runs, the last 6 10% slower, each with its commit on main.
      await seedHistory(path.join(dir, 'history'), store, { runs: 20, shiftAt: 15, factor: 1.1, noise: 0.02, seed: 4 });
    }
    for (const step of steps) {
      const seen = [];
      for (const { store, dir } of backends) {
        const result = await cli([...step.args.map((arg) => arg.replace('{dir}', dir)), '--db', store]);
        expect(result.stdout + result.stderr).not.toContain(PASSWORD);
        const shown = (text: string) => {
          const same = normalize(text, store, dir);
          return step.measured ? same.replace(/\b[0-9a-f]{64}\b/g, 'HASH').replace(/-?\d+(\.\d+)?(e[-+]?\d+)?/g, 'N') : same;
        };
        const files = (step.files ?? []).map((file) => shown(fs.readFileSync(path.join(dir, file), 'utf8')));
        seen.push({ command: step.args.join(' '), code: result.code, stdout: shown(result.stdout), stderr: shown(result.stderr), files });
      }
      expect.soft(seen[1]).toEqual(seen[0]);
    }
  }, 900_000);
});

it('every command that takes --db is in the sequence, but those that never open a store', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'oclif.manifest.json'), 'utf8')) as { commands: Record<string, { flags: Record<string, unknown> }> };
  // gen writes a trace file and never opens a store; demo keeps its own SQLite store in its output
  // folder (issue 18: "SQLite stays the demo's store"), and --db is only the global flag there.
  const exempt = ['gen', 'demo'];
  const covered = new Set(steps.map((step) => (Object.hasOwn(manifest.commands, `${step.args[0]}:${step.args[1]}`) ? `${step.args[0]}:${step.args[1]}` : step.args[0])));
  const takingDb = Object.entries(manifest.commands).filter(([, command]) => 'db' in command.flags).map(([id]) => id);
  expect(takingDb.filter((id) => !covered.has(id) && !exempt.includes(id))).toEqual([]);
});
