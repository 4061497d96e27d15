/**
 * The Store interface on both backends (SQLite and a real PostgreSQL server, test/global-setup.ts):
 * the same runs, tasks, events and dependencies come back from each; the same rules for
 * opening (new, older, newer, foreign, empty stores), for writing (one transaction, content
 * dedupe, replace, ids), and for changing runs. What only one backend has (SQLite's WAL and
 * read-only files) is in test/store/sqlite/ and test/store/postgres/.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { ingest } from '../../src/importers/ingest.js';
import { openStore } from '../../src/store/open-store.js';
import { MIGRATIONS, SCHEMA_VERSION } from '../../src/store/sqlite/schema.js';
import type { Store } from '../../src/store/store.js';
import { BACKENDS, newStore, type Backend } from '../helpers/backends.js';
import { tempDir } from '../helpers/cli.js';
import { describeWithShared } from '../helpers/shared-traces.js';
import { ingestInto } from '../helpers/store.js';
import { SUMMIT } from '../helpers/traces.js';
import { WFCOMMONS } from '../helpers/wfcommons.js';

const work = tempDir();
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const TRACES = [SUMMIT.dg2Async.file, SUMMIT.ddmdSync.file, WFCOMMONS.srasearch.file, WFCOMMONS.forkjoin.file];

/** Everything a store holds of its runs, through the Store interface (pk and import time left out: they are the store's own). */
async function contents(store: Store) {
  const runs = await store.listRuns();
  return Promise.all(
    runs.map(async (run) => {
      const { pk: _pk, importedAt: _importedAt, ...meta } = run;
      const columns = await store.loadTaskColumns(run, ['type', 'stage', 'pipeline']);
      return {
        meta,
        types: await store.typeCounts(run),
        tasks: await store.loadTasks(run),
        columns: { ...columns, start: Array.from(columns.start), end: Array.from(columns.end), cores: Array.from(columns.cores), gpus: Array.from(columns.gpus) },
        uids: await store.loadTaskUids(run),
        events: await store.loadEvents(run),
        someEvents: await store.loadEvents(run, { names: ['exec_start', 'exec_stop'], states: ['DONE'] }),
        vocabulary: await store.eventVocabulary(run),
        lastEvent: await store.lastEventTime(run),
        edges: await store.loadEdges(run),
      };
    }),
  );
}

async function counts(backend: Backend, location: string) {
  return Promise.all(['runs', 'tasks', 'events', 'task_edges'].map((table) => backend.count(location, table)));
}

describeWithShared('both backends hold the same', () => {
  it('runs, tasks, events and dependencies of real traces', async () => {
    const [sqlite, postgres] = await Promise.all(BACKENDS.map((backend) => newStore(backend)));
    for (const { store } of [sqlite, postgres]) {
      await ingestInto(store, TRACES, { label: 'same' });
      await ingestInto(store, [SUMMIT.dg2Sync.file], { label: 'dg2-sync', mode: 'sync', workflow: 'DG2' });
    }
    const [a, b] = [await contents(sqlite.store), await contents(postgres.store)];
    expect(a.length).toBe(TRACES.length + 1);
    expect(a.reduce((n, run) => n + run.events.length, 0)).toBeGreaterThan(10_000);
    expect(a.reduce((n, run) => n + run.edges.length, 0)).toBeGreaterThan(30);
    expect(b).toEqual(a);
    expect(await postgres.store.runNames()).toEqual((await sqlite.store.runNames()).sort());
    await Promise.all([sqlite.store.close(), postgres.store.close()]);
  });
});

for (const backend of BACKENDS) describeWithShared(`the store on ${backend.name}`, () => {

  it('applies later migrations to an older store and keeps its data; reading refuses to migrate', async () => {
    const { store, location } = await newStore(backend);
    await ingestInto(store, [SUMMIT.dg2Async.file]);
    await store.close();
    const later = [...MIGRATIONS, 'ALTER TABLE runs ADD COLUMN note TEXT;'];
    await expect(openStore(location, { access: 'read', migrations: later })).rejects.toThrow(
      new RegExp(`has schema version ${SCHEMA_VERSION}, older than this asyncscope's ${SCHEMA_VERSION + 1}: it needs an upgrade`),
    );
    const upgraded = await openStore(location, { access: 'write', migrations: later });
    expect((await upgraded.listRuns()).map((run) => run.id)).toEqual([SUMMIT.dg2Async.id]);
    await upgraded.close();
    // A store of the later version is newer than this asyncscope: refused for reading and for writing.
    for (const access of ['read', 'write'] as const) {
      await expect(openStore(location, { access })).rejects.toThrow(
        new RegExp(`has schema version ${SCHEMA_VERSION + 1}, newer than this asyncscope knows \\(${SCHEMA_VERSION}\\): upgrade asyncscope`),
      );
    }
  });

  it("refuses a database that is not asyncscope's, and leaves it as it was", async () => {
    const location = await backend.newLocation();
    await backend.exec(location, 'CREATE TABLE foo (x INTEGER); INSERT INTO foo VALUES (1);');
    for (const access of ['read', 'write'] as const) {
      await expect(openStore(location, { access, create: true } as never)).rejects.toThrow(/^not an asyncscope database: .*\(it holds the tables foo.*\); asyncscope leaves it as it is: give another --db$/);
    }
    expect(await backend.count(location, 'foo')).toBe(1);
  });

  it('an empty database is no store to read, and becomes one when written', async () => {
    const location = await backend.newLocation();
    if (backend.name === 'sqlite') fs.writeFileSync(location, '');
    await expect(openStore(location, { access: 'read' })).rejects.toThrow(/is an empty database, not yet an asyncscope store: ingest a trace into it first/);
    const store = await openStore(location, { access: 'write' });
    expect(await store.listRuns()).toEqual([]);
    await store.close();
  });

  it('opened for reading, refuses every write', async () => {
    const { store: writer, location } = await newStore(backend);
    const [run] = await ingestInto(writer, [SUMMIT.dg2Async.file], { label: 'dg2-async' });
    await writer.close();
    const store = await openStore(location, { access: 'read' });
    await expect(store.editRun(run, { label: 'x' })).rejects.toThrow(/read-?only/);
    expect((await store.listRuns()).map((r) => r.label)).toEqual(['dg2-async']);
    await store.close();
  });

  it('edits and deletes runs with their tasks and events', async () => {
    const { store, location } = await newStore(backend);
    const [run] = await ingestInto(store, [SUMMIT.dg2Async.file]);
    const edited = await store.editRun(run, { label: 'dg2-async', mode: 'async', workflow: 'DG2', capacity: { cores: 100 } });
    expect(edited).toMatchObject({ label: 'dg2-async', mode: 'async', workflow: 'DG2', capacity: { cores: 100, gpus: 96 } });
    expect(await backend.count(location, 'events')).toBeGreaterThan(10_000);
    await store.deleteRuns([edited]);
    expect(await store.listRuns()).toEqual([]);
    await store.close();
    expect(await counts(backend, location)).toEqual([0, 0, 0, 0]);
  });

  it('stores the same content once: a re-ingest says which run it is', async () => {
    const { store, location } = await newStore(backend);
    await ingestInto(store, [SUMMIT.dg2Async.file], { label: 'first' });
    const before = await counts(backend, location);
    const copy = path.join(work, `copy-${backend.name}.tgz`);
    fs.copyFileSync(SUMMIT.dg2Async.file, copy);
    const outcomes = await ingest(store, { paths: [SUMMIT.dg2Async.file, copy], format: 'auto', replace: false, label: 'second' });
    expect(outcomes.map((o) => (o.kind === 'saved' ? [o.result.status, o.result.run.id, o.result.run.label] : o.kind))).toEqual([
      ['existing', SUMMIT.dg2Async.id, 'first'],
      ['existing', SUMMIT.dg2Async.id, 'first'],
    ]);
    expect(await counts(backend, location)).toEqual(before);
    await store.close();
  });

  it('--replace re-imports, keeping the run id and the metadata not given again', async () => {
    const { store, location } = await newStore(backend);
    const [old] = await ingestInto(store, [SUMMIT.dg2Async.file], { label: 'dg2-async', mode: 'async' });
    const before = await counts(backend, location);
    const outcomes = await ingest(store, { paths: [SUMMIT.dg2Async.file], format: 'auto', replace: true });
    const result = outcomes[0].kind === 'saved' ? outcomes[0].result : null;
    expect(result?.status).toBe('replaced');
    expect(result?.notes).toEqual([`replaced run ${old.id}`]);
    expect(result?.run).toMatchObject({ id: old.id, label: 'dg2-async', mode: 'async' });
    expect(await counts(backend, location)).toEqual(before);
    await store.close();
  });

  it('gives a run whose id is taken by other content the next free id', async () => {
    const { store } = await newStore(backend);
    const csv = (name: string, body: string) => {
      const file = path.join(work, backend.name, name, 'tasks.csv');
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, body);
      return file;
    };
    const runs = await ingestInto(store, [csv('a', 'id,start,end\nx,1,2\n'), csv('b', 'id,start,end\nx,1,3\n'), csv('c', 'id,start,end\nx,1,4\n')]);
    expect(runs.map((run) => run.id)).toEqual(['tasks', 'tasks-2', 'tasks-3']);
    await store.close();
  });

  it('stores the good inputs and reports the bad ones, each bad one leaving no trace', async () => {
    const { store, location } = await newStore(backend);
    const bad = path.join(work, `bad-${backend.name}.csv`);
    fs.writeFileSync(bad, 'id,start,end\na,1,2\nb,2,x\n');
    const outcomes = await ingest(store, { paths: [bad, SUMMIT.dg2Sync.file, path.join(work, 'nowhere.csv')], format: 'auto', replace: false });
    expect(outcomes.map((o) => o.kind).sort()).toEqual(['failed', 'failed', 'saved']);
    expect((await store.listRuns()).map((r) => r.id)).toEqual([SUMMIT.dg2Sync.id]);
    await store.close();
    expect(await backend.count(location, 'runs')).toBe(1);
  });

  it('rolls back a run whose write fails half-way, and stays usable', async () => {
    const { store, location } = await newStore(backend);
    await ingestInto(store, [SUMMIT.dg2Sync.file]);
    const before = await counts(backend, location);
    await store.close();
    await backend.exec(location, backend.failEventsSql);
    const again = await openStore(location, { access: 'write' });
    const outcomes = await ingest(again, { paths: [SUMMIT.dg2Async.file], format: 'auto', replace: false });
    expect(outcomes[0].kind === 'failed' && outcomes[0].error.message).toMatch(/disk full \(simulated\)/);
    expect((await again.listRuns()).length).toBe(1);
    await again.close();
    expect(await counts(backend, location)).toEqual(before);
  });
});
