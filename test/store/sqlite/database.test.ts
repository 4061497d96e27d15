/**
 * The SQLite store: opening for reading or for writing, pragmas, forward migrations, whose
 * database it is (a foreign one is never written), read-only stores, and the all-or-nothing
 * behaviour of ingest. The command-line side of read-only and foreign stores is in
 * test/commands/store-access.test.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { ingest } from '../../../src/importers/ingest.js';
import { MIGRATIONS, SCHEMA_VERSION } from '../../../src/store/sqlite/schema.js';
import { tempDir } from '../../helpers/cli.js';
import { fileStore, ingestInto, memoryStore } from '../../helpers/store.js';
import { SUMMIT } from '../../helpers/traces.js';
import { describeWithShared } from '../../helpers/shared-traces.js';

const work = tempDir();
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** The file's bytes and the files beside it: what "left as it was" means. */
function snapshot(file: string): { bytes: Buffer; beside: string[] } {
  return { bytes: fs.readFileSync(file), beside: fs.readdirSync(path.dirname(file)).filter((name) => name.startsWith(path.basename(file))).sort() };
}

describeWithShared('opening a store for writing', () => {
  it('creates the schema with WAL, foreign keys and a busy timeout', async () => {
    const store = fileStore(path.join(work, 'fresh.db'));
    expect(store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(store.db.pragma('busy_timeout', { simple: true })).toBeGreaterThanOrEqual(10_000);
    const tables = store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual(['event_patterns', 'event_rows', 'event_times', 'run_meta', 'runs', 'task_details', 'task_edges', 'tasks']);
    expect(store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'view'").pluck().all()).toEqual(['events']);
    await store.close();
  });

  it('gives a new store a rollback journal for a first bulk write, switched to WAL at close; an existing one stays WAL', async () => {
    const file = path.join(work, 'bulk.db');
    const store = fileStore(file, { access: 'write', create: true, bulkWrite: true });
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('delete');
    await store.close();
    const again = fileStore(file, { access: 'write', create: true, bulkWrite: true });
    expect(again.db.pragma('journal_mode', { simple: true })).toBe('wal');
    await again.close();
  });

  it('applies later migrations to an older store and keeps its data', async () => {
    const file = path.join(work, 'old.db');
    const old = fileStore(file);
    await ingestInto(old, [SUMMIT.dg2Async.file]);
    await old.close();
    const upgraded = fileStore(file, { access: 'write', migrations: [...MIGRATIONS, 'ALTER TABLE runs ADD COLUMN note TEXT;'] });
    expect(upgraded.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 1);
    expect(upgraded.db.prepare('SELECT id, note FROM runs').get()).toEqual({ id: SUMMIT.dg2Async.id, note: null });
    await upgraded.close();
  });

  it('gives runs stored before task outcomes existed (schema 1) no outcome counts, and their tasks none', async () => {
    const file = path.join(work, 'schema1.db');
    const v1 = fileStore(file, { access: 'write', create: true, migrations: MIGRATIONS.slice(0, 1) });
    v1.db.exec(`INSERT INTO runs (id, label, mode, format, source, content_hash, imported_at, tasks, executed, incomplete)
                VALUES ('r', 'r', 'async', 'csv', 'r.csv', 'h', '2026-01-01T00:00:00Z', 1, 1, 0);
                INSERT INTO tasks (run_pk, idx, uid, type, state, start_s, end_s) VALUES (1, 0, 'a', 'a', 'DONE', 0, 1);`);
    await v1.close();
    const store = fileStore(file);
    const [run] = await store.listRuns();
    expect(run.outcomes).toEqual({});
    expect((await store.loadTasks(run)).row(0)).toMatchObject({ state: 'DONE', outcome: null });
    await store.close();
  });

  it('refuses a store written by a newer asyncscope, for reading and for writing', async () => {
    const file = path.join(work, 'newer.db');
    const store = fileStore(file);
    store.db.pragma(`user_version = ${SCHEMA_VERSION + 5}`);
    await store.close();
    for (const access of ['read', 'write'] as const) {
      expect(() => fileStore(file, { access })).toThrow(/has schema version \d+, newer than this asyncscope knows .*upgrade asyncscope/);
    }
  });

  it('refuses a file that is not SQLite, a missing store unless creating, and a missing folder', () => {
    const file = path.join(work, 'not-a-db.db');
    fs.writeFileSync(file, 'hello, I am text and not SQLite at all '.repeat(100));
    for (const access of ['read', 'write'] as const) {
      expect(() => fileStore(file, { access })).toThrow(`not an asyncscope database: ${file} (not an SQLite file); give another --db`);
    }
    expect(fs.readFileSync(file, 'utf8')).toMatch(/^hello, I am text/);
    for (const options of [{ access: 'read' }, { access: 'write' }] as const) {
      expect(() => fileStore(path.join(work, 'missing.db'), options)).toThrow(/no database at .*missing\.db: ingest a trace first/);
    }
    expect(fs.existsSync(path.join(work, 'missing.db'))).toBe(false);
    expect(() => fileStore(path.join(work, 'no', 'such', 'folder.db'))).toThrow(/folder .* does not exist/);
  });
});

describe("a database that is not asyncscope's (issue 13, point 3)", () => {
  it('is refused for reading and for writing, and left exactly as it was', () => {
    const file = path.join(work, 'theirs.db');
    const theirs = new Database(file);
    theirs.exec('CREATE TABLE foo (x); INSERT INTO foo VALUES (1);');
    theirs.close();
    const before = snapshot(file);
    for (const options of [{ access: 'read' }, { access: 'write' }, { access: 'write', create: true, bulkWrite: true }] as const) {
      expect(() => fileStore(file, options)).toThrow(
        `not an asyncscope database: ${file} (it holds the tables foo and schema version 0); asyncscope leaves it as it is: give another --db`,
      );
    }
    expect(snapshot(file)).toEqual(before);
    const check = new Database(file, { readonly: true });
    expect([check.pragma('user_version', { simple: true }), check.pragma('journal_mode', { simple: true })]).toEqual([0, 'delete']);
    check.close();
  });

  it('with a schema version of its own but no runs table, is refused too', () => {
    const file = path.join(work, 'versioned.db');
    const theirs = new Database(file);
    theirs.exec('CREATE TABLE things (x); PRAGMA user_version = 3;');
    theirs.close();
    expect(() => fileStore(file, { access: 'write' })).toThrow(/not an asyncscope database: .*versioned\.db \(it holds the tables things and schema version 3\)/);
  });

  it('an empty database file becomes a store when written, and is no store to read', async () => {
    const file = path.join(work, 'empty.db');
    fs.writeFileSync(file, '');
    expect(() => fileStore(file, { access: 'read' })).toThrow(`${file} is an empty database, not yet an asyncscope store: ingest a trace into it first`);
    expect(fs.statSync(file).size).toBe(0);
    const store = fileStore(file, { access: 'write' });
    expect(store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    await store.close();
  });
});

describeWithShared('a store opened for reading (issue 13, point 4)', () => {
  it('refuses every write, and leaves the file as it was', async () => {
    const file = path.join(work, 'archive.db');
    const writer = fileStore(file);
    await ingestInto(writer, [SUMMIT.dg2Async.file], { label: 'dg2-async' });
    await writer.close();
    const before = snapshot(file);
    // The process may write this file (root can, anyway): the connection itself refuses to.
    // Files it may not write are opened read-only by SQLite: test/commands/store-access.test.ts.
    const store = fileStore(file, { access: 'read' });
    expect(store.db.pragma('query_only', { simple: true })).toBe(1);
    expect((await store.listRuns()).map((run) => run.label)).toEqual(['dg2-async']);
    expect(() => store.db.prepare("UPDATE runs SET label = 'x'").run()).toThrow(/attempt to write a readonly database/);
    await store.close();
    expect(snapshot(file)).toEqual(before);
  });

  it('that needs a migration says so instead of migrating it', async () => {
    const file = path.join(work, 'to-upgrade.db');
    await fileStore(file).close();
    const before = snapshot(file);
    expect(() => fileStore(file, { access: 'read', migrations: [...MIGRATIONS, 'ALTER TABLE runs ADD COLUMN note TEXT;'] })).toThrow(
      `${file} has schema version ${SCHEMA_VERSION}, older than this asyncscope's ${SCHEMA_VERSION + 1}: it needs an upgrade, which a command that writes (asyncscope ingest, runs edit) makes where the file is writable`,
    );
    expect(snapshot(file)).toEqual(before);
  });
});

describeWithShared('runs', () => {
  it('are edited and deleted with their tasks and events', async () => {
    const store = memoryStore();
    const [run] = await ingestInto(store, [SUMMIT.dg2Async.file]);
    const edited = await store.editRun(run, { label: 'dg2-async', mode: 'async', workflow: 'DG2', capacity: { cores: 100 } });
    expect(edited).toMatchObject({ label: 'dg2-async', mode: 'async', workflow: 'DG2', capacity: { cores: 100, gpus: 96 } });
    expect(store.db.prepare('SELECT COUNT(*) FROM events').pluck().get()).toBeGreaterThan(10_000);
    await store.deleteRuns([edited]);
    expect(await store.listRuns()).toEqual([]);
    expect(store.db.prepare('SELECT COUNT(*) FROM tasks').pluck().get()).toBe(0);
    expect(store.db.prepare('SELECT COUNT(*) FROM events').pluck().get()).toBe(0);
  });
});

describeWithShared('ingest', () => {
  const counts = (store: ReturnType<typeof memoryStore>) =>
    ['runs', 'tasks', 'events'].map((table) => store.db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get());

  it('stores the same content once: a re-ingest says which run it is', async () => {
    const store = memoryStore();
    await ingestInto(store, [SUMMIT.dg2Async.file], { label: 'first' });
    const before = counts(store);
    const copy = path.join(work, 'copy-of-dg2-async.tgz');
    fs.copyFileSync(SUMMIT.dg2Async.file, copy); // another name, same bytes
    const outcomes = await ingest(store, { paths: [SUMMIT.dg2Async.file, copy], format: 'auto', replace: false, label: 'second' });
    expect(outcomes.map((o) => (o.kind === 'saved' ? [o.result.status, o.result.run.id, o.result.run.label] : o.kind))).toEqual([
      ['existing', SUMMIT.dg2Async.id, 'first'],
      ['existing', SUMMIT.dg2Async.id, 'first'],
    ]);
    expect(counts(store)).toEqual(before);
  });

  it('--replace re-imports, keeping the run id and the metadata not given again', async () => {
    const store = memoryStore();
    const [old] = await ingestInto(store, [SUMMIT.dg2Async.file], { label: 'dg2-async', mode: 'async' });
    const before = counts(store);
    const outcomes = await ingest(store, { paths: [SUMMIT.dg2Async.file], format: 'auto', replace: true });
    const result = outcomes[0].kind === 'saved' ? outcomes[0].result : null;
    expect(result?.status).toBe('replaced');
    expect(result?.run).toMatchObject({ id: old.id, label: 'dg2-async', mode: 'async' });
    expect(counts(store)).toEqual(before);
  });

  it('stores the good inputs and reports the bad ones, each bad one leaving no trace', async () => {
    const store = memoryStore();
    const bad = path.join(work, 'bad.csv');
    fs.writeFileSync(bad, 'id,start,end\na,1,2\nb,2,x\n');
    const outcomes = await ingest(store, { paths: [bad, SUMMIT.dg2Sync.file, path.join(work, 'nowhere.csv')], format: 'auto', replace: false });
    expect(outcomes.map((o) => o.kind).sort()).toEqual(['failed', 'failed', 'saved']);
    expect((await store.listRuns()).map((r) => r.id)).toEqual([SUMMIT.dg2Sync.id]);
    const messages = outcomes.flatMap((o) => (o.kind === 'failed' ? [o.error.message] : []));
    expect(messages).toEqual(expect.arrayContaining([expect.stringMatching(/bad\.csv:3: field "end"/), expect.stringMatching(/nowhere\.csv: no such file or folder/)]));
  });

  it('rolls back a run whose write fails half-way', async () => {
    const store = memoryStore();
    await ingestInto(store, [SUMMIT.dg2Sync.file]);
    const before = counts(store);
    // Make the events insert fail after the run and its tasks were written.
    // Events go to event_rows or, by pattern, to event_times (schema migration 6): either insert fails.
    for (const table of ['event_rows', 'event_times']) {
      store.db.exec(`CREATE TRIGGER fail_${table} BEFORE INSERT ON ${table} BEGIN SELECT RAISE(ABORT, 'disk full (simulated)'); END;`);
    }
    const outcomes = await ingest(store, { paths: [SUMMIT.dg2Async.file], format: 'auto', replace: false });
    expect(outcomes[0].kind === 'failed' && outcomes[0].error.message).toMatch(/disk full \(simulated\)/);
    expect(counts(store)).toEqual(before);
  });
});
