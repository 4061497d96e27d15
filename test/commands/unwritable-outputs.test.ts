/**
 * Every output a command writes (a report, a baseline, the demo's folder, a JUnit file, an emitted
 * spec) fails the same way when it cannot be written: exit 2, one line naming the file, at once.
 * Before, `demo --out-dir` into a folder it could not create exited 3 ("internal error: EACCES"),
 * and `report --out /proc/x/y.html`, `baseline save --out /proc/...` and `demo --out-dir /proc/nope`
 * hung at full CPU (Node's recursive mkdir loops on /proc). Issue 13, point 6.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, permissionsApply, ROOT, tempDir } from '../helpers/cli.js';

const work = tempDir();
const db = path.join(work, 'store.db');
const aFile = path.join(work, 'a-file');
const readOnly = path.join(work, 'read-only');
/** How to run the CLI so that a read-only folder stops it even as root; null: no way here (skipped). */
const permissions = permissionsApply();

beforeAll(async () => {
  const csv = path.join(work, 'tasks.csv');
  fs.writeFileSync(csv, 'id,type,start,end,cores\nt0,sim,0,10,1\nt1,sim,2,12,1\nt2,train,12,20,1\n');
  const ingested = await cli(['ingest', csv, '--label', 'small', '--mode', 'async', '--cores', '4', '--db', db]);
  expect(ingested.code, ingested.stderr).toBe(0);
  fs.writeFileSync(aFile, '');
  fs.mkdirSync(readOnly);
  fs.chmodSync(readOnly, 0o555);
});
afterAll(() => {
  fs.chmodSync(readOnly, 0o755);
  fs.rmSync(work, { recursive: true, force: true });
});

/** The output flag of each command, with the rest of its command line. */
const writers: [string, (target: string) => string[]][] = [
  ['report', (target) => ['report', 'small', '--out', path.join(target, 'r.html'), '--db', db]],
  ['baseline save', (target) => ['baseline', 'save', 'small', '--out', path.join(target, 'b.json'), '--db', db]],
  ['demo', (target) => ['demo', '--out-dir', target]],
  ['check --junit', (target) => ['check', 'small', '--max', 'makespan_s=100', '--junit', path.join(target, 'j.xml'), '--db', db]],
  ['predict --emit-spec', (target) => ['predict', path.join(ROOT, 'traces', 'specs', 'dg2.yaml'), '--emit-spec', path.join(target, 's.yaml')]],
];

async function expectRefused(args: string[], reason: RegExp, options: Parameters<typeof cli>[1] = {}): Promise<void> {
  const started = Date.now();
  const result = await cli(args, options);
  expect(result.code, `${args.join(' ')}\n${result.stderr}`).toBe(2);
  expect(result.stderr).toMatch(/^asyncscope: error: /);
  expect(result.stderr).toMatch(reason);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  expect(Date.now() - started, 'at once, not after a hang').toBeLessThan(20_000);
}

describe('an output that cannot be written', () => {
  it.each(writers)('%s: under /proc, where no folder can be made', async (_, args) => {
    await expectRefused(args('/proc/asyncscope-test/x'), /cannot create the folder \/proc\/asyncscope-test: the file system does not allow it/);
  });

  it.each(writers)('%s: a path whose parent is a file', async (_, args) => {
    await expectRefused(args(path.join(aFile, 'sub')), /a-file is a file, not a folder/);
  });

  it.skipIf(permissions === null).each(writers)('%s: a new folder under a read-only one', async (_, args) => {
    await expectRefused(args(path.join(readOnly, 'new')), /read-only\/new.*: permission denied\n$/, { obeyPermissions: true });
    expect(fs.readdirSync(readOnly)).toEqual([]);
  });
});

describe('the demo in a read-only folder', () => {
  it.skipIf(permissions === null)('refuses to replace its database there, in one line', async () => {
    fs.chmodSync(readOnly, 0o755);
    fs.writeFileSync(path.join(readOnly, 'demo.db'), 'an older demo');
    fs.chmodSync(readOnly, 0o555);
    await expectRefused(['demo', '--out-dir', readOnly], /demo\.db: cannot replace the demo database: permission denied\n$/, { obeyPermissions: true });
    expect(fs.readFileSync(path.join(readOnly, 'demo.db'), 'utf8')).toBe('an older demo');
    fs.chmodSync(readOnly, 0o755);
    fs.rmSync(path.join(readOnly, 'demo.db'));
    fs.chmodSync(readOnly, 0o555);
  });
});

describe('an output in a folder that does not exist yet', () => {
  it('is written, its folder created, by every command (predict --emit-spec too)', async () => {
    const results = await Promise.all(writers.filter(([name]) => name !== 'demo').map(([, args]) => cli(args(path.join(work, 'new', 'folder')))));
    for (const result of results) expect(result.code, result.stderr).toBe(0);
    expect(fs.readdirSync(path.join(work, 'new', 'folder')).sort()).toEqual(['b.json', 'j.xml', 'r.html', 's.yaml']);
  });
});
