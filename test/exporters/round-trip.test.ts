/**
 * Export then import gives the same run: RP (the real Summit DG2 asynchronous trace) -> chrome,
 * csv and jsonl (plain and gzip) -> ingest, compared task by task and by the whole analyze output.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeStoredRun } from '../../src/analysis/stored-run.js';
import { exportRun, type ExportFormat } from '../../src/exporters/index.js';
import type { StoredRun } from '../../src/run/stored-run.js';
import { countTasks } from '../../src/run/task-counts.js';
import type { TaskTable } from '../../src/run/task-table.js';
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { tempDir } from '../helpers/cli.js';
import { ingestInto, memoryStore } from '../helpers/store.js';
import { SUMMIT } from '../helpers/traces.js';
import { WFCOMMONS } from '../helpers/wfcommons.js';
import { describeWithShared } from '../helpers/shared-traces.js';

const work = tempDir();
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

function byUid(tasks: TaskTable): Map<string, number> {
  return new Map(tasks.uid.map((uid, i) => [uid, i]));
}

/** Every task of `a` is in `b` with the same fields, times within 1e-6 s. */
function expectSameTasks(a: TaskTable, b: TaskTable): void {
  expect(b.length).toBe(a.length);
  const index = byUid(b);
  for (let i = 0; i < a.length; i++) {
    const j = index.get(a.uid[i]);
    expect(j, a.uid[i]).toBeDefined();
    const [x, y] = [a.row(i), b.row(j!)];
    expect({ ...y, start: null, end: null }).toEqual({ ...x, start: null, end: null });
    for (const key of ['start', 'end'] as const) {
      if (x[key] === null) expect(y[key]).toBeNull();
      else expect(Math.abs(y[key]! - x[key]!)).toBeLessThan(1e-6);
    }
  }
}

/** Two `analyze --json` objects agree on every number (within 1e-6) and every name, ids and labels aside. */
function expectSameAnalysis(a: object, b: object): void {
  const strip = ({ id: _id, label: _label, ...rest }: Record<string, unknown>) => rest;
  const walk = (x: unknown, y: unknown, where: string): void => {
    if (typeof x === 'number' && typeof y === 'number') {
      expect(Math.abs(x - y), where).toBeLessThan(1e-6);
    } else if (x !== null && typeof x === 'object') {
      expect(y, where).toBeTypeOf('object');
      expect(Object.keys(y as object).sort(), where).toEqual(Object.keys(x).sort());
      for (const key of Object.keys(x)) walk((x as Record<string, unknown>)[key], (y as Record<string, unknown>)[key], `${where}.${key}`);
    } else {
      expect(y, where).toEqual(x);
    }
  };
  walk(strip(a as Record<string, unknown>), strip(b as Record<string, unknown>), 'analyze');
}

describeWithShared('round trips of the real DG2 asynchronous run', () => {
  let store: SqliteStore;
  let original: StoredRun;
  let tasks: TaskTable;
  beforeAll(async () => {
    store = memoryStore();
    [original] = await ingestInto(store, [SUMMIT.dg2Async.file], { label: 'dg2-async' });
    tasks = await store.loadTasks(original);
  });

  const cases: [ExportFormat, string][] = [
    ['chrome', 'dg2.json'],
    ['chrome', 'dg2.json.gz'],
    ['csv', 'dg2.csv'],
    ['csv', 'dg2.csv.gz'],
    ['jsonl', 'dg2.jsonl'],
  ];
  for (const [format, name] of cases) {
    it(`RP -> ${name} -> import: same tasks (times within 1e-6 s, type, cores, gpus, names, stages, states, nodes) and makespan`, async () => {
      const out = path.join(work, name);
      const summary = await exportRun(store, original, format, out);
      expect(summary).toMatchObject({ run: original.id, format, tasks: 256, exported: 256, skipped: 0 });
      const [again] = await ingestInto(store, [out]);
      expect(again.format).toBe(format);
      expect(again.tasks).toBe(256);
      expect(again.executed).toBe(256);
      expect(again.makespanS).toBeCloseTo(SUMMIT.dg2Async.makespan, 3);
      expect(Math.abs(again.makespanS! - original.makespanS!)).toBeLessThan(1e-6);
      expect(Math.abs(again.epoch! - original.epoch!)).toBeLessThan(1e-6);
      const back = await store.loadTasks(again);
      expectSameTasks(tasks, back);
      expect(countTasks(back)).toEqual({ ...countTasks(tasks), makespanS: countTasks(back).makespanS });
      // The same analyze output, within float rounding (a table carries no capacity: give it back).
      const restored = again.capacity.cores === null ? (await store.editRun(again, { capacity: original.capacity })) : again;
      expectSameAnalysis((await analyzeStoredRun(store, original)).json, (await analyzeStoredRun(store, restored)).json);
      if (format === 'chrome') {
        // The trace records what a table cannot: the capacity.
        expect(again.capacity).toEqual(original.capacity);
        expect(again.warnings).toEqual([]);
      } else {
        expect(again.capacity.cores).toBeNull();
      }
    });
  }

  it('the tables hold every column the tabular importer reads', async () => {
    const out = path.join(work, 'header.csv');
    await exportRun(store, original, 'csv', out);
    const [header, first] = fs.readFileSync(out, 'utf8').split('\n');
    expect(header).toBe('uid,name,type,stage,pipeline,state,outcome,node,cores,gpus,start,end,exit_code,cpu_slots,gpu_slots,duration');
    const cells = first.split(',');
    const cell = (name: string) => cells[header.split(',').indexOf(name)];
    expect(Number(cell('start'))).toBeCloseTo(original.epoch! + tasks.start[0], 6); // absolute epoch seconds
    expect(Number(cell('duration'))).toBeCloseTo(tasks.end[0] - tasks.start[0], 9);
    expect(cell('outcome')).toBe('done');
  });
});

describeWithShared('round trips of an unscheduled WfCommons run', () => {
  it('csv keeps the tasks and states each runtime as the duration, but a table has no DAG and no times', async () => {
    const store = memoryStore();
    const [run] = await ingestInto(store, [WFCOMMONS.srasearch.file]);
    const out = path.join(work, 'srasearch.csv');
    await exportRun(store, run, 'csv', out);
    const lines = fs.readFileSync(out, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(23);
    expect(lines[1]).toBe('bowtie2-build_ID0000001,bowtie2-build_ID0000001,bowtie2-build,,,,,worker-4,1,,,,,,,6.352');
    const [again] = await ingestInto(store, [out]);
    const back = await store.loadTasks(again);
    expect(back.uid).toEqual((await store.loadTasks(run)).uid);
    expect(back.type).toEqual((await store.loadTasks(run)).type);
    expect((await store.loadEdges(again)).length).toBe(0);
  });
});
