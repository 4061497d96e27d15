/**
 * Which stores commands open, and how (issue 13, points 3 and 4): read commands never create,
 * migrate or write a store, and work on a read-only one; no command writes into a SQLite file
 * that is not asyncscope's.
 *
 * Read-only here means what a user on a shared file system meets: a file of mode 0444 in a
 * folder of mode 0555. Root ignores those modes, so when the tests run as root the CLI runs
 * without the capabilities that let it (helpers/cli.ts, permissionsApply); without a way to do
 * that, those tests are skipped, saying why.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, permissionsApply, tempDir } from '../helpers/cli.js';
import { SUMMIT } from '../helpers/traces.js';
import { beforeAllWithShared, describeWithShared } from '../helpers/shared-traces.js';

const work = tempDir();
const permissions = permissionsApply();
const archive = path.join(work, 'archive');
const store = path.join(archive, 'results.db');
const out = path.join(work, 'out');

/** Every file of a folder with its bytes: what "left as it was" means. */
function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(fs.readdirSync(dir).sort().map((name) => [name, fs.readFileSync(path.join(dir, name)).toString('base64')]));
}

beforeAllWithShared(async () => {
  fs.mkdirSync(archive);
  fs.mkdirSync(out);
  for (const [trace, label, mode] of [[SUMMIT.dg2Sync, 'dg2-sync', 'sync'], [SUMMIT.dg2Async, 'dg2-async', 'async']] as const) {
    const result = await cli(['ingest', trace.file, '--label', label, '--mode', mode, '--db', store]);
    expect(result.code, result.stderr).toBe(0);
  }
  const baseline = await cli(['baseline', 'save', 'dg2-async', '--out', path.join(out, 'baseline.json'), '--db', store]);
  expect(baseline.code, baseline.stderr).toBe(0);
  expect(fs.readdirSync(archive)).toEqual(['results.db']); // closed cleanly: no write-ahead log left
}, 120_000);

afterAll(() => {
  fs.chmodSync(archive, 0o755);
  fs.rmSync(work, { recursive: true, force: true });
});

/** Commands that only read, each with what it needs; outputs go to a writable folder. */
const readers: string[][] = [
  ['runs'],
  ['runs', 'show', 'dg2-async'],
  ['analyze', 'dg2-sync', 'dg2-async'],
  ['durations', 'dg2-async', '--from', 'exec_start', '--to', 'exec_stop'],
  ['concurrency', 'dg2-async'],
  ['compare', 'dg2-sync', 'dg2-async'],
  ['predict', '--from-run', 'dg2-sync'],
  ['report', 'dg2-sync', 'dg2-async', '--out', path.join(out, 'report.html')],
  ['export', 'dg2-async', '--out', path.join(out, 'dg2-async.csv')],
  ['baseline', 'save', 'dg2-async', '--out', path.join(out, 'again.json')],
  ['check', 'dg2-async', '--baseline', path.join(out, 'baseline.json'), '--max-increase', 'makespan_s=5%'],
];

describeWithShared('a read-only store (a file of mode 0444 in a folder of mode 0555)', () => {
  it.skipIf(permissions === null)('is read by every command that only reads, and left exactly as it was', async () => {
    fs.chmodSync(store, 0o444);
    fs.chmodSync(archive, 0o555);
    try {
      const before = snapshot(archive);
      const results = await Promise.all(readers.map((args) => cli([...args, '--db', store], { obeyPermissions: true })));
      for (const [k, result] of results.entries()) expect(result.code, `${readers[k].join(' ')}\n${result.stderr}`).toBe(0);
      expect(snapshot(archive)).toEqual(before);
    } finally {
      fs.chmodSync(archive, 0o755);
      fs.chmodSync(store, 0o644);
    }
  });

  it.skipIf(permissions === null)('refuses commands that write, in one line, before writing anything', async () => {
    fs.chmodSync(store, 0o444);
    try {
      const before = snapshot(archive);
      const edit = await cli(['runs', 'edit', 'dg2-async', '--label', 'x', '--db', store], { obeyPermissions: true });
      expect(edit.code).toBe(2);
      expect(edit.stderr).toBe(`asyncscope: error: cannot write to database ${store}: the file is read-only (commands that only read, such as runs, analyze, report and check, work on a read-only store)\n`);
      const ingest = await cli(['ingest', SUMMIT.ddmdSync.file, '--db', store], { obeyPermissions: true });
      expect(ingest.code).toBe(2);
      expect(ingest.stderr).toMatch(/^asyncscope: error: cannot write to database .*: the file is read-only/);
      expect(snapshot(archive)).toEqual(before);
    } finally {
      fs.chmodSync(store, 0o644);
    }
  });

  it.skipIf(permissions === null)('with changes still in its write-ahead log and no way to read them there: says so', async () => {
    const folder = path.join(work, 'wal-left');
    fs.mkdirSync(folder);
    const file = path.join(folder, 'results.db');
    fs.copyFileSync(store, file);
    // A writer that stopped before checkpointing: its log holds a change the file does not.
    const writer = new Database(file);
    writer.pragma('wal_autocheckpoint = 0');
    writer.prepare("UPDATE runs SET label = 'relabelled' WHERE label = 'dg2-sync'").run();
    fs.copyFileSync(`${file}-wal`, path.join(work, 'saved-wal'));
    writer.close();
    fs.copyFileSync(path.join(work, 'saved-wal'), `${file}-wal`);
    fs.chmodSync(folder, 0o555);
    try {
      const result = await cli(['runs', '--db', file], { obeyPermissions: true });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^asyncscope: error: cannot read database .*results\.db: its write-ahead log \(results\.db-wal\) holds changes that only a process allowed to write in .* can read back; open it once where the folder is writable\n$/);
    } finally {
      fs.chmodSync(folder, 0o755);
    }
    const writable = await cli(['runs', '--db', file, '--json']);
    expect(writable.code, writable.stderr).toBe(0);
    expect(JSON.parse(writable.stdout).map((run: { label: string }) => run.label)).toContain('relabelled');
  });
});

describeWithShared('a store that does not exist', () => {
  it('is no store to read: exit 2, and no file made', async () => {
    const missing = path.join(work, 'nothing-here.db');
    const results = await Promise.all([['runs'], ['analyze'], ['runs', 'show', 'x'], ['report', 'x', '--out', path.join(out, 'x.html')]].map((args) => cli([...args, '--db', missing])));
    for (const result of results) {
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(`asyncscope: error: no database at ${missing}: ingest a trace first, or pass --db / set ASYNCSCOPE_DB\n`);
    }
    expect(fs.existsSync(missing)).toBe(false);
    expect((await cli(['runs', 'edit', 'x', '--label', 'y', '--db', missing])).stderr).toMatch(/no database at/);
    expect(fs.existsSync(missing)).toBe(false);
  });
});

describeWithShared("a SQLite file that is not asyncscope's (issue 13, point 3)", () => {
  it('is refused by every command, read or write, and left exactly as it was', async () => {
    const folder = path.join(work, 'theirs');
    fs.mkdirSync(folder);
    const theirs = path.join(folder, 'o.db');
    const db = new Database(theirs);
    db.exec('CREATE TABLE foo (x)');
    db.close();
    const before = snapshot(folder);
    const csv = path.join(work, 'tasks.csv');
    fs.writeFileSync(csv, 'id,start,end\na,1,2\n');
    const commands = [['runs'], ['analyze'], ['ingest', csv], ['runs', 'rm', 'x'], ['export', 'x', '--out', path.join(out, 'x.csv')]];
    const results = await Promise.all(commands.map((args) => cli([...args, '--db', theirs])));
    for (const [k, result] of results.entries()) {
      expect(result.code, commands[k].join(' ')).toBe(2);
      expect(result.stderr).toBe(`asyncscope: error: not an asyncscope database: ${theirs} (it holds the tables foo and schema version 0); asyncscope leaves it as it is: give another --db\n`);
    }
    expect(snapshot(folder)).toEqual(before);
  });
});

describeWithShared('LABEL@latest (issue 13, point 5)', () => {
  it('is taken by every command that takes a run', async () => {
    const results = await Promise.all(
      [
        ['analyze', 'dg2-async@latest'],
        ['runs', 'show', 'dg2-async@latest'],
        ['durations', 'dg2-async@latest', '--from', 'exec_start', '--to', 'exec_stop'],
        ['concurrency', 'dg2-async@latest'],
        ['compare', 'dg2-sync@latest', 'dg2-async@latest'],
        ['predict', '--from-run', 'dg2-async@latest'],
        ['report', 'dg2-async@latest', '--out', path.join(out, 'latest.html')],
        ['export', 'dg2-async@latest', '--out', path.join(out, 'latest.csv')],
        ['baseline', 'save', 'dg2-async@latest', '--out', path.join(out, 'latest.json')],
        ['check', 'dg2-async@latest', '--max', 'makespan_s=10000'],
      ].map((args) => cli([...args, '--db', store, '--json'])),
    );
    for (const result of results) expect(result.code, result.stderr).toBe(0);
    const analyzed = JSON.parse(results[0].stdout) as { runs: { id: string }[] };
    expect(analyzed.runs.map((run) => run.id)).toEqual([SUMMIT.dg2Async.id]);
    const saved = JSON.parse(results[8].stdout) as { samples: string[] };
    expect(saved.samples).toEqual([SUMMIT.dg2Async.id]);
  });
});

