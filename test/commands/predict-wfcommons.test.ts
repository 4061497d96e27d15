/**
 * Predicted makespans of the shipped WfCommons instances on a given platform: ingest, then
 * `asyncscope predict --from-run RUN --cores N` (the model infers a task-level DAG from the stored
 * edges and runtimes). Every expected figure is derived by hand or from the stored data with the
 * test's own helpers (total work, critical path), not read from the model.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, cliJson, tempDir } from '../helpers/cli.js';
import { criticalPath, WFCOMMONS } from '../helpers/wfcommons.js';
import { fileStore } from '../helpers/store.js';
import { beforeAllWithShared, describeWithShared } from '../helpers/shared-traces.js';

const work = tempDir();
const db = path.join(work, 'wf.db');
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

interface Prediction {
  sequential_s: number;
  sync_s: number;
  async_ideal_s: number;
  async_s: number;
}

/** Total work (sum of runtimes) and critical path of a stored instance, from its tasks and edges. */
async function stored(id: string): Promise<{ work: number; criticalPath: number }> {
  const store = fileStore(db, { access: 'read' });
  try {
    const run = await store.resolveRun(id);
    const tasks = await store.loadTasks(run);
    return { work: tasks.runtime.reduce((sum, r) => sum + r, 0), criticalPath: criticalPath(tasks.runtime, await store.loadEdges(run)).length };
  } finally {
    await store.close();
  }
}

async function predict(id: string, ...flags: string[]): Promise<Prediction> {
  const { code, json, stderr } = await cliJson<Prediction>(['predict', '--from-run', id, ...flags, '--db', db]);
  expect(code, stderr).toBe(0);
  return json;
}

beforeAllWithShared(async () => {
  const result = await cli(['ingest', WFCOMMONS.forkjoin.file, WFCOMMONS.bacass.file, WFCOMMONS.srasearch.file, '--db', db]);
  expect(result.code).toBe(0);
});

describeWithShared('predict --from-run on the ingested WfCommons instances', () => {
  it('fork-join: the critical path on 64 cores, two waves on 4 cores, the total work on 1 core', async () => {
    const { work: total, criticalPath: cp } = await stored(WFCOMMONS.forkjoin.id);
    expect(total).toBeCloseTo(1028.704, 9); // the ten runtimes added by hand
    expect(cp).toBeCloseTo(307.36, 9); // 100.187 + 107.353 + 99.82
    const [wide, four, one] = await Promise.all([
      predict(WFCOMMONS.forkjoin.id, '--cores', '64'),
      predict(WFCOMMONS.forkjoin.id, '--cores', '4'),
      predict(WFCOMMONS.forkjoin.id, '--cores', '1'),
    ]);
    // 64 cores hold the 8 middle tasks at once: every schedule is the critical path; one by one, the total work.
    for (const key of ['async_s', 'sync_s', 'async_ideal_s'] as const) expect(wide[key]).toBeCloseTo(cp, 6);
    expect(wide.sequential_s).toBeCloseTo(total, 6);
    // 4 cores: tasks 2-5 start at 100.187 and end at 207.540, 203.076, 203.757, 202.662; tasks 6, 7, 8, 9
    // take the cores as they free: 6 at 202.662 -> 305.869, 7 at 203.076 -> 305.589, 8 at 203.757 -> 307.333,
    // 9 at 207.540 -> 310.654; task 10 then ends at 310.654 + 99.82 = 410.474 (level by level the same).
    expect(four.async_s).toBeCloseTo(410.474, 6);
    expect(four.sync_s).toBeCloseTo(410.474, 6);
    for (const key of ['async_s', 'sync_s', 'sequential_s'] as const) expect(one[key]).toBeCloseTo(total, 6);
    expect(one.async_ideal_s).toBeCloseTo(cp, 6);
  });

  it('bacass on the machine the instance states (1 core): the total work, against the stated 4243 s', async () => {
    const { work: total, criticalPath: cp } = await stored(WFCOMMONS.bacass.id);
    expect(total).toBeCloseTo(3961.87, 9);
    expect(cp).toBe(2150); // SKEWER_3 192 + UNICYCLER_6 1385 + PROKKA_8 573
    const prediction = await predict(WFCOMMONS.bacass.id);
    expect(prediction.async_s).toBeCloseTo(total, 6);
    expect(prediction.async_ideal_s).toBeCloseTo(cp, 6);
    // The measured run took 4243 s: 6.6% more than its work on one core (Nextflow's own overheads).
    expect(1 - prediction.async_s / WFCOMMONS.bacass.makespan).toBeCloseTo(0.0663, 3);
  });

  it('srasearch on its 48 cores: every level fits, so all but sequential are the critical path', async () => {
    const { work: total, criticalPath: cp } = await stored(WFCOMMONS.srasearch.id);
    expect(cp).toBeCloseTo(921.24 + 84.503 + 0.115, 9);
    const prediction = await predict(WFCOMMONS.srasearch.id, '--cores', '48');
    for (const key of ['async_s', 'sync_s', 'async_ideal_s'] as const) expect(prediction[key]).toBeCloseTo(cp, 6);
    expect(prediction.sequential_s).toBeCloseTo(total, 6);
  });
});
