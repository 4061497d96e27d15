import { describe, expect, it } from 'vitest';
import { analyzeRun, prepareRun, seriesOfRun, type RunInfo } from '../../src/analysis/analyze-run.js';
import type { TaskFields } from '../../src/run/task-fields.js';
import { TaskTable } from '../../src/run/task-table.js';

const RUN: RunInfo = { id: 'r1', label: 'demo', mode: 'async', capacity: { cores: 16, gpus: 2 }, scheduled: true };
const JSON_FIELDS = ['id', 'label', 'mode', 'by', 'tasks', 'executed', 'incomplete', 'makespan_s', 'busy_s', 'idle_s', 'utilization', 'concurrency', 'asynchronicity', 'groups', 'overlap', 'note'];

function table(tasks: Partial<TaskFields>[]): TaskTable {
  const t = new TaskTable();
  tasks.forEach((task, i) => t.push({ uid: `t${i}`, type: 'sim', ...task }));
  return t;
}

/** Every number anywhere in a JSON value. */
function numbers(value: unknown): number[] {
  if (typeof value === 'number') return [value];
  if (value && typeof value === 'object') return Object.values(value).flatMap(numbers);
  return [];
}

describe('analyzeRun', () => {
  // sim [0,10) 4 cores 1 GPU; sim [2,6) 4 cores; ml [6,14) 8 cores 1 GPU; nothing on [14,16); sim [16,20) 4 cores
  const tasks = table([
    { start: 0, end: 10, cores: 4, gpus: 1 },
    { start: 2, end: 6, cores: 4, gpus: 0 },
    { start: 6, end: 14, type: 'ml', cores: 8, gpus: 1 },
    { start: 16, end: 20, cores: 4, gpus: 0 },
  ]);

  it('composes every metric into the documented JSON', () => {
    const { json, gaps, warnings } = analyzeRun(RUN, tasks);
    expect(Object.keys(json)).toEqual(JSON_FIELDS);
    expect(json).toMatchObject({ id: 'r1', label: 'demo', mode: 'async', by: 'type', tasks: 4, executed: 4, incomplete: 0, makespan_s: 20, busy_s: 18, idle_s: 2, note: null });
    // core-seconds 40 + 16 + 64 + 16 = 136 over 16 x 20; GPU-seconds 10 + 8 = 18 over 2 x 20
    expect(json.utilization).toEqual({ cpu: 136 / 320, gpu: 18 / 40 });
    expect(json.concurrency).toEqual({ max: 2, mean: 26 / 20 });
    // k >= 1 on 18 s, k = 2 on [6, 10): 4 s
    expect(json.asynchronicity.async_fraction).toBeCloseTo(4 / 18, 12);
    expect(json.asynchronicity.doa).toBeCloseTo(22 / 18, 12);
    expect(json.groups.map((g) => [g.name, g.tasks, g.start_s, g.end_s, g.busy_s, g.cores, g.gpus])).toEqual([
      ['sim', 3, 0, 20, 14, 4, { min: 0, max: 1 }],
      ['ml', 1, 6, 14, 8, 8, 1],
    ]);
    expect(Object.keys(json.groups[0].duration_s)).toEqual(['min', 'median', 'mean', 'p95', 'max', 'stddev']);
    expect(json.overlap).toEqual([{ a: 'sim', b: 'ml', seconds: 4, fraction: 0.5 }]);
    expect(gaps).toBe(1);
    expect(warnings).toEqual([]);
  });

  it('excludes incomplete tasks with a warning, or clips them when asked', () => {
    const withIncomplete = table([{ start: 0, end: 10, cores: 1, gpus: 0 }, { start: 5, end: null, cores: 1, gpus: 0 }]);
    const excluded = analyzeRun(RUN, withIncomplete);
    expect(excluded.json).toMatchObject({ executed: 1, incomplete: 1, makespan_s: 10 });
    expect(excluded.warnings).toEqual([expect.stringMatching(/^1 incomplete task\(s\) \(started, never ended\) excluded; --include-incomplete/)]);
    const clipped = analyzeRun(RUN, withIncomplete, { includeIncomplete: true, clipAt: 30 });
    expect(clipped.json).toMatchObject({ executed: 1, incomplete: 1, makespan_s: 30, busy_s: 30, concurrency: { max: 2 } });
    expect(clipped.json.groups[0].tasks).toBe(2);
    expect(clipped.warnings[0]).toMatch(/1 incomplete task\(s\) .* included, clipped/);
  });

  it('a run without start times: null figures and a note, never NaN', () => {
    const unscheduled = table([{ runtime: 10 }, { runtime: 20 }]);
    const { json, neverStarted, scheduled } = analyzeRun({ ...RUN, scheduled: false }, unscheduled);
    expect([neverStarted, scheduled]).toEqual([0, false]);
    expect(json).toMatchObject({ tasks: 2, executed: 0, makespan_s: null, busy_s: null, utilization: { cpu: null, gpu: null }, concurrency: { max: null, mean: null }, asynchronicity: { async_fraction: null, doa: null }, groups: [], overlap: [] });
    expect(json.note).toMatch(/runtimes but no start times/);
  });

  it('an empty run and a run where nothing executed: null figures and a note saying why', () => {
    expect(analyzeRun(RUN, new TaskTable()).json).toMatchObject({ tasks: 0, makespan_s: null, note: 'the run has no tasks' });
    const none = analyzeRun(RUN, table([{ start: null }, { start: 3, end: null }])).json;
    expect(none).toMatchObject({ tasks: 2, executed: 0, incomplete: 1, makespan_s: null, concurrency: { max: null } });
    expect(none.note).toMatch(/no task has both a start and an end time \(2 task\(s\), 1 never started, 1 incomplete/);
  });

  it('one group, zero makespan, unknown capacity', () => {
    const zero = analyzeRun(RUN, table([{ start: 5, end: 5, cores: 1 }, { start: 5, end: 5, cores: 1 }])).json;
    expect(zero).toMatchObject({ makespan_s: 0, busy_s: 0, idle_s: 0, utilization: { cpu: null, gpu: null }, concurrency: { max: 0, mean: null }, asynchronicity: { async_fraction: null, doa: null } });
    expect(zero.note).toMatch(/makespan is zero/);
    const noCapacity = analyzeRun({ ...RUN, capacity: { cores: null, gpus: null } }, table([{ start: 0, end: 4, cores: 2, gpus: 1 }])).json;
    expect(noCapacity).toMatchObject({ utilization: { cpu: null, gpu: null }, concurrency: { max: 1, mean: 1 }, asynchronicity: { async_fraction: 0, doa: 1 } });
    expect(noCapacity.note).toMatch(/cores and GPUs are unknown.*runs edit/);
    for (const json of [zero, noCapacity]) for (const n of numbers(json)) expect(Number.isFinite(n)).toBe(true);
  });

  it('warns when tasks held more than the stated capacity, or some resources are unknown', () => {
    const over = analyzeRun({ ...RUN, capacity: { cores: 2, gpus: 2 } }, table([{ start: 0, end: 1, cores: 4, gpus: 1 }, { start: 0, end: 1, gpus: 1 }]));
    expect(over.json.utilization.cpu).toBe(2);
    expect(over.warnings.join('\n')).toMatch(/cpu utilization is 2\.000, above 1/);
    expect(over.warnings.join('\n')).toMatch(/leaves out 1 task\(s\) whose cores are unknown/);
  });

  it('groups by pipeline and stage', () => {
    const staged = table([
      { start: 0, end: 2, stage: 's0', pipeline: 'p0' },
      { start: 1, end: 3, stage: 's0', pipeline: 'p1' },
    ]);
    expect(analyzeRun(RUN, staged, { by: 'stage' }).json.groups.map((g) => g.name)).toEqual(['p0/s0', 'p1/s0']);
    expect(analyzeRun(RUN, staged, { by: 'pipeline' }).json.overlap).toEqual([{ a: 'p0', b: 'p1', seconds: 1, fraction: 0.5 }]);
    expect(analyzeRun(RUN, staged, { by: 'type' }).json.asynchronicity).toEqual({ async_fraction: 0, doa: 1 });
  });

  it('chart series over the makespan, or none without a timeline', () => {
    const series = seriesOfRun(prepareRun(tasks), 10)!;
    expect(series).toMatchObject({ from: 0, to: 20 });
    expect(series.cores.byGroup.map((g) => g.group)).toEqual(['sim', 'ml']);
    expect(Array.from(series.concurrency.bins.max)).toEqual([1, 2, 2, 2, 2, 1, 1, 0, 1, 1]);
    expect(seriesOfRun(prepareRun(new TaskTable()), 10)).toBeNull();
  });
});
