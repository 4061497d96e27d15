/**
 * The stored task columns are the task fields: a field added to run/task-fields.ts without a
 * migration that adds its column fails here, not at the first ingest. A store from before the
 * events were stored by pattern (migration 6) keeps its events, as rows the `events` view shows.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { TASK_FIELDS } from '../../../src/run/task-fields.js';
import { MIGRATIONS } from '../../../src/store/sqlite/schema.js';
import { tempDir } from '../../helpers/cli.js';
import { fileStore, memoryStore } from '../../helpers/store.js';

describe('the schema', () => {
  // Columns added by later migrations come last in the table (ALTER TABLE appends); the store
  // names columns in every statement, so only the set matters.
  it('stores one column per task field, besides the run key and the task index', async () => {
    const store = memoryStore();
    const columns = (store.db.pragma('table_info(tasks)') as { name: string }[]).map((c) => c.name);
    await store.close();
    expect(columns.slice(0, 2)).toEqual(['run_pk', 'idx']);
    expect(columns.slice(2).sort()).toEqual(TASK_FIELDS.map((field) => field.column).sort());
  });
});

describe('a store from before events by pattern (schema version 5)', () => {
  it('is upgraded in place: its event rows are read as before, by the store and through the events view', async () => {
    const file = path.join(tempDir(), 'v5.db');
    const old = new Database(file);
    for (const migration of MIGRATIONS.slice(0, 5)) old.exec(migration);
    old.pragma('user_version = 5');
    old.exec(`INSERT INTO runs (pk, id, label, mode, format, source, content_hash, imported_at, tasks, executed, incomplete)
              VALUES (1, 'old', 'old', 'async', 'csv', 'old.csv', 'h', '2026-01-01T00:00:00Z', 2, 2, 0);
              INSERT INTO tasks (run_pk, idx, uid, type, start_s, end_s) VALUES (1, 0, 'a', 't', 0, 2), (1, 1, 'b', 't', 1, 3);
              INSERT INTO events VALUES (1, 0, 0, 'exec_start', NULL, 0), (1, 0, 1, 'advance', 'DONE', 2), (1, 1, 0, 'exec_start', NULL, 1), (1, 1, 1, 'advance', 'FAILED', 3);`);
    old.close();

    const store = fileStore(file, { access: 'write' });
    expect(store.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    const [run] = await store.listRuns();
    const events = await store.loadEvents(run);
    expect([events.task, events.event, events.state, events.time]).toEqual([
      [0, 0, 1, 1],
      ['exec_start', 'advance', 'exec_start', 'advance'],
      [null, 'DONE', null, 'FAILED'],
      [0, 2, 1, 3],
    ]);
    expect(store.db.prepare('SELECT COUNT(*) FROM events WHERE run_pk = 1').pluck().get()).toBe(4);
    expect(await store.lastEventTime(run)).toBe(3);
    expect((await store.eventVocabulary(run)).states).toEqual(new Map([['DONE', 1], ['FAILED', 1]]));
    await store.deleteRuns([run]);
    expect(store.db.prepare('SELECT COUNT(*) FROM event_rows').pluck().get()).toBe(0);
    await store.close();
  });
});
