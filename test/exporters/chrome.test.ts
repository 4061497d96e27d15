/**
 * The Chrome/Perfetto export checked against the Trace Event Format rules (known phases, times in
 * microseconds, no overlapping slices on a lane, names for every process and thread), on the real
 * Summit runs and on timelines built to trip rounding.
 */
import { NO_PROVENANCE } from '../../src/run/provenance.js';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromeTrace, planChrome } from '../../src/exporters/chrome.js';
import { exportRun } from '../../src/exporters/index.js';
import type { StoredRun } from '../../src/run/stored-run.js';
import { TaskTable } from '../../src/run/task-table.js';
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { tempDir } from '../helpers/cli.js';
import { ingestInto, memoryStore } from '../helpers/store.js';
import { checkTraceEventFormat } from '../helpers/trace-event-format.js';
import { SUMMIT } from '../helpers/traces.js';
import { WFCOMMONS } from '../helpers/wfcommons.js';
import { describeWithShared } from '../helpers/shared-traces.js';

const work = tempDir();
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid?: number;
  args: Record<string, unknown>;
}

/** Peak of the sum of `amount` over tasks running at once, [start, end) intervals. */
function peak(tasks: TaskTable, amount: (i: number) => number): number {
  const changes: [number, number][] = [];
  for (let i = 0; i < tasks.length; i++) {
    if (Number.isNaN(tasks.start[i]) || Number.isNaN(tasks.end[i])) continue;
    changes.push([tasks.start[i], amount(i)], [tasks.end[i], -amount(i)]);
  }
  changes.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let best = 0;
  for (const [, delta] of changes) best = Math.max(best, (now += delta));
  return best;
}

describeWithShared('Chrome export of the Summit runs', () => {
  let store: SqliteStore;
  const runs: Record<string, StoredRun> = {};
  beforeAll(async () => {
    store = memoryStore();
    [runs.dg2Async] = await ingestInto(store, [SUMMIT.dg2Async.file]);
    [runs.ddmdSync] = await ingestInto(store, [SUMMIT.ddmdSync.file]);
  });

  for (const [key, expected] of [
    ['dg2Async', SUMMIT.dg2Async],
    ['ddmdSync', SUMMIT.ddmdSync],
  ] as const) {
    it(`${key}: a valid trace, one process per type, lanes without overlap, counters that match the tasks`, async () => {
      const run = runs[key];
      const out = path.join(work, `${key}.json`);
      const summary = await exportRun(store, run, 'chrome', out);
      const document = JSON.parse(fs.readFileSync(out, 'utf8')) as { traceEvents: TraceEvent[]; displayTimeUnit: string; otherData: { asyncscope: Record<string, unknown> } };
      const check = checkTraceEventFormat(document, { strictLanes: true });
      expect(check.problems).toEqual([]);
      expect(Object.keys(check.phases).sort()).toEqual(['C', 'M', 'X']);
      expect(check.phases.X).toBe(expected.tasks);
      expect(summary).toMatchObject({ format: 'chrome', tasks: expected.tasks, exported: expected.tasks, skipped: 0, lanes: check.threads });

      const events = document.traceEvents;
      const tasks = await store.loadTasks(run);
      const types = [...new Set(tasks.type)];
      const processNames = events.filter((e) => e.ph === 'M' && e.name === 'process_name').map((e) => e.args.name);
      expect(new Set(processNames)).toEqual(new Set(['resources in use', ...types]));
      // Every slice sits in the process named after its type, and carries the task's fields.
      const pidName = new Map(events.filter((e) => e.ph === 'M' && e.name === 'process_name').map((e) => [e.pid, e.args.name]));
      const slices = events.filter((e) => e.ph === 'X');
      for (const slice of slices) expect(pidName.get(slice.pid)).toBe(slice.name);
      const first = slices.find((s) => s.args.uid === tasks.uid[0])!;
      expect(first.args).toEqual({
        uid: tasks.uid[0],
        name: tasks.name[0],
        pipeline: tasks.pipeline[0],
        stage: tasks.stage[0],
        state: tasks.state[0],
        outcome: tasks.outcome[0],
        node: tasks.node[0],
        cores: tasks.cores[0],
        gpus: tasks.gpus[0],
      });
      expect(first.ts / 1e6).toBeCloseTo(tasks.start[0], 6);
      expect((first.ts + first.dur!) / 1e6).toBeCloseTo(tasks.end[0], 6);
      const lastEnd = Math.max(...slices.map((s) => s.ts + s.dur!));
      expect(lastEnd / 1e6).toBeCloseTo(expected.makespan, 3);

      // Counters: their peaks are the peaks of the tasks' resources, and everything is released at the end.
      const counters = events.filter((e) => e.ph === 'C');
      expect(new Set(counters.map((e) => e.name))).toEqual(new Set(['in use']));
      const counter = (key: string) => counters.map((e) => [e.ts, e.args[key] as number] as const);
      const cores = counter('CPU cores');
      const gpus = counter('GPUs');
      const running = counter('tasks');
      expect(Math.max(...cores.map(([, v]) => v))).toBe(peak(tasks, (i) => tasks.cores[i]));
      expect(Math.max(...gpus.map(([, v]) => v))).toBe(peak(tasks, (i) => tasks.gpus[i]));
      expect(Math.max(...running.map(([, v]) => v))).toBe(peak(tasks, () => 1));
      for (const series of [cores, gpus, running]) {
        expect(series[0][0]).toBe(0);
        expect(series[series.length - 1]).toEqual([lastEnd, 0]);
      }
      expect(document.displayTimeUnit).toBe('ms');
      expect(document.otherData.asyncscope).toMatchObject({ run_id: run.id, epoch_s: run.epoch, capacity: { nodes: 16, cores: 2688, gpus: 96 } });
    });
  }

  it('refuses an unscheduled WfCommons run: there is no timeline to draw', async () => {
    const [run] = await ingestInto(store, [WFCOMMONS.forkjoin.file]);
    await expect(exportRun(store, run, 'chrome', path.join(work, 'wf.json'))).rejects.toThrow(/run helloworld-forkjoin-10-chameleon is unscheduled: .*export it as csv or jsonl/);
    expect(fs.existsSync(path.join(work, 'wf.json'))).toBe(false);
  });
});

/** A StoredRun for pure tests of the trace writer. */
function fakeRun(): StoredRun {
  return {
    pk: 1, id: 'fake', label: 'fake', mode: 'async', workflow: null, format: 'csv', source: '/dev/null', contentHash: '', importedAt: '',
    epoch: 1.7e9, scheduled: true, capacity: { nodes: null, coresPerNode: null, gpusPerNode: null, cores: null, gpus: null },
    tasks: 0, executed: 0, incomplete: 0, makespanS: null, outcomes: {}, warnings: [], provenance: NO_PROVENANCE, typeFrom: null,
  };
}

function trace(tasks: TaskTable): { events: TraceEvent[]; plan: ReturnType<typeof planChrome> } {
  const plan = planChrome(tasks);
  const document = JSON.parse([...chromeTrace(fakeRun(), tasks, plan)].join('')) as { traceEvents: TraceEvent[] };
  const check = checkTraceEventFormat(document, { strictLanes: true });
  expect(check.problems).toEqual([]);
  return { events: document.traceEvents, plan };
}

describe('Chrome export: lanes under floating-point times', () => {
  it('keeps a chain of back-to-back tasks with inexact times on one lane, without overlap', () => {
    const tasks = new TaskTable();
    for (let k = 0; k < 1000; k++) tasks.push({ uid: `t${k}`, type: 'step', start: k * 0.1, end: (k + 1) * 0.1, cores: 1 });
    const { events, plan } = trace(tasks);
    expect(plan.lanesPerType).toEqual([1]);
    // tasks running never exceeds 1 although 0.1 * k is inexact
    expect(Math.max(...events.filter((e) => e.ph === 'C').map((e) => e.args.tasks as number))).toBe(1);
  });

  it('keeps zero-length tasks off the lane of a task starting at the same instant (viewers would nest them)', () => {
    const tasks = new TaskTable();
    tasks.push({ uid: 'before', type: 'x', start: 0, end: 1 });
    tasks.push({ uid: 'instant', type: 'x', start: 1, end: 1 });
    tasks.push({ uid: 'after', type: 'x', start: 1, end: 2 });
    tasks.push({ uid: 'instant2', type: 'x', start: 2, end: 2 });
    tasks.push({ uid: 'later', type: 'x', start: 3, end: 4 });
    const { plan } = trace(tasks); // trace() checks that no slice of a lane lies inside another
    expect(plan.lanesPerType).toEqual([2]);
    expect(plan.lane[1]).not.toBe(plan.lane[2]);
  });

  it('leaves out tasks without a start or an end, and omits counters of unknown resources', () => {
    const tasks = new TaskTable();
    tasks.push({ uid: 'done', type: 'a', start: 0, end: 1 });
    tasks.push({ uid: 'cut', type: 'a', start: 0.5 });
    tasks.push({ uid: 'never', type: 'b' });
    const { events, plan } = trace(tasks);
    expect(plan.skipped).toBe(2);
    expect(events.filter((e) => e.ph === 'X').map((e) => e.args.uid)).toEqual(['done']);
    for (const counter of events.filter((e) => e.ph === 'C')) expect(Object.keys(counter.args)).toEqual(['tasks']);
  });

  it('writes microseconds exactly: integer nanoseconds survive the text', () => {
    const tasks = new TaskTable();
    tasks.push({ uid: 'a', type: 'x', start: 0, end: 123.456789123 });
    tasks.push({ uid: 'b', type: 'x', start: 1e-9, end: 2.5e-7 });
    const { events } = trace(tasks);
    const [a, b] = events.filter((e) => e.ph === 'X');
    expect([a.ts, a.dur]).toEqual([0, 123456789.123]);
    expect([b.ts, b.dur]).toEqual([0.001, 0.249]);
  });
});
