import { describe, expect, it } from 'vitest';
import { loadTasks } from '../../src/store/tasks.js';
import { ingestInto, memoryDb } from '../helpers/store.js';
import { SUMMIT } from '../helpers/traces.js';

describe('store smoke', () => {
  it('ingests DG2 async in process', async () => {
    const db = memoryDb();
    const [run] = await ingestInto(db, [SUMMIT.dg2Async.file]);
    expect(run.tasks).toBe(256);
    expect(loadTasks(db, run).length).toBe(256);
  });
});
