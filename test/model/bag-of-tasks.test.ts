/**
 * A bag of tasks: a run of independent tasks in many resource shapes (RADICAL-Pilot's sample
 * session) is inferred as a task-level spec replaying the run's order (fifo) with each task's
 * resource hold, and predicted within 3% of its measured makespan.
 */
import { describe, expect, it } from 'vitest';
import { holdExtraTimes } from '../../src/model/hold-times.js';
import { BAG_SHAPES } from '../../src/model/infer-bag.js';
import { inferSpec, type RunData } from '../../src/model/infer-spec.js';
import { loadRunData } from '../../src/model/from-store.js';
import { platformFromCapacity } from '../../src/model/platform.js';
import { predict } from '../../src/model/predict.js';
import { UNKNOWN_CAPACITY } from '../../src/run/capacity.js';
import { EdgeTable } from '../../src/run/edge-table.js';
import { EventTable } from '../../src/run/event-table.js';
import { TaskTable } from '../../src/run/task-table.js';
import { describeWithShared } from '../helpers/shared-traces.js';
import { ingestInto, memoryStore } from '../helpers/store.js';
import { SHARED } from '../helpers/traces.js';
import { beforeAll } from 'vitest';

/**
 * Nine tasks of 10 s in nine shapes, each needing more than half of the node's 10 cores, so they
 * ran one at a time, each starting 1 s after the previous ended (its resources were held 1 s
 * longer); listed out of start order. Then a 1-core task of 5 s that started last, at 88.
 */
function oneAtATime(): RunData {
  const tasks = new TaskTable();
  const shapes = [
    [6, 0], [7, 0], [8, 0], [9, 0], [10, 0], [6, 1], [7, 1], [8, 1], [9, 1],
  ];
  const order = [3, 0, 8, 1, 5, 2, 7, 4, 6]; // task k started k-th: at 11 k
  order.forEach((k, i) => tasks.push({ uid: `t${i}`, type: 'hello', cores: shapes[i][0], gpus: shapes[i][1], start: 11 * k, end: 11 * k + 10 }));
  tasks.push({ uid: 't9', type: 'hello', cores: 1, gpus: 0, start: 88, end: 93 });
  return {
    id: 'bag',
    workflow: null,
    capacity: { ...UNKNOWN_CAPACITY, nodes: 1, coresPerNode: 10, gpusPerNode: 2 },
    scheduled: true,
    makespanS: 98,
    tasks,
    edges: new EdgeTable(),
    holdExtraS: new Float64Array(10).fill(1),
  };
}

describe('a bag of tasks', () => {
  it(`is inferred when a stage instance holds more than ${BAG_SHAPES} shapes and none waits for another: tasks in start order, fifo, resource hold`, () => {
    const run = oneAtATime();
    const inferred = inferSpec(run, { platform: platformFromCapacity(run.capacity)! });
    expect(inferred.spec.kind).toBe('tasks');
    if (inferred.spec.kind !== 'tasks') return;
    expect(inferred.spec.tasks.map((t) => t.id)).toEqual(['t1', 't3', 't5', 't0', 't7', 't4', 't8', 't6', 't2', 't9']);
    expect(inferred.spec.scheduler).toBe('fifo');
    expect(inferred.spec.taskOverheadS).toBe(1);
    expect(inferred.stageTasks).toEqual([[1], [3], [5], [0], [7], [4], [8], [6], [2], [9]]);
    // Replayed: each task starts when the one before frees the node, 11 s apart; the small task
    // fits beside the last one (9 of 10 cores) as soon as that one has started: 98 s, as measured.
    const p = predict(inferred.spec);
    expect(Array.from(p.schedules.async.start)).toEqual([0, 11, 22, 33, 44, 55, 66, 77, 88, 88]);
    expect(p.asyncS).toBe(98);
    // Backfill would have started the small task at once, beside the first one.
    expect(predict({ ...inferred.spec, scheduler: 'backfill' }).schedules.async.start[9]).toBe(0);
  });

  it('is not inferred for a run of like tasks (a stage per shape stays a stage)', () => {
    const run = oneAtATime();
    for (let i = 0; i < run.tasks.length; i++) {
      run.tasks.cores[i] = 6;
      run.tasks.gpus[i] = 0;
    }
    expect(inferSpec(run, { platform: platformFromCapacity(run.capacity)! }).spec.kind).toBe('stages');
  });

  it('takes the resource hold from RADICAL-Pilot events: schedule_ok to exec_start plus exec_stop to unschedule_stop', () => {
    const events = new EventTable();
    events.push(0, 'schedule_ok', null, 9.9);
    events.push(0, 'exec_start', null, 10);
    events.push(0, 'exec_start', null, 10.5); // a relaunch: the first start counts
    events.push(0, 'exec_stop', null, 20);
    events.push(0, 'unschedule_stop', null, 20.2);
    events.push(1, 'exec_start', null, 3); // no schedule_ok: unknown
    events.push(1, 'exec_stop', null, 4);
    const extra = holdExtraTimes(events, 2);
    expect(extra[0]).toBeCloseTo(0.3, 12);
    expect(extra[1]).toBeNaN();
  });
});

describeWithShared("RADICAL-Pilot's sample session (2,048 multi-rank tasks)", () => {
  const store = memoryStore();
  let data: RunData;
  beforeAll(async () => {
    const [run] = await ingestInto(store, [SHARED.mosto.file]);
    data = await loadRunData(store, run);
  }, 180_000);

  it('predict --from-run is within 3% of the measured makespan', () => {
    expect(data.makespanS).toBeCloseTo(SHARED.mosto.makespan, 3);
    const inferred = inferSpec(data, { platform: platformFromCapacity(data.capacity)! });
    expect(inferred.spec.kind).toBe('tasks');
    if (inferred.spec.kind !== 'tasks') return;
    expect(inferred.spec.tasks).toHaveLength(2048);
    expect(inferred.spec.tasks.filter((t) => (t.ranks ?? 1) > 1).length).toBe(2048 - 543); // 543 tasks of one rank
    expect(inferred.spec.taskOverheadS).toBeGreaterThan(0.1);
    expect(inferred.spec.taskOverheadS).toBeLessThan(0.4);
    const p = predict(inferred.spec);
    const error = (p.asyncS - SHARED.mosto.makespan) / SHARED.mosto.makespan;
    expect(Math.abs(error)).toBeLessThan(0.03);
    // The same order with backfill is far off: the run did not backfill.
    expect(predict({ ...inferred.spec, scheduler: 'backfill' }).asyncS).toBeLessThan(0.85 * SHARED.mosto.makespan);
  });
});
