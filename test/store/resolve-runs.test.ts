/**
 * The one run resolver every command uses: a run id, a label (all its runs), or LABEL@latest;
 * and what it says when nothing matches.
 */
import { describe, expect, it } from 'vitest';
import { resolveEach } from '../../src/store/resolve-runs.js';
import { ingestInto, memoryStore } from '../helpers/store.js';
import { SUMMIT } from '../helpers/traces.js';
import { describeWithShared } from '../helpers/shared-traces.js';

describeWithShared('resolving runs', () => {
  it('finds a run by id or label; a shared label names all its runs; LABEL@latest the latest', async () => {
    const store = memoryStore();
    await ingestInto(store, [SUMMIT.dg2Sync.file], { label: 'dg2', mode: 'sync' });
    await ingestInto(store, [SUMMIT.dg2Async.file], { label: 'dg2', mode: 'async' });
    expect((await store.resolveRun(SUMMIT.dg2Sync.id)).mode).toBe('sync');
    expect((await store.resolveRuns('dg2')).map((r) => r.mode)).toEqual(['sync', 'async']);
    await expect(store.resolveRun('dg2')).rejects.toThrow(/label "dg2" is carried by 2 runs \(.*019221\.0000, .*019221\.0001\): name one by its id, or "dg2@latest" for the latest/);
    expect((await store.resolveRun('dg2@latest')).id).toBe(SUMMIT.dg2Async.id);
    // where a label names several runs, LABEL@latest names one: every command accepts it (issue 13, point 5)
    expect((await store.resolveRuns('dg2@latest')).map((r) => r.id)).toEqual([SUMMIT.dg2Async.id]);
    await expect(store.resolveRun('dg3@latest')).rejects.toThrow(/no run with label "dg3"/);
    await expect(store.resolveRun('dg3')).rejects.toThrow(/no run with id or label "dg3" \(did you mean "dg2"\?\)/);
    await expect(memoryStore().resolveRun('x')).rejects.toThrow(/the database holds no runs yet/);
  });

  it('takes a label that itself ends in @latest as the label', async () => {
    const store = memoryStore();
    await ingestInto(store, [SUMMIT.dg2Sync.file], { label: 'odd@latest' });
    expect((await store.resolveRun('odd@latest')).id).toBe(SUMMIT.dg2Sync.id);
  });

  it('gives each run of several references once, in the order first named', async () => {
    const store = memoryStore();
    await ingestInto(store, [SUMMIT.dg2Sync.file], { label: 'dg2' });
    await ingestInto(store, [SUMMIT.dg2Async.file], { label: 'dg2' });
    const runs = await resolveEach(store, [SUMMIT.dg2Async.id, 'dg2', 'dg2@latest']);
    expect(runs.map((r) => r.id)).toEqual([SUMMIT.dg2Async.id, SUMMIT.dg2Sync.id]);
  });
});
