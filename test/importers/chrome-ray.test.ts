/**
 * Ray timelines through the Chrome importer. Ray cannot run here, so the two traces are
 * hand-made after Ray's code (test/fixtures/chrome/README.md): the task-events form of Ray >= 2.4
 * and the profile-table form of Ray 1.x to 2.3.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StoredRun } from '../../src/run/stored-run.js';
import type { Store } from '../../src/store/store.js';
import { ROOT } from '../helpers/cli.js';
import { ingestInto, memoryStore } from '../helpers/store.js';

/** Seconds to the microsecond (times at epoch scale carry float noise below it). */
const us = (t: number | null | undefined) => (t === null || t === undefined ? null : Math.round(t * 1e6) / 1e6);

const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'chrome');

async function ingestOne(file: string, chrome?: { type?: 'auto' | 'name' | 'cat'; nested?: boolean }): Promise<{ db: Store; run: StoredRun }> {
  const db = memoryStore();
  const [run] = await ingestInto(db, [file], { chrome });
  return { db, run };
}

async function eventsOf(db: Store, run: StoredRun, task: number): Promise<string[]> {
  const events = await db.loadEvents(run);
  const out: string[] = [];
  for (let k = 0; k < events.length; k++) if (events.task[k] === task) out.push(events.event[k]);
  return out;
}

describe('Ray timeline (hand-made after Ray >= 2.4 profiling.py chrome_tracing_dump)', () => {
  it('task:: slices are the tasks: uid the task id, type func_or_class_name, node the IP, pipeline the job', async () => {
    const { db, run } = await ingestOne(path.join(FIXTURES, 'ray-task-events.json'));
    const tasks = await db.loadTasks(run);
    const rows = Array.from({ length: tasks.length }, (_, i) => tasks.row(i));
    expect(rows.map((t) => [t.uid.slice(0, 16), t.type, t.name, t.node, t.pipeline, us(t.start), us(t.end)])).toEqual([
      ['c8ef45ccd0112571', 'simulate', 'simulate', '10.0.0.1', '01000000', 0, 4],
      ['32d950ec0ccf9d2a', 'simulate', 'simulate', '10.0.0.1', '01000000', 0.05, 4.25],
      ['f4402ec78d3a2607', 'Trainer.__init__', '__init__', '10.0.0.2', '01000000', 0.2, 0.7],
      ['e0dc174c83599034', 'train', 'train', '10.0.0.2', '01000000', 5.2, 7.2],
      ['b9e1d4c7a02f1e3b', 'Trainer.step', 'step', '10.0.0.2', '01000000', 7.3, 8.8],
    ]);
    expect(run).toMatchObject({ tasks: 5, executed: 5 });
    expect(run.makespanS).toBeCloseTo(8.8, 6);
    expect(rows.every((t) => t.cores === null && t.gpus === null && t.state === null)).toBe(true);
    // Phases as events; the retried train task keeps its first attempt as attempt events.
    expect(await eventsOf(db, run, 0)).toEqual(['start', 'deserialize_arguments_start', 'deserialize_arguments_end', 'execute_start', 'execute_end', 'store_outputs_start', 'store_outputs_end', 'end']);
    expect((await eventsOf(db, run, 3)).slice(0, 3)).toEqual(['attempt_start', 'attempt_end', 'start']);
    expect(await eventsOf(db, run, 4)).toEqual(expect.arrayContaining(['ray_get_start', 'ray_get_end', 'load_batch_start', 'load_batch_end']));
    expect(run.warnings).toContain('1 earlier attempt(s) of retried tasks kept as attempt_start/attempt_end events of their task');
    expect(run.warnings.join('\n')).not.toMatch(/nested slices|belong to no task/);
  });

  it('--chrome-type and --chrome-nested do not change a Ray timeline, and say so', async () => {
    const { run } = await ingestOne(path.join(FIXTURES, 'ray-task-events.json'), { type: 'cat', nested: true });
    expect(run.tasks).toBe(5);
    expect(run.warnings).toContain('--chrome-type and --chrome-nested do not apply to a Ray timeline and were ignored');
  });
});

describe('Ray timeline (hand-made after Ray 1.x-2.3 state.py chrome_tracing_dump)', () => {
  it('string pids are nodes, inner slices without labels are phases by nesting, driver and idle slices are no tasks', async () => {
    const { db, run } = await ingestOne(path.join(FIXTURES, 'ray-profile-table.json'));
    const tasks = await db.loadTasks(run);
    expect(Array.from({ length: tasks.length }, (_, i) => [tasks.uid[i].slice(0, 4), tasks.type[i], tasks.node[i], tasks.pipeline[i], us(tasks.start[i]), us(tasks.end[i])])).toEqual([
      ['a1a1', 'preprocess', '10.0.0.1', null, 0, 2],
      ['b2b2', 'preprocess', '10.0.0.2', null, 0.02, 2.52],
      ['c3c3', 'aggregate', '10.0.0.1', null, 2.6, 3.6],
    ]);
    expect(await eventsOf(db, run, 2)).toEqual(['start', 'deserialize_arguments_start', 'deserialize_arguments_end', 'execute_start', 'execute_end', 'store_outputs_start', 'store_outputs_end', 'end']);
    expect(run.warnings).toContain('2 worker_idle, 1 submit_task, 1 ray.get slice(s) belong to no task (the driver\'s calls, idle workers): not tasks');
  });
});
