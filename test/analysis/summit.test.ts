/**
 * The four Summit runs of the paper, measured by task type: the figures of issue 3's table
 * (rounded there; computed exactly here and compared within 1e-3), the DG2 overlaps, and the
 * RADICAL-Analytics pairs of the paper's notebooks (scheduling and execution).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { durationsOf } from '../../src/analysis/durations.js';
import { analyzeStoredRun, prepareStoredRun, storedEventSpans, storedGroupKeys, storedRunSeries } from '../../src/analysis/stored-run.js';
import type { StoredRun } from '../../src/run/stored-run.js';
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { ingestInto, memoryStore } from '../helpers/store.js';
import { SUMMIT } from '../helpers/traces.js';
import { beforeAllWithShared, describeWithShared } from '../helpers/shared-traces.js';

const TABLE = [
  { trace: SUMMIT.ddmdSync, cpu: 0.1562, gpu: 0.6844, max: 96, mean: 68.164, asyncFraction: 0, doa: 1 },
  { trace: SUMMIT.ddmdAsync, cpu: 0.1948, gpu: 0.8532, max: 113, mean: 84.979, asyncFraction: 0.1795, doa: 1.1795 },
  { trace: SUMMIT.dg2Sync, cpu: 0.2331, gpu: 0.6412, max: 112, mean: 70.446, asyncFraction: 0, doa: 1 },
  { trace: SUMMIT.dg2Async, cpu: 0.3151, gpu: 0.8664, max: 112, mean: 95.187, asyncFraction: 0.5275, doa: 1.5275 },
];

let store: SqliteStore;
const runs = new Map<string, StoredRun>();

beforeAllWithShared(async () => {
  store = memoryStore();
  for (const run of await ingestInto(store, TABLE.map((row) => row.trace.file))) runs.set(run.id, run);
}, 120_000);

describeWithShared('Summit runs by task type (issue 3 table)', () => {
  for (const row of TABLE) {
    it(`${row.trace.id}`, async () => {
      const { json, warnings } = await analyzeStoredRun(store, runs.get(row.trace.id)!, { by: 'type' });
      expect(warnings).toEqual([]);
      expect(json.note).toBeNull();
      expect(json.tasks).toBe(row.trace.tasks);
      expect(json.makespan_s!).toBeCloseTo(row.trace.makespan, 3);
      expect(Math.abs(json.utilization.cpu! - row.cpu)).toBeLessThan(1e-3);
      expect(Math.abs(json.utilization.gpu! - row.gpu)).toBeLessThan(1e-3);
      expect(json.concurrency.max).toBe(row.max);
      expect(Math.abs(json.concurrency.mean! - row.mean)).toBeLessThan(1e-3);
      expect(Math.abs(json.asynchronicity.async_fraction! - row.asyncFraction)).toBeLessThan(1e-3);
      expect(Math.abs(json.asynchronicity.doa! - row.doa)).toBeLessThan(1e-3);
      expect(json.busy_s! + json.idle_s!).toBeCloseTo(json.makespan_s!, 9);
    });
  }

  it('DG2 async: T3T6 overlaps T4T5 for 231.532 s and T7 for 462.574 s (fraction 1.0), and nothing else', async () => {
    const { json } = await analyzeStoredRun(store, runs.get(SUMMIT.dg2Async.id)!, { by: 'type' });
    expect(json.overlap.map((o) => [o.a, o.b])).toEqual([['T3T6', 'T4T5'], ['T3T6', 'T7']]);
    expect(Math.abs(json.overlap[0].seconds - 231.532)).toBeLessThan(1e-3);
    expect(Math.abs(json.overlap[1].seconds - 462.574)).toBeLessThan(1e-3);
    for (const o of json.overlap) expect(Math.abs(o.fraction - 1)).toBeLessThan(1e-3);
    expect(json.groups.map((g) => g.name)).toEqual(['T0', 'T1T2', 'T3T6', 'T4T5', 'T7']);
  });

  it('the synchronous runs have no overlapping types', async () => {
    for (const trace of [SUMMIT.dg2Sync, SUMMIT.ddmdSync]) expect((await analyzeStoredRun(store, runs.get(trace.id)!)).json.overlap).toEqual([]);
  });

  it('DG2 async by stage instance and by pipeline', async () => {
    const run = runs.get(SUMMIT.dg2Async.id)!;
    const byStage = (await analyzeStoredRun(store, run, { by: 'stage' })).json;
    expect(byStage.groups.map((g) => [g.name, g.tasks])).toEqual([
      ['pipeline.0000/stage.0000', 96],
      ['pipeline.0000/stage.0001', 32],
      ['pipeline.0001/stage.0002', 96],
      ['pipeline.0002/stage.0003', 16],
      ['pipeline.0002/stage.0004', 16],
    ]);
    const byPipeline = (await analyzeStoredRun(store, run, { by: 'pipeline' })).json;
    // pipelines 0001 (T3T6) and 0002 (T4T5 -> T7) run side by side: the two overlaps above joined
    expect(byPipeline.overlap.map((o) => [o.a, o.b])).toEqual([['pipeline.0001', 'pipeline.0002']]);
    expect(byPipeline.overlap[0].seconds).toBeCloseTo(231.532 + 462.574, 2);
  });

  it('reads the same task columns as loadTasks', async () => {
    for (const run of runs.values()) {
      const all = await store.loadTasks(run);
      const columns = await store.loadTaskColumns(run, ['type', 'stage', 'pipeline']);
      expect(columns.length).toBe(all.length);
      for (let i = 0; i < all.length; i++) {
        expect([columns.start[i], columns.end[i], columns.cores[i], columns.gpus[i], columns.type[i], columns.stage[i], columns.pipeline[i]]).toEqual([
          all.start[i], all.end[i], all.cores[i], all.gpus[i], all.type[i], all.stage[i], all.pipeline[i],
        ]);
      }
    }
  });

  it('chart series: the per-type layers add up to the cores and GPUs in use', async () => {
    const series = (await storedRunSeries(store, runs.get(SUMMIT.dg2Async.id)!, { by: 'type', bins: 50 }))!;
    expect(series.concurrency.bins.mean).toHaveLength(50);
    expect(Math.max(...series.concurrency.bins.max)).toBe(112);
    for (const quantity of [series.cores, series.gpus]) {
      expect(quantity.byGroup.map((g) => g.group)).toEqual(['T0', 'T1T2', 'T3T6', 'T4T5', 'T7']);
      for (let b = 0; b < 50; b++) {
        expect(quantity.byGroup.reduce((sum, g) => sum + g.bins.mean[b], 0)).toBeCloseTo(quantity.bins.mean[b], 6);
      }
    }
    // GPUs in use never exceed the 96 of the machine
    expect(Math.max(...series.gpus.steps.value)).toBeLessThanOrEqual(96);
  });
});

describeWithShared('RADICAL-Analytics pairs of the paper notebooks', () => {
  /** First event matching `from`, then first matching `to` after it, for each task: written out plainly. */
  async function bruteSpans(run: StoredRun, from: (e: { event: string; state: string | null }) => boolean, to: typeof from) {
    const events = await store.loadEvents(run);
    const spans = new Map<number, [number, number]>();
    const started = new Map<number, number>();
    for (let k = 0; k < events.length; k++) {
      const task = events.task[k];
      const e = { event: events.event[k], state: events.state[k] };
      if (!started.has(task)) {
        if (from(e)) started.set(task, events.time[k]);
      } else if (!spans.has(task) && to(e)) {
        spans.set(task, [started.get(task)!, events.time[k]]);
      }
    }
    return spans;
  }

  for (const trace of [SUMMIT.dg2Async, SUMMIT.ddmdAsync]) {
    it(`scheduling (state AGENT_SCHEDULING to schedule_ok) of ${trace.id}`, async () => {
      const run = runs.get(trace.id)!;
      const spans = await storedEventSpans(store, run, { state: 'AGENT_SCHEDULING' }, { event: 'schedule_ok' });
      const brute = await bruteSpans(run, (e) => e.state === 'AGENT_SCHEDULING', (e) => e.event === 'schedule_ok');
      expect(spans.length).toBe(trace.tasks);
      expect(brute.size).toBe(trace.tasks);
      for (let i = 0; i < spans.length; i++) expect([spans.start[i], spans.end[i]]).toEqual(brute.get(spans.task[i]));
      const d = durationsOf(spans).all!;
      expect(d.duration.min).toBeGreaterThan(0);
      expect(d.total).toBeLessThanOrEqual(d.sum);
      const byType = new Map(durationsOf(spans, await storedGroupKeys(store, run, 'type', spans.task)).groups.map((g) => [g.name, g]));
      if (trace === SUMMIT.dg2Async) {
        // DG2 never asks for more than the machine has free: every task is placed at once
        expect(d.duration.max).toBeLessThan(1);
      } else {
        // DDMD async queues 192 simulations for 96 GPUs: half of them wait in the scheduler for a
        // free GPU for about one simulation (340 s); CPU-only preprocessing is placed at once
        expect(byType.get('Simulation')!.duration.max).toBeGreaterThan(300);
        expect(byType.get('Preprocessing')!.duration.max).toBeLessThan(1);
      }
    });

    it(`execution (exec_start to exec_stop) of ${trace.id} equals the stored task intervals`, async () => {
      const run = runs.get(trace.id)!;
      const spans = await storedEventSpans(store, run, { event: 'exec_start' }, { event: 'exec_stop' });
      const tasks = await store.loadTasks(run);
      expect(spans.length).toBe(trace.tasks);
      for (let i = 0; i < spans.length; i++) {
        expect(spans.start[i]).toBe(tasks.start[spans.task[i]]);
        expect(spans.end[i]).toBe(tasks.end[spans.task[i]]);
      }
      // RADICAL-Analytics' duration() of execution is the union of the ranges: analyze's busy time
      const prepared = await prepareStoredRun(store, run);
      expect(durationsOf(spans).all!.total).toBeCloseTo((await analyzeStoredRun(store, run)).json.busy_s!, 9);
      expect(durationsOf(spans).maxConcurrent).toBe(TABLE.find((row) => row.trace === trace)!.max);
      expect(prepared.intervals.length).toBe(trace.tasks);
    });
  }
});
