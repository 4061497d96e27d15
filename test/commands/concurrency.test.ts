/**
 * asyncscope concurrency as a user runs it, on the DG2 Summit runs and on small hostile cases (helpers/fixture-stores.ts):
 * JSON shapes, human tables, warnings, and exit 2 on unknown runs, events, states.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, cliJson, tempDir } from '../helpers/cli.js';
import { analysisStore } from '../helpers/fixture-stores.js';
import { beforeAllWithShared, describeWithShared } from '../helpers/shared-traces.js';

const work = tempDir();
const db = path.join(work, 'concurrency.db');
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

beforeAllWithShared(() => analysisStore(db), 120_000);

describeWithShared('asyncscope concurrency', () => {
  it('exec_start to exec_stop in 200 bins, as JSON', async () => {
    const { code, json } = await cliJson<Record<string, any>>(['concurrency', 'dg2-async', '--from', 'exec_start', '--to', 'exec_stop', '--bins', '200', '--db', db]);
    expect(code).toBe(0);
    expect(Object.keys(json)).toEqual(['id', 'label', 'from', 'to', 'tasks', 'start_s', 'end_s', 'max', 'mean', 'steps', 'bins', 'note']);
    expect(json).toMatchObject({ from: { event: 'exec_start' }, to: { event: 'exec_stop' }, tasks: 256, max: 112, note: null });
    expect(json.mean).toBeCloseTo(95.187, 3);
    expect(json.bins.mean).toHaveLength(200);
    expect(Math.max(...json.bins.max)).toBe(112);
    expect(json.bins.bin_width * 200).toBeCloseTo(1332.734, 3);
    expect(json.steps.t.length).toBe(json.steps.value.length);
    expect(json.steps.value.at(-1)).toBe(0);
  });

  it('without --from/--to: the stored execution intervals, the same figures', async () => {
    const events = await cliJson<Record<string, any>>(['concurrency', 'dg2-async', '--from', 'exec_start', '--to', 'exec_stop', '--db', db]);
    const stored = await cliJson<Record<string, any>>(['concurrency', 'dg2-async', '--db', db]);
    expect(stored.json).toMatchObject({ from: null, to: null, max: 112 });
    expect(stored.json.steps).toEqual(events.json.steps);
    const human = await cli(['concurrency', 'dg2-async', '--bins', '10', '--db', db]);
    expect(human.stdout).toMatch(/tasks executing \(stored start to end\)\n/);
    expect(human.stdout).toMatch(/FROM_S +TO_S +MEAN_TASKS +MAX_TASKS\n/);
    expect(human.stdout.trim().split('\n').filter((line) => /^\d/.test(line))).toHaveLength(10);
  });

  it('scheduling: how many tasks were waiting in the agent scheduler', async () => {
    const { json } = await cliJson<Record<string, any>>(['concurrency', 'dg2-async', '--from-state', 'AGENT_SCHEDULING', '--to', 'schedule_ok', '--db', db]);
    expect(json.tasks).toBe(256);
    expect(json.max).toBeGreaterThan(0);
    expect(json.start_s).toBeLessThan(0); // scheduling happens before the first task starts (time zero)
  });

  it('a run without start times: null figures and a note; unknown names: exit 2', async () => {
    const [{ code, json }, bad, bins] = await Promise.all([
      cliJson<Record<string, any>>(['concurrency', 'instance', '--db', db]),
      cli(['concurrency', 'dg2-async', '--from', 'exec_start', '--to-state', 'FINISHED', '--db', db]),
      cli(['concurrency', 'dg2-async', '--bins', '0', '--db', db]),
    ]);
    expect(code).toBe(0);
    expect(json).toMatchObject({ tasks: 0, max: null, mean: null, steps: null, bins: null });
    expect(json.note).toMatch(/no start times/);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/has no state "FINISHED"/);
    expect(bins.code).toBe(2);
  });
});
