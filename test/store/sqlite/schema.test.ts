/**
 * The stored task columns are the task fields: a field added to run/task-fields.ts without a
 * migration that adds its column fails here, not at the first ingest.
 */
import { describe, expect, it } from 'vitest';
import { TASK_FIELDS } from '../../../src/run/task-fields.js';
import { memoryStore } from '../../helpers/store.js';

describe('the schema', () => {
  it('stores one column per task field, after the run key and the task index', async () => {
    const store = memoryStore();
    const columns = (store.db.pragma('table_info(tasks)') as { name: string }[]).map((c) => c.name);
    await store.close();
    expect(columns).toEqual(['run_pk', 'idx', ...TASK_FIELDS.map((field) => field.column)]);
  });
});
