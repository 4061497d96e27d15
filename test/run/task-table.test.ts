/**
 * The task table follows the one field list: columns, the object form, the positional form, and
 * the counts of a run's tasks.
 */
import { describe, expect, it } from 'vitest';
import { countTasks, TaskCounter } from '../../src/run/task-counts.js';
import { TASK_FIELDS } from '../../src/run/task-fields.js';
import { TaskTable } from '../../src/run/task-table.js';

describe('TaskTable', () => {
  it('has one column per task field, and rows in field order', () => {
    const table = new TaskTable();
    table.push({ uid: 't0', type: 'sim', start: 10, end: 30, cores: 4 });
    for (const field of TASK_FIELDS) expect(table[field.name]).toHaveLength(1);
    expect(Object.keys(table.row(0))).toEqual(TASK_FIELDS.map((field) => field.name));
    expect(table.row(0)).toEqual({ uid: 't0', name: null, type: 'sim', stage: null, pipeline: null, state: null, outcome: null, node: null, cores: 4, gpus: null, start: 10, end: 30, runtime: null, exit_code: null, cpu_slots: null, gpu_slots: null });
  });

  it('keeps unknown numbers as NaN in its columns and null in rows', () => {
    const table = new TaskTable();
    table.push({ uid: 't0', type: 'sim' });
    expect(table.start[0]).toBeNaN();
    expect(table.cores[0]).toBeNaN();
    expect(table.row(0).start).toBeNull();
  });

  it('gives the same task from the object form and the positional form, and copies it with values()', () => {
    const a = new TaskTable();
    const b = new TaskTable();
    a.push({ uid: 'u', name: 'n', type: 't', stage: 's', pipeline: 'p', state: 'DONE', outcome: 'done', node: 'h1', cores: 2, gpus: 1, start: 5, end: 7, runtime: 2, exit_code: 0, cpu_slots: '[0,1]', gpu_slots: '[0]' });
    expect(b.pushValues('u', 'n', 't', 's', 'p', 'DONE', 'done', 'h1', 2, 1, 5, 7, 2, 0, '[0,1]', '[0]')).toBe(0);
    expect(b.row(0)).toEqual(a.row(0));
    const c = new TaskTable();
    c.pushValues(...a.values(0));
    expect(c.row(0)).toEqual(a.row(0));
    expect(a.values(0)).toHaveLength(TASK_FIELDS.length);
  });
});

describe('counting tasks', () => {
  it('executed, incomplete and the makespan over executed tasks (hand-computed)', () => {
    const table = new TaskTable();
    table.push({ uid: 'a', type: 't', start: 100, end: 160 });
    table.push({ uid: 'b', type: 't', start: 90 }); // incomplete: it does not move the makespan
    table.push({ uid: 'c', type: 't', start: 120, end: 250 });
    table.push({ uid: 'd', type: 't' }); // never started
    expect(countTasks(table)).toEqual({ tasks: 4, executed: 2, incomplete: 1, makespanS: 150 });
  });

  it('has no makespan when nothing executed', () => {
    const counter = new TaskCounter();
    counter.add(NaN, NaN);
    counter.add(3, NaN);
    expect(counter.counts()).toEqual({ tasks: 2, executed: 0, incomplete: 1, makespanS: null });
  });
});
