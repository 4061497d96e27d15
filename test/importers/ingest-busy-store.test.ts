/**
 * A store another process keeps locked past SQLite's busy timeout (60 s: too long for a test, so
 * the store's beginRun answers as SQLite then does): the input's failure names the input and the
 * store, in one line, instead of SQLite's bare "database is locked".
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingest } from '../../src/importers/ingest.js';
import type { Store } from '../../src/store/store.js';
import { ROOT } from '../helpers/cli.js';
import { memoryStore } from '../helpers/store.js';

const SACCT = path.join(ROOT, 'traces', 'sacct', 'all-fields.sacct.txt');
const DASK = path.join(ROOT, 'traces', 'dask', 'paper-example', 'task-stream.jsonl');

/** `store`, whose beginRun fails as better-sqlite3 does when the busy timeout runs out. */
function lockedStore(store: Store): Store {
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'beginRun') {
        return () => Promise.reject(Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }));
      }
      const value = Reflect.get(target, property, receiver) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

describe('ingest into a store locked by another process', () => {
  it('names the input and the store, for a run of a multi-run importer and for a streamed one', async () => {
    const store = lockedStore(memoryStore());
    const outcomes = await ingest(store, { paths: [DASK, SACCT], format: 'auto', replace: false, capacity: { cores: 8 } });
    expect(outcomes.map((o) => o.kind)).toEqual(['failed', 'failed']);
    const [dask, sacct] = outcomes.map((o) => (o.kind === 'failed' ? o.error.message : ''));
    expect(dask).toBe(`${DASK}: not stored: ${store.location} stayed locked by another process past the wait for it (database is locked); try again when that process is done`);
    // A run of an input that may hold several is named by its run as well.
    expect(sacct).toMatch(/all-fields\.sacct\.txt.*not stored: .* stayed locked by another process past the wait for it \(database is locked\)/);
    expect(await store.listRuns()).toEqual([]);
  });
});
