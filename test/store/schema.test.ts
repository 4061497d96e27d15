/**
 * The stored task columns are the task fields: a field added to run/task-fields.ts without a
 * migration that adds its column fails here, not at the first ingest.
 */
import { describe, expect, it } from 'vitest';
import { TASK_FIELDS } from '../../src/run/task-fields.js';
import { openDatabase } from '../../src/store/database.js';

describe('the schema', () => {
  it('stores one column per task field, after the run key and the task index', () => {
    const db = openDatabase(':memory:');
    const columns = (db.pragma('table_info(tasks)') as { name: string }[]).map((c) => c.name);
    db.close();
    expect(columns).toEqual(['run_pk', 'idx', ...TASK_FIELDS.map((field) => field.column)]);
  });
});
