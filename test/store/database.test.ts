/**
 * The store: pragmas, forward migrations, run lookup by id and label, edits and cascading deletes,
 * and the all-or-nothing behaviour of ingest.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ingest } from '../../src/importers/ingest.js';
import { openDatabase, useWal } from '../../src/store/database.js';
import { deleteRun, editRun, listRuns, resolveRun, resolveRuns } from '../../src/store/runs.js';
import { MIGRATIONS, SCHEMA_VERSION } from '../../src/store/schema.js';
import { tempDir } from '../helpers/cli.js';
import { ingestInto, memoryDb } from '../helpers/store.js';
import { SUMMIT } from '../helpers/traces.js';

const work = tempDir();
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('opening a database', () => {
  it('creates the schema with WAL, foreign keys and a busy timeout', () => {
    const file = path.join(work, 'fresh.db');
    const db = openDatabase(file);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBeGreaterThanOrEqual(10_000);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual(['events', 'runs', 'task_edges', 'tasks']);
    db.close();
  });

  it('gives a new database a rollback journal for a first bulk write, until useWal; an existing one stays WAL', () => {
    const file = path.join(work, 'bulk.db');
    const db = openDatabase(file, { bulkWriteIfNew: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('delete');
    useWal(db);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    const again = openDatabase(file, { bulkWriteIfNew: true });
    expect(again.pragma('journal_mode', { simple: true })).toBe('wal');
    again.close();
  });

  it('applies later migrations to an older database and keeps its data', async () => {
    const file = path.join(work, 'old.db');
    const old = openDatabase(file);
    await ingestInto(old, [SUMMIT.dg2Async.file]);
    old.close();
    const upgraded = openDatabase(file, { migrations: [...MIGRATIONS, 'ALTER TABLE runs ADD COLUMN note TEXT;'] });
    expect(upgraded.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 1);
    expect(upgraded.prepare('SELECT id, note FROM runs').get()).toEqual({ id: SUMMIT.dg2Async.id, note: null });
    upgraded.close();
  });

  it('refuses a database written by a newer asyncscope', () => {
    const file = path.join(work, 'newer.db');
    const db = openDatabase(file);
    db.pragma(`user_version = ${SCHEMA_VERSION + 5}`);
    db.close();
    expect(() => openDatabase(file)).toThrow(/has schema version \d+, newer than this asyncscope knows .*upgrade asyncscope/);
  });

  it('refuses a file that is not a database, and a missing one when it must exist', () => {
    const file = path.join(work, 'not-a-db.db');
    fs.writeFileSync(file, 'hello, I am text and not SQLite at all '.repeat(100));
    expect(() => openDatabase(file)).toThrow(/cannot use database .*not-a-db\.db: file is not a database/);
    expect(() => openDatabase(path.join(work, 'missing.db'), { mustExist: true })).toThrow(/no database at .*missing\.db: ingest a trace first/);
    expect(() => openDatabase(path.join(work, 'no', 'such', 'folder.db'))).toThrow(/folder .* does not exist/);
  });
});

describe('runs', () => {
  it('are found by id or label; a shared label names all its runs', async () => {
    const db = memoryDb();
    await ingestInto(db, [SUMMIT.dg2Sync.file], { label: 'dg2', mode: 'sync' });
    await ingestInto(db, [SUMMIT.dg2Async.file], { label: 'dg2', mode: 'async' });
    expect(resolveRun(db, SUMMIT.dg2Sync.id).mode).toBe('sync');
    expect(resolveRuns(db, 'dg2').map((r) => r.mode)).toEqual(['sync', 'async']);
    expect(() => resolveRun(db, 'dg2')).toThrow(/label "dg2" is carried by 2 runs \(.*019221\.0000, .*019221\.0001\): name one by its id, or "dg2@latest" for the latest/);
    expect(resolveRun(db, 'dg2@latest').id).toBe(SUMMIT.dg2Async.id);
    expect(() => resolveRun(db, 'dg3@latest')).toThrow(/no run with label "dg3"/);
    expect(() => resolveRun(db, 'dg3')).toThrow(/no run with id or label "dg3" \(did you mean "dg2"\?\)/);
    expect(() => resolveRun(memoryDb(), 'x')).toThrow(/the database holds no runs yet/);
  });

  it('are edited and deleted with their tasks and events', async () => {
    const db = memoryDb();
    const [run] = await ingestInto(db, [SUMMIT.dg2Async.file]);
    const edited = editRun(db, run, { label: 'dg2-async', mode: 'async', workflow: 'DG2', capacity: { cores: 100 } });
    expect(edited).toMatchObject({ label: 'dg2-async', mode: 'async', workflow: 'DG2', capacity: { cores: 100, gpus: 96 } });
    expect(db.prepare('SELECT COUNT(*) FROM events').pluck().get()).toBeGreaterThan(10_000);
    deleteRun(db, edited);
    expect(listRuns(db)).toEqual([]);
    expect(db.prepare('SELECT COUNT(*) FROM tasks').pluck().get()).toBe(0);
    expect(db.prepare('SELECT COUNT(*) FROM events').pluck().get()).toBe(0);
  });
});

describe('ingest', () => {
  const counts = (db: ReturnType<typeof memoryDb>) =>
    ['runs', 'tasks', 'events'].map((table) => db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get());

  it('stores the same content once: a re-ingest says which run it is', async () => {
    const db = memoryDb();
    await ingestInto(db, [SUMMIT.dg2Async.file], { label: 'first' });
    const before = counts(db);
    const copy = path.join(work, 'copy-of-dg2-async.tgz');
    fs.copyFileSync(SUMMIT.dg2Async.file, copy); // another name, same bytes
    const outcomes = await ingest(db, { paths: [SUMMIT.dg2Async.file, copy], format: 'auto', replace: false, label: 'second' });
    expect(outcomes.map((o) => (o.kind === 'saved' ? [o.result.status, o.result.run.id, o.result.run.label] : o.kind))).toEqual([
      ['existing', SUMMIT.dg2Async.id, 'first'],
      ['existing', SUMMIT.dg2Async.id, 'first'],
    ]);
    expect(counts(db)).toEqual(before);
  });

  it('--replace re-imports, keeping the run id and the metadata not given again', async () => {
    const db = memoryDb();
    const [old] = await ingestInto(db, [SUMMIT.dg2Async.file], { label: 'dg2-async', mode: 'async' });
    const before = counts(db);
    const outcomes = await ingest(db, { paths: [SUMMIT.dg2Async.file], format: 'auto', replace: true });
    const result = outcomes[0].kind === 'saved' ? outcomes[0].result : null;
    expect(result?.status).toBe('replaced');
    expect(result?.run).toMatchObject({ id: old.id, label: 'dg2-async', mode: 'async' });
    expect(counts(db)).toEqual(before);
  });

  it('stores the good inputs and reports the bad ones, each bad one leaving no trace', async () => {
    const db = memoryDb();
    const bad = path.join(work, 'bad.csv');
    fs.writeFileSync(bad, 'id,start,end\na,1,2\nb,2,x\n');
    const outcomes = await ingest(db, { paths: [bad, SUMMIT.dg2Sync.file, path.join(work, 'nowhere.csv')], format: 'auto', replace: false });
    expect(outcomes.map((o) => o.kind).sort()).toEqual(['failed', 'failed', 'saved']);
    expect(listRuns(db).map((r) => r.id)).toEqual([SUMMIT.dg2Sync.id]);
    const messages = outcomes.flatMap((o) => (o.kind === 'failed' ? [o.error.message] : []));
    expect(messages).toEqual(expect.arrayContaining([expect.stringMatching(/bad\.csv:3: field "end"/), expect.stringMatching(/nowhere\.csv: no such file or folder/)]));
  });

  it('rolls back a run whose write fails half-way', async () => {
    const db = memoryDb();
    await ingestInto(db, [SUMMIT.dg2Sync.file]);
    const before = counts(db);
    // Make the events insert fail after the run and its tasks were written.
    db.exec("CREATE TRIGGER fail_events BEFORE INSERT ON events BEGIN SELECT RAISE(ABORT, 'disk full (simulated)'); END;");
    const outcomes = await ingest(db, { paths: [SUMMIT.dg2Async.file], format: 'auto', replace: false });
    expect(outcomes[0].kind === 'failed' && outcomes[0].error.message).toMatch(/disk full \(simulated\)/);
    expect(counts(db)).toEqual(before);
  });
});
