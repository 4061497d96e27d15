/**
 * asyncscope durations as a user runs it, on the DG2 Summit runs and on small hostile cases (helpers/fixture-stores.ts):
 * JSON shapes, human tables, warnings, and exit 2 on unknown runs, events, states.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, cliJson, tempDir } from '../helpers/cli.js';
import { analysisStore } from '../helpers/fixture-stores.js';
import { SUMMIT } from '../helpers/traces.js';
import { beforeAllWithShared, describeWithShared } from '../helpers/shared-traces.js';

const work = tempDir();
const db = path.join(work, 'durations.db');
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

interface AnalyzeJson {
  runs: { busy_s: number | null }[];
}

beforeAllWithShared(() => analysisStore(db), 120_000);

describeWithShared('asyncscope durations', () => {
  it('scheduling: state AGENT_SCHEDULING to schedule_ok, per type, as JSON', async () => {
    const { code, json } = await cliJson<Record<string, any>>(['durations', 'dg2-async', '--from-state', 'AGENT_SCHEDULING', '--to', 'schedule_ok', '--by', 'type', '--db', db]);
    expect(code).toBe(0);
    expect(Object.keys(json)).toEqual(['id', 'label', 'from', 'to', 'by', 'tasks', 'spans', 'missing', 'first_s', 'last_s', 'total_s', 'sum_s', 'max_concurrent', 'overlap_execution_s', 'overlap_execution_fraction', 'duration_s', 'groups', 'per_task']);
    expect(json).toMatchObject({ id: SUMMIT.dg2Async.id, from: { state: 'AGENT_SCHEDULING' }, to: { event: 'schedule_ok' }, by: 'type', tasks: 256, spans: 256, missing: 0, per_task: null });
    // Tasks of later stages are scheduled while earlier ones execute: part of the scheduling time is hidden.
    expect(json.overlap_execution_s).toBeGreaterThan(0);
    expect(json.overlap_execution_s).toBeLessThan(json.total_s);
    expect(json.total_s).toBeLessThan(json.sum_s);
    expect(json.groups.map((g: { name: string; tasks: number }) => [g.name, g.tasks])).toEqual([['T0', 96], ['T1T2', 32], ['T3T6', 96], ['T4T5', 16], ['T7', 16]]);
  });

  it('execution: exec_start to exec_stop; its total is the busy time of analyze', async () => {
    const durations = await cliJson<Record<string, any>>(['durations', 'dg2-sync', '--from', 'exec_start', '--to', 'exec_stop', '--per-task', '--db', db]);
    const analyze = await cliJson<AnalyzeJson>(['analyze', 'dg2-sync', '--db', db]);
    expect(durations.json.total_s).toBeCloseTo(analyze.json.runs[0].busy_s as number, 9);
    // Execution overlaps itself entirely.
    expect(durations.json.overlap_execution_s).toBeCloseTo(durations.json.total_s, 9);
    expect(durations.json.overlap_execution_fraction).toBeCloseTo(1, 12);
    expect(durations.json.max_concurrent).toBe(112);
    expect(durations.json.per_task).toHaveLength(256);
    expect(durations.json.per_task[0]).toEqual({ uid: expect.stringMatching(/^task\./), from_s: expect.any(Number), to_s: expect.any(Number), duration_s: expect.any(Number) });
    const human = await cli(['durations', 'dg2-sync', '--from', 'exec_start', '--to', 'exec_stop', '--db', db]);
    expect(human.stdout).toMatch(/from exec_start to exec_stop\ntasks: +256 with both\ntotal_s: +1777\.356/);
    expect(human.stdout).toMatch(/\nall +256 +1777\.356 /);
  });

  it('exits 2 naming an unknown event or state and listing the ones the run has', async () => {
    const [event, state, noEvents, half, run] = await Promise.all([
      cli(['durations', 'dg2-async', '--from', 'exec_strat', '--to', 'exec_stop', '--db', db]),
      cli(['durations', 'dg2-async', '--from-state', 'SCHEDULING_AGENT', '--to', 'schedule_ok', '--db', db]),
      cli(['durations', 'partial', '--from', 'exec_start', '--to', 'exec_stop', '--db', db]),
      cli(['durations', 'dg2-async', '--from', 'exec_start', '--db', db]),
      cli(['durations', 'nope', '--from', 'exec_start', '--to', 'exec_stop', '--db', db]),
    ]);
    expect(event.code).toBe(2);
    expect(event.stderr).toMatch(/^asyncscope: error: run re\.session\.login5\.pascuzzi\.019221\.0001 has no event "exec_strat"; its events: advance, .*exec_start, exec_stop, .*schedule_ok/);
    expect(state.code).toBe(2);
    expect(state.stderr).toMatch(/has no state "SCHEDULING_AGENT"; its states: .*AGENT_SCHEDULING/);
    expect(noEvents.code).toBe(2);
    expect(noEvents.stderr).toMatch(/run partial has no profile events/);
    expect(half.code).toBe(2);
    expect(half.stderr).toMatch(/--to EVENT or --to-state STATE/);
    expect(run.code).toBe(2);
  });
});
