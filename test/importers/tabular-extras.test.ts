/**
 * The optional columns of task tables (submit, parents, exit_code, cpu_slots, gpu_slots): what
 * they store, and the bad values that must stop the import naming the line and column.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { ingest } from '../../src/importers/ingest.js';
import { cli, fileWriter, tempDir } from '../helpers/cli.js';
import { ingestInto, memoryStore } from '../helpers/store.js';

const work = tempDir();
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const write = fileWriter(work);

async function failure(file: string): Promise<string> {
  const store = memoryStore();
  const outcomes = await ingest(store, { paths: [file], format: 'auto', replace: false });
  expect(await store.listRuns()).toEqual([]);
  const outcome = outcomes[0];
  if (outcome?.kind !== 'failed') throw new Error(`expected a failure, got ${outcome?.kind}`);
  return outcome.error.message;
}

const JSONL = [
  '{"id":"a","submit":99.5,"start":100,"end":101.5,"state":"DONE","exit_code":0,"cores":2,"gpus":1,"cpu_slots":[1,0],"gpu_slots":[0]}',
  // a parent named before it appears (c), and one repeated
  '{"id":"b","submit":101.5,"start":101.75,"end":103,"state":"FAILED","exit_code":3,"cores":1,"gpus":0,"cpu_slots":[1],"gpu_slots":[],"parents":["a","c","a"]}',
  '{"id":"c","submit":99.5,"start":100,"end":100.5,"state":"DONE","exit_code":0,"cores":1,"cpu_slots":[2]}',
  '{"id":"d","state":"CANCELED","start":null,"end":null,"parents":["b"]}',
].join('\n');

describe('task tables with submit times, parents, exit codes and slots', () => {
  it('stores submit/start/end events, edges by id (forward references too), exit codes and slot indexes', async () => {
    const store = memoryStore();
    const [run] = await ingestInto(store, [write('extras.jsonl', JSONL)], { capacity: { cores: 4, gpus: 1 } });
    expect(run).toMatchObject({ tasks: 4, executed: 3, makespanS: 3 });
    const tasks = await store.loadTasks(run);
    expect(tasks.row(1)).toMatchObject({ uid: 'b', state: 'FAILED', start: 1.75, end: 3 });

    const edges = await store.loadEdges(run);
    const pairs = Array.from({ length: edges.length }, (_, i) => `${tasks.uid[edges.parent[i]]}->${tasks.uid[edges.child[i]]}`).sort();
    expect(pairs).toEqual(['a->b', 'b->d', 'c->b']);

    const events = await store.loadEvents(run);
    const rows = Array.from({ length: events.length }, (_, i) => [tasks.uid[events.task[i]], events.event[i], events.time[i]]);
    expect(rows).toEqual([
      ['a', 'submit', -0.5],
      ['a', 'start', 0],
      ['a', 'end', 1.5],
      ['b', 'submit', 1.5],
      ['b', 'start', 1.75],
      ['b', 'end', 3],
      ['c', 'submit', -0.5],
      ['c', 'start', 0],
      ['c', 'end', 0.5],
    ]);
    const outcomes = Array.from({ length: tasks.length }, (_, i) => {
      const { uid, exit_code, cpu_slots, gpu_slots } = tasks.row(i);
      return { uid, exit_code, cpu_slots, gpu_slots };
    });
    expect(outcomes).toEqual([
      { uid: 'a', exit_code: 0, cpu_slots: '[0,1]', gpu_slots: '[0]' },
      { uid: 'b', exit_code: 3, cpu_slots: '[1]', gpu_slots: null },
      { uid: 'c', exit_code: 0, cpu_slots: '[2]', gpu_slots: null },
      { uid: 'd', exit_code: null, cpu_slots: null, gpu_slots: null },
    ]);
  });

  it("places submit events of tasks that never started on the run's time zero, even when a whole first batch has no start", async () => {
    // 8192 rows are one batch of the parser: the writer sees their events before any start.
    const waiting = Array.from({ length: 8192 }, (_, i) => `{"id":"w${i}","submit":${50 + i / 1000},"start":null,"end":null,"state":"CANCELED"}`);
    const file = write('waiting.jsonl', [...waiting, '{"id":"a","submit":99,"start":100,"end":101}'].join('\n'));
    const store = memoryStore();
    const [run] = await ingestInto(store, [file]);
    expect(run.epoch).toBe(100);
    const events = await store.loadEvents(run);
    expect(events.time[0]).toBeCloseTo(-50, 9);
    expect(events.time[events.length - 3]).toBeCloseTo(-1, 9); // a: submit, start, end
    expect(events.time[events.length - 1]).toBeCloseTo(1, 9);
  });

  it('measures the wait in the queue with durations --from submit --to start', async () => {
    const folder = tempDir();
    const db = path.join(folder, 'q.db');
    const file = write('queue.jsonl', JSONL);
    expect((await cli(['ingest', file, '--db', db])).code).toBe(0);
    const result = await cli(['durations', 'queue', '--from', 'submit', '--to', 'start', '--json', '--db', db]);
    const json = JSON.parse(result.stdout) as { tasks: number; sum_s: number; duration_s: { max: number } };
    expect(json.tasks).toBe(3);
    expect(json.sum_s).toBeCloseTo(0.5 + 0.25 + 0.5, 9);
    expect(json.duration_s.max).toBeCloseTo(0.5, 9);
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('reads lists in CSV cells (spaces, commas in a quoted cell, JSON) and Slurm exit codes', async () => {
    const csv = write(
      'lists.csv',
      ['id,submit_time,start,end,parents,ExitCode,cpu_slots,cores', 'x,0.5,1,2,,0:0,"0,1",2', 'y,2,2,3,x,1:0,[2],1', 'z,2,3,4,x y,,,'].join('\n'),
    );
    const store = memoryStore();
    const [run] = await ingestInto(store, [csv]);
    expect((await store.loadEdges(run)).length).toBe(3);
    const tasks = await store.loadTasks(run);
    const rows = Array.from({ length: tasks.length }, (_, i) => ({ exit_code: tasks.row(i).exit_code, cpu_slots: tasks.row(i).cpu_slots }));
    expect(rows).toEqual([
      { exit_code: 0, cpu_slots: '[0,1]' },
      { exit_code: 1, cpu_slots: '[2]' },
      { exit_code: null, cpu_slots: null },
    ]);
  });

  it('stops at a bad extra value, naming the line and the column, and stores nothing', async () => {
    const table = (row: string) => write(`bad-${Math.random().toString(36).slice(2)}.csv`, `id,start,end,submit,parents,exit_code,cpu_slots,cores\na,1,2,,,,,\n${row}\n`);
    expect(await failure(table('b,2,3,2.5,,,,'))).toMatch(/:3: field "submit": submit is after start \(2\.5 > 2\)$/);
    expect(await failure(table('b,2,3,,b,,,'))).toMatch(/:3: field "parents": task "b" lists itself as a parent$/);
    expect(await failure(table('b,2,3,,,oops,,'))).toMatch(/:3: field "exit_code": "oops" is not an exit code/);
    expect(await failure(table('b,2,3,,,,"0,0",2'))).toMatch(/:3: field "cpu_slots": slot 0 is listed twice$/);
    expect(await failure(table('b,2,3,,,,"0,1",1'))).toMatch(/:3: field "cpu_slots": 2 slot\(s\) listed for 1 cores$/);
    expect(await failure(table('b,2,3,,,,-1,'))).toMatch(/:3: field "cpu_slots": "-1" is not a slot index/);
    expect(await failure(table('b,2,3,,"[1,",,,'))).toMatch(/:3: field "parents": "\[1," is not a JSON list$/);
  });

  it('refuses a parent that is no task of the table (at its line) and parents that form a cycle', async () => {
    const unknown = write('unknown.jsonl', '{"id":"a","start":1,"end":2}\n{"id":"b","start":2,"end":3,"parents":["a","ghost"]}\n');
    expect(await failure(unknown)).toBe(`${unknown}:2: field "parents": unknown parent task "ghost"`);
    const cycle = write('cycle.jsonl', '{"id":"a","start":1,"end":2,"parents":["c"]}\n{"id":"b","start":2,"end":3,"parents":["a"]}\n{"id":"c","start":3,"end":4,"parents":["b"]}\n');
    expect(await failure(cycle)).toBe(`${cycle}: the parents form a cycle: a -> b -> c -> a`);
  });

  it('gives predict --from-run the DAG of the parents column', async () => {
    // Fork-join: s, then p1 (2 s) and p2 (5 s) side by side, then j: critical path 1 + 5 + 1 = 7 s.
    const file = write(
      'forkjoin.jsonl',
      [
        '{"id":"s","start":0,"end":1,"cores":1}',
        '{"id":"p1","start":1,"end":3,"cores":1,"parents":["s"]}',
        '{"id":"p2","start":1,"end":6,"cores":1,"parents":["s"]}',
        '{"id":"j","start":6,"end":7,"cores":1,"parents":["p1","p2"]}',
      ].join('\n'),
    );
    const folder = tempDir();
    const db = path.join(folder, 'fj.db');
    expect((await cli(['ingest', file, '--db', db, '--cores', '2'])).code).toBe(0);
    const one = await cli(['predict', '--from-run', 'forkjoin', '--cores', '1', '--overhead', '0', '--json', '--db', db]);
    expect(JSON.parse(one.stdout)).toMatchObject({ async_s: 9, sequential_s: 9 }); // one core: all the work
    const two = await cli(['predict', '--from-run', 'forkjoin', '--overhead', '0', '--json', '--db', db]);
    expect(JSON.parse(two.stdout)).toMatchObject({ async_s: 7, sync_s: 7 }); // the DAG: levels s | p1 p2 | j
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('carries the extras from the parser thread (large tables) as it does in one thread', async () => {
    const folder = tempDir();
    const db = path.join(folder, 'worker.db');
    const file = write('worker.jsonl', JSONL);
    const result = await cli(['ingest', file, '--db', db], { env: { ASYNCSCOPE_PARSE_WORKER: 'always' } });
    expect(result.code).toBe(0);
    const sqlite = new Database(db, { readonly: true });
    expect(sqlite.prepare('SELECT COUNT(*) FROM task_edges').pluck().get()).toBe(3);
    expect(sqlite.prepare("SELECT COUNT(*) FROM events WHERE event = 'submit'").pluck().get()).toBe(3);
    expect(sqlite.prepare('SELECT exit_code, cpu_slots FROM tasks WHERE uid = ?').get('a')).toEqual({ exit_code: 0, cpu_slots: '[0,1]' });
    sqlite.close();
    fs.rmSync(folder, { recursive: true, force: true });
  });
});
