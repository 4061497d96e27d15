/**
 * A transaction that only adds a run writes it with SQLite's foreign-key checks off
 * (run-writer.ts, uncheckedKeys): the rows stored are those a transaction with the checks on
 * stores (one that replaces a run keeps them on), the checks are on again once the transaction
 * is over however it ends, and a replaced run's rows still go with it (ON DELETE CASCADE).
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UNKNOWN_CAPACITY } from '../../../src/run/capacity.js';
import type { Db } from '../../../src/store/sqlite/database.js';
import type { SqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import { isRunWrite, type RunWrite } from '../../../src/store/store.js';
import { ingestInto, memoryStore } from '../../helpers/store.js';
import { describeWithShared } from '../../helpers/shared-traces.js';
import { RP_DIR } from '../../helpers/traces.js';

const header = (id: string) => ({ id, format: 'test', source: 'test', workflow: null, capacity: UNKNOWN_CAPACITY, scheduled: true });
const checksKeys = (db: Db) => db.pragma('foreign_keys', { simple: true }) === 1;

/** Every row of every run-owned table, run_pk left out, in key order. */
function rows(db: Db): Record<string, unknown[]> {
  const tables: Record<string, string> = {
    tasks: 'SELECT * FROM tasks ORDER BY run_pk, idx',
    events: 'SELECT * FROM events ORDER BY run_pk, task_idx, seq',
    task_details: 'SELECT * FROM task_details ORDER BY run_pk, task_idx',
    task_edges: 'SELECT * FROM task_edges ORDER BY run_pk, child_idx, parent_idx',
    run_meta: 'SELECT * FROM run_meta ORDER BY run_pk, key',
  };
  return Object.fromEntries(
    Object.entries(tables).map(([table, sql]) => [table, (db.prepare(sql).all() as Record<string, unknown>[]).map(({ run_pk: _pk, ...row }) => row)]),
  );
}

async function writeSmallRun(store: SqliteStore, replace: boolean): Promise<RunWrite> {
  const write = await store.beginRun(header('small'), { replace, epoch: 0 });
  if (!isRunWrite(write)) throw new Error('not written');
  for (let i = 0; i < 300; i++) {
    const task = write.pushValues(`t${i}`, `n${i}`, 'type', 'stage', null, 'DONE', 'done', 'node1', 2, 1, i, i + 1, NaN, i % 3, null, null);
    write.addEvent(task, 'start', null, i);
    write.addEvent(task, 'stop', 'DONE', i + 1);
    write.addDetails(task, 'type', '/bin/x', 'stage', 1);
    if (i > 0) write.addEdge(i - 1, i);
  }
  return write;
}

describe('a run written with the foreign-key checks off', () => {
  it('is stored as with them on (a replacing transaction), and the checks are on again after it', async () => {
    const unchecked = memoryStore();
    const added = await writeSmallRun(unchecked, false);
    expect(checksKeys(unchecked.db)).toBe(false);
    await added.commit('hash', []);
    expect(checksKeys(unchecked.db)).toBe(true);

    const checked = memoryStore();
    const replacing = await writeSmallRun(checked, true);
    expect(checksKeys(checked.db)).toBe(true);
    await replacing.commit('hash', []);
    expect(rows(unchecked.db)).toEqual(rows(checked.db));
    expect(rows(unchecked.db).events).toHaveLength(600);
    await unchecked.close();
    await checked.close();
  });

  it('leaves the checks on after a rollback, and after finding the run stored already', async () => {
    const store = memoryStore();
    const write = await writeSmallRun(store, false);
    await write.rollback();
    expect(checksKeys(store.db)).toBe(true);
    expect(rows(store.db).tasks).toEqual([]);
    await (await writeSmallRun(store, false)).commit('hash', []);
    const again = await store.beginRun(header('small'), { replace: false, epoch: 0 }, 'hash');
    expect(isRunWrite(again)).toBe(false);
    expect(checksKeys(store.db)).toBe(true);
    await store.close();
  });

  it('is replaced with all its rows (ON DELETE CASCADE, checks on while replacing)', async () => {
    const store = memoryStore();
    await (await writeSmallRun(store, false)).commit('hash', []);
    const replacing = await store.beginRun(header('small'), { replace: true, epoch: 0 });
    if (!isRunWrite(replacing)) throw new Error('not written');
    replacing.pushValues('only', null, 'type', null, null, null, null, null, 1, 0, 0, 1, NaN, NaN, null, null);
    await replacing.commit('other hash', []);
    const stored = rows(store.db);
    expect(stored.tasks).toHaveLength(1);
    expect(stored.events).toEqual([]);
    expect(stored.task_details).toEqual([]);
    expect(stored.task_edges).toEqual([]);
    await store.close();
  });
});

describeWithShared('a real session written with the foreign-key checks off', () => {
  it('is stored as with them on', async () => {
    const trace = path.join(RP_DIR, 're.session.login2.pascuzzi.019224.0001.tgz');
    const unchecked = memoryStore();
    await ingestInto(unchecked, [trace]);
    const checked = memoryStore();
    await ingestInto(checked, [trace], { replace: true });
    expect(rows(unchecked.db)).toEqual(rows(checked.db));
    expect(rows(unchecked.db).events.length).toBeGreaterThan(1000);
    await unchecked.close();
    await checked.close();
  });
});
