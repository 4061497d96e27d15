import { describe, expect, it } from 'vitest';
import { columnsFor, encodeGroups, groupKey, intervalsFrom, selectIntervals, spanOf } from '../../src/analysis/intervals.js';
import type { TaskFields } from '../../src/run/task-fields.js';
import { TaskTable } from '../../src/run/task-table.js';

function table(tasks: Partial<TaskFields>[]): TaskTable {
  const t = new TaskTable();
  tasks.forEach((task, i) => t.push({ uid: `task.${i}`, type: 'sim', ...task }));
  return t;
}

describe('selectIntervals', () => {
  const tasks = table([
    { start: 0, end: 10, cores: 4, gpus: 1 },
    { start: 2, end: null }, // incomplete
    { start: null, end: null }, // never started
    { start: 5, end: 3 }, // ends before it starts
    { start: 1, end: 4, type: 'ml', cores: 8 },
  ]);

  it('keeps executed tasks and counts what it leaves out', () => {
    const s = selectIntervals(tasks);
    expect(s).toMatchObject({ tasks: 5, executed: 2, incomplete: 1, clipped: 0, neverStarted: 1, invalid: 1, ungrouped: 0 });
    expect(Array.from(s.intervals.start)).toEqual([0, 1]);
    expect(Array.from(s.intervals.end)).toEqual([10, 4]);
    expect(Array.from(s.intervals.task)).toEqual([0, 4]);
    expect(Array.from(s.intervals.cores)).toEqual([4, 8]);
    expect(s.intervals.gpus[1]).toBeNaN();
    expect(s.intervals.groups).toEqual(['sim', 'ml']);
    expect(Array.from(s.intervals.group)).toEqual([0, 1]);
  });

  it('clips incomplete tasks at the given time, or at the last end without one', () => {
    const clipped = selectIntervals(tasks, { includeIncomplete: true, clipAt: 20 });
    expect(clipped.clipped).toBe(1);
    expect(Array.from(clipped.intervals.end)).toEqual([10, 20, 4]);
    const fallback = selectIntervals(tasks, { includeIncomplete: true, clipAt: null });
    expect(fallback.intervals.end[1]).toBe(10);
    // a clip time before the task's start gives a zero-length interval, never a negative one
    const early = selectIntervals(tasks, { includeIncomplete: true, clipAt: 1 });
    expect(early.intervals.end[1]).toBe(2);
  });

  it('groups by stage instance and pipeline, naming tasks without one', () => {
    const t = table([
      { start: 0, end: 1, stage: 'pipeline.0000/stage.0000', pipeline: 'pipeline.0000' },
      { start: 0, end: 1, stage: 'simulation', pipeline: 'p1' },
      { start: 0, end: 1, stage: 'simulation', pipeline: null },
      { start: 0, end: 1, stage: null, pipeline: null },
    ]);
    expect(selectIntervals(t, { by: 'stage' }).intervals.groups).toEqual(['(no stage)', 'p1/simulation', 'pipeline.0000/stage.0000', 'simulation']);
    const byPipeline = selectIntervals(t, { by: 'pipeline' });
    expect(byPipeline.ungrouped).toBe(2);
    expect(byPipeline.intervals.groups).toEqual(['(no pipeline)', 'p1', 'pipeline.0000']);
  });

  it('refuses a task table without the grouping column', () => {
    const columns = { length: 1, start: [0], end: [1], cores: [1], gpus: [0], type: ['x'], stage: [], pipeline: [] };
    expect(() => selectIntervals(columns, { by: 'stage' })).toThrow(/column "stage" was not loaded/);
    expect(selectIntervals(columns, { by: 'type' }).intervals.length).toBe(1);
  });

  it('handles an empty table', () => {
    const s = selectIntervals(new TaskTable());
    expect(s.intervals.length).toBe(0);
    expect(spanOf(s.intervals)).toBeNull();
  });
});

describe('group keys', () => {
  it('names a stage instance by pipeline and stage', () => {
    expect(groupKey('stage', 'sim', 'pipeline.0001/stage.0002', 'pipeline.0001')).toBe('pipeline.0001/stage.0002');
    expect(groupKey('stage', 'sim', 'training', 'p2')).toBe('p2/training');
    expect(groupKey('stage', 'sim', 'training', null)).toBe('training');
    expect(groupKey('stage', 'sim', '', 'p2')).toBeNull();
    expect(groupKey('type', '', null, null)).toBeNull();
    expect(columnsFor('stage')).toEqual(['stage', 'pipeline']);
    expect(columnsFor('type')).toEqual(['type']);
  });

  it('numbers groups by first start, then name', () => {
    const { group, groups } = encodeGroups(['b', 'a', 'c', 'b'], [5, 5, 1, 0]);
    expect(groups).toEqual(['b', 'c', 'a']);
    expect(Array.from(group)).toEqual([0, 2, 1, 0]);
  });

  it('builds intervals from plain objects', () => {
    const intervals = intervalsFrom([{ start: 3, end: 4, group: 'x', cores: 2 }, { start: 1, end: 2 }]);
    expect(intervals.groups).toEqual(['task', 'x']);
    expect(spanOf(intervals)).toEqual({ start: 1, end: 4 });
  });
});
