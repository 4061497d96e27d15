/**
 * A RADICAL-Pilot run cut short: the task that started and never stopped is left out with a
 * warning, or with --include-incomplete ends at the run's last profile event.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeStoredRun, storedEventSpans } from '../../src/analysis/stored-run.js';
import type { StoredRun } from '../../src/run/stored-run.js';
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { tempDir } from '../helpers/cli.js';
import { profLine, PROFILE_HEADER, sessionJson, writeFolder } from '../helpers/rp-session.js';
import { ingestInto, memoryStore } from '../helpers/store.js';

const T0 = 1_700_000_000;
const work = tempDir();
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('a run cut short', () => {
  const sid = 'rp.session.cut.0000';
  const description = { executable: '/bin/sleep', cpu_processes: 1, cpu_threads: 4, gpu_processes: 1 };
  const dir = writeFolder(path.join(work, sid), [
    {
      path: `${sid}.json`,
      content: sessionJson(sid, [
        { uid: 'sim.0000', name: '', state: 'DONE', description },
        { uid: 'sim.0001', name: '', state: 'AGENT_EXECUTING', description },
      ], { nodes: 1, cores_per_node: 16, gpus_per_node: 2 }),
    },
    {
      path: 'pilot.0000/agent.prof',
      content: [
        PROFILE_HEADER,
        profLine(T0 + 10, 'advance', 'sim.0000', 'AGENT_SCHEDULING'),
        profLine(T0 + 11, 'schedule_ok', 'sim.0000'),
        profLine(T0 + 12, 'exec_start', 'sim.0000'),
        profLine(T0 + 15, 'advance', 'sim.0001', 'AGENT_SCHEDULING'),
        profLine(T0 + 20, 'exec_start', 'sim.0001'),
        profLine(T0 + 52, 'exec_stop', 'sim.0000'),
        profLine(T0 + 55, 'advance', 'sim.0000', 'DONE'), // the last event of the run
      ].join('\n'),
    },
  ]);
  let store: SqliteStore;
  let run: StoredRun;
  beforeAll(async () => {
    store = memoryStore();
    [run] = await ingestInto(store, [dir]);
  });

  it('leaves the incomplete task out by default, with a warning naming how many', async () => {
    const { json, warnings } = await analyzeStoredRun(store, run);
    expect(json).toMatchObject({ tasks: 2, executed: 1, incomplete: 1, makespan_s: 40, concurrency: { max: 1 } });
    expect(warnings).toEqual([expect.stringMatching(/^1 incomplete task\(s\) \(started, never ended\) excluded/)]);
  });

  it('clips it at the last event (55 s after the epoch, 43 s after time zero) when asked', async () => {
    const { json } = await analyzeStoredRun(store, run, { includeIncomplete: true });
    // sim.0000 [0, 40), sim.0001 [8, 43): makespan 43, both run on [8, 40)
    expect(json).toMatchObject({ executed: 1, incomplete: 1, makespan_s: 43, busy_s: 43, concurrency: { max: 2 } });
    expect(json.groups[0]).toMatchObject({ name: 'sim', tasks: 2, end_s: 43 });
    expect(json.utilization.gpu).toBeCloseTo((40 + 35) / (2 * 43), 12);
  });

  it('a span whose TO never came is not a span', async () => {
    const spans = await storedEventSpans(store, run, { state: 'AGENT_SCHEDULING' }, { event: 'exec_start' });
    expect(spans.length).toBe(2);
    expect((await storedEventSpans(store, run, { event: 'exec_start' }, { event: 'exec_stop' })).length).toBe(1);
  });
});
