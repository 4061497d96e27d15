/**
 * analyze, durations and concurrency as a user runs them, on the DG2 Summit runs and on small
 * hostile cases: JSON shapes, human tables, warnings, and exit 2 on unknown runs, events, states.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNKNOWN_CAPACITY } from '../../src/run/capacity.js';
import { EdgeTable } from '../../src/run/edge-table.js';
import { EventTable } from '../../src/run/event-table.js';
import { TaskTable } from '../../src/run/task-table.js';
import { saveParsedRun } from '../../src/store/save-run.js';
import { cli, cliJson, tempDir } from '../helpers/cli.js';
import { fileStore, ingestInto } from '../helpers/store.js';
import { SUMMIT } from '../helpers/traces.js';

const work = tempDir();
const db = path.join(work, 'analysis.db');
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const RUN_FIELDS = ['id', 'label', 'mode', 'by', 'tasks', 'executed', 'incomplete', 'makespan_s', 'busy_s', 'idle_s', 'utilization', 'concurrency', 'asynchronicity', 'groups', 'overlap', 'note'];
const GROUP_FIELDS = ['name', 'tasks', 'start_s', 'end_s', 'busy_s', 'cores', 'gpus', 'duration_s'];

interface AnalyzeJson {
  runs: (Record<string, unknown> & {
    id: string;
    utilization: { cpu: number | null; gpu: number | null };
    concurrency: { max: number | null; mean: number | null };
    asynchronicity: { async_fraction: number | null; doa: number | null };
    groups: Record<string, unknown>[];
    overlap: { a: string; b: string; seconds: number; fraction: number }[];
    note: string | null;
  })[];
}

beforeAll(async () => {
  const store = fileStore(db);
  await ingestInto(store, [SUMMIT.dg2Sync.file], { mode: 'sync', label: 'dg2-sync' });
  await ingestInto(store, [SUMMIT.dg2Async.file], { mode: 'async', label: 'dg2-async' });
  // a CSV run with one task that never ended, no capacity and no profile events
  const csv = path.join(work, 'partial.csv');
  fs.writeFileSync(csv, 'id,type,start,end,cores,gpus\nsim-1,sim,100,110,4,1\nsim-2,sim,102,,4,1\nml-1,ml,105,120,8,0\n');
  await ingestInto(store, [csv], { label: 'partial' });
  // a run with runtimes and no start times (as a WfCommons instance gives)
  const tasks = new TaskTable();
  tasks.push({ uid: 'a', type: 'mProject', runtime: 12 });
  tasks.push({ uid: 'b', type: 'mAdd', runtime: 30 });
  await saveParsedRun(store, { id: 'instance', format: 'test', source: 'test', workflow: 'montage', capacity: UNKNOWN_CAPACITY, epoch: null, scheduled: false, tasks, events: new EventTable(), edges: new EdgeTable(), warnings: [] }, { contentHash: 'instance', replace: false });
  await store.close();
}, 120_000);

describe('asyncscope analyze', () => {
  it('--json: the documented shape, in the order the runs are named', async () => {
    const { code, json, stderr } = await cliJson<AnalyzeJson>(['analyze', 'dg2-sync', 'dg2-async', '--by', 'type', '--db', db]);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(Object.keys(json)).toEqual(['runs']);
    expect(json.runs.map((r) => r.id)).toEqual([SUMMIT.dg2Sync.id, SUMMIT.dg2Async.id]);
    for (const run of json.runs) {
      expect(Object.keys(run)).toEqual(RUN_FIELDS);
      expect(Object.keys(run.utilization)).toEqual(['cpu', 'gpu']);
      expect(Object.keys(run.concurrency)).toEqual(['max', 'mean']);
      expect(Object.keys(run.asynchronicity)).toEqual(['async_fraction', 'doa']);
      for (const group of run.groups) expect(Object.keys(group)).toEqual(GROUP_FIELDS);
    }
    const [sync, async] = json.runs;
    expect(sync).toMatchObject({ label: 'dg2-sync', mode: 'sync', by: 'type', tasks: 256, executed: 256, incomplete: 0, note: null, overlap: [] });
    expect(async.asynchronicity.doa).toBeCloseTo(1.5275, 3);
    expect(async.utilization.gpu).toBeCloseTo(0.8664, 3);
    expect(async.overlap.map((o) => `${o.a}+${o.b}`)).toEqual(['T3T6+T4T5', 'T3T6+T7']);
    expect(sync.groups.find((g) => g.name === 'T3T6')).toMatchObject({ tasks: 112, cores: 4, gpus: { min: 0, max: 1 } });
  });

  it('prints a table per run, with groups and overlaps', async () => {
    const result = await cli(['analyze', 'dg2-async', '--db', db]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^re\.session\.login5\.pascuzzi\.019221\.0001 {2}\(label dg2-async, mode async, by type\)\n/);
    expect(result.stdout).toMatch(/makespan_s: +1332\.734\n/);
    expect(result.stdout).toMatch(/utilization: +cpu 31\.5%, gpu 86\.6%/);
    expect(result.stdout).toMatch(/concurrency: +max 112, mean 95\.187 tasks/);
    expect(result.stdout).toMatch(/asynchronicity: +doa 1\.5275, async_fraction 0\.5275/);
    expect(result.stdout).toMatch(/TYPE +TASKS +START_S +END_S +BUSY_S +CORES +GPUS +MIN_S +MEDIAN_S +MEAN_S +P95_S +MAX_S +STDDEV_S\n/);
    expect(result.stdout).toMatch(/T3T6 +T4T5 +231\.532 +1\n/);
  });

  it('without arguments analyzes every stored run; unmeasurable runs get null figures and a note', async () => {
    const { code, json, stderr } = await cliJson<AnalyzeJson>(['analyze', '--db', db]);
    expect(code).toBe(0);
    expect(json.runs.map((r) => r.id)).toEqual([SUMMIT.dg2Sync.id, SUMMIT.dg2Async.id, 'partial', 'instance']);
    const instance = json.runs[3];
    expect(instance).toMatchObject({ tasks: 2, executed: 0, makespan_s: null, busy_s: null, utilization: { cpu: null, gpu: null }, concurrency: { max: null, mean: null }, asynchronicity: { async_fraction: null, doa: null }, groups: [], overlap: [] });
    expect(instance.note).toMatch(/no start times/);
    // the partial CSV run: its incomplete task is excluded with a warning naming how many
    expect(stderr).toContain('asyncscope: warning: partial: 1 incomplete task(s) (started, never ended) excluded; --include-incomplete clips them');
    const partial = json.runs[2];
    expect(partial).toMatchObject({ tasks: 3, executed: 2, incomplete: 1, makespan_s: 20, utilization: { cpu: null, gpu: null } });
    expect(partial.note).toMatch(/cores and GPUs are unknown/);

    const human = await cli(['analyze', 'instance', '--db', db]);
    expect(human.stdout).toMatch(/tasks: +2 \(runtimes only, no start times\)\n/);
    expect(human.stdout).toMatch(/note: +the trace gives task runtimes but no start times/);
    expect(human.stdout).not.toMatch(/NaN/);
  });

  it('--include-incomplete clips at the last event, or without events at the last end', async () => {
    const { json, stderr } = await cliJson<AnalyzeJson>(['analyze', 'partial', '--include-incomplete', '--db', db]);
    expect(stderr).toContain('1 incomplete task(s) (started, never ended) included');
    // sim-2 starts at 2 s (from time zero 100) and is clipped at the last end, 20 s
    expect(json.runs[0]).toMatchObject({ makespan_s: 20, concurrency: { max: 3 } });
    expect(json.runs[0].groups.find((g) => g.name === 'sim')).toMatchObject({ tasks: 2, end_s: 20 });
  });

  it('--by stage and --by pipeline', async () => {
    const { json } = await cliJson<AnalyzeJson>(['analyze', 'dg2-async', '--by', 'pipeline', '--db', db]);
    expect(json.runs[0].groups.map((g) => g.name)).toEqual(['pipeline.0000', 'pipeline.0001', 'pipeline.0002']);
    const bad = await cli(['analyze', 'dg2-async', '--by', 'node', '--db', db]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/Expected --by=node to be one of: type, stage, pipeline/);
  });

  it('exits 2 on an unknown run or a missing database, in one line', async () => {
    const unknown = await cli(['analyze', 'dg2-sync', 'dg3', '--db', db]);
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toMatch(/^asyncscope: error: no run with id or label "dg3".*\n$/);
    const missing = await cli(['analyze', '--db', path.join(work, 'nothing.db')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('asyncscope durations', () => {
  it('scheduling: state AGENT_SCHEDULING to schedule_ok, per type, as JSON', async () => {
    const { code, json } = await cliJson<Record<string, any>>(['durations', 'dg2-async', '--from-state', 'AGENT_SCHEDULING', '--to', 'schedule_ok', '--by', 'type', '--db', db]);
    expect(code).toBe(0);
    expect(Object.keys(json)).toEqual(['id', 'label', 'from', 'to', 'by', 'tasks', 'missing', 'first_s', 'last_s', 'total_s', 'sum_s', 'max_concurrent', 'duration_s', 'groups', 'per_task']);
    expect(json).toMatchObject({ id: SUMMIT.dg2Async.id, from: { state: 'AGENT_SCHEDULING' }, to: { event: 'schedule_ok' }, by: 'type', tasks: 256, missing: 0, per_task: null });
    expect(json.total_s).toBeLessThan(json.sum_s);
    expect(json.groups.map((g: { name: string; tasks: number }) => [g.name, g.tasks])).toEqual([['T0', 96], ['T1T2', 32], ['T3T6', 96], ['T4T5', 16], ['T7', 16]]);
  });

  it('execution: exec_start to exec_stop; its total is the busy time of analyze', async () => {
    const durations = await cliJson<Record<string, any>>(['durations', 'dg2-sync', '--from', 'exec_start', '--to', 'exec_stop', '--per-task', '--db', db]);
    const analyze = await cliJson<AnalyzeJson>(['analyze', 'dg2-sync', '--db', db]);
    expect(durations.json.total_s).toBeCloseTo(analyze.json.runs[0].busy_s as number, 9);
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

describe('asyncscope concurrency', () => {
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
