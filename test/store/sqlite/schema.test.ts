/**
 * The stored task columns are the task fields: a field added to run/task-fields.ts without a
 * migration that adds its column fails here, not at the first ingest.
 */
import { describe, expect, it } from 'vitest';
import { TASK_FIELDS } from '../../../src/run/task-fields.js';
import { memoryStore } from '../../helpers/store.js';

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
