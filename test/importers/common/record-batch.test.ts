/**
 * Tasks with their events and edges, through the batches that carry them from a reader thread to
 * the writing thread: what comes out is what went in, in order, whatever the batch boundaries.
 */
import { describe, expect, it } from 'vitest';
import { RecordBatchBuilder, RecordBatchReader, type RecordBatch } from '../../../src/importers/common/record-batch.js';
import { EarliestFirst, TaskEvents, type RunRecorder, type TaskRecord } from '../../../src/importers/common/recorder.js';

class Capture implements RunRecorder {
  starts: number[] = [];
  tasks: TaskRecord[] = [];
  events: string[][] = [];
  edges: [number, number][] = [];
  startsFrom(time: number): void {
    this.starts.push(time);
  }
  addTask(task: TaskRecord, events: TaskEvents): number {
    this.tasks.push({ ...task });
    this.events.push(events.inTimeOrder().map((k) => `${events.names[k]}:${events.states[k]}:${events.times[k]}`));
    return this.tasks.length - 1;
  }
  addEdge(parent: number, child: number): void {
    this.edges.push([parent, child]);
  }
}

function task(i: number): TaskRecord {
  return {
    uid: `t${i}`, name: i % 3 === 0 ? null : `n${i}`, type: `type${i % 4}`, stage: i % 2 ? 's' : null, pipeline: null,
    state: 'COMPLETED', outcome: i % 5 === 0 ? 'failed' : 'done', node: `node${i % 7}`, cores: i % 2 ? 4 : NaN, gpus: 1, start: 100 + i, end: 110 + i,
  };
}

function events(i: number): TaskEvents {
  const e = new TaskEvents();
  e.add('end', null, 110 + i);
  e.add('submit', null, 90 + i);
  for (let k = 0; k < i % 40; k++) e.add(`phase${k}`, k % 2 ? 'X' : null, 100 + i + k / 100);
  e.add('start', null, 100 + i);
  return e;
}

describe('record batches', () => {
  it('carry tasks, events in time order, edges and the run\'s start across batch boundaries', () => {
    const direct = new Capture();
    const received = new Capture();
    const reader = new RecordBatchReader(received);
    const batches: RecordBatch[] = [];
    const builder = new RecordBatchBuilder(16, (batch) => {
      batches.push(batch);
      reader.read(structuredClone(batch)); // as between threads
    });
    builder.startsFrom(100);
    direct.startsFrom(100);
    for (let i = 0; i < 100; i++) {
      expect(builder.addTask(task(i), events(i))).toBe(direct.addTask(task(i), events(i)));
    }
    for (let i = 1; i < 100; i++) {
      builder.addEdge(i - 1, i);
      direct.addEdge(i - 1, i);
    }
    builder.flush();
    expect(batches.length).toBeGreaterThan(6); // 16 tasks a batch, and batches cut by their events
    expect(received.tasks).toEqual(direct.tasks);
    expect(received.events).toEqual(direct.events);
    expect(received.edges).toEqual(direct.edges);
    expect(received.starts).toEqual([100]);
  });

  it('hold the first tasks back until their earliest start is known (EarliestFirst)', () => {
    const capture = new Capture();
    const ordered = new EarliestFirst(capture, 3);
    const starts = [50, 20, 40, 10];
    starts.forEach((start, i) => expect(ordered.addTask({ ...task(i), start }, events(i))).toBe(i));
    expect(capture.starts).toEqual([20]); // the earliest of the first three
    ordered.finish();
    expect(capture.tasks.map((t) => t.start)).toEqual(starts);
    expect(capture.events[1]).toEqual(events(1).inTimeOrder().map((k) => `${events(1).names[k]}:${events(1).states[k]}:${events(1).times[k]}`));
  });

  it('carry what one reused TaskEvents holds for each task, never an earlier task\'s events past its own (as the readers reuse it)', () => {
    const shared = new TaskEvents();
    const fill = (i: number): TaskEvents => {
      shared.clear();
      for (let k = 0; k < [5, 2, 7, 0, 3, 1][i % 6]; k++) shared.add(`e${(k + i) % 4}`, k % 3 ? `S${i % 2}` : null, 1000 - k * 10 + i);
      shared.add('late', null, NaN); // an unknown time adds nothing
      return shared;
    };
    const fresh = (i: number): TaskEvents => {
      const own = new TaskEvents();
      for (let k = 0; k < [5, 2, 7, 0, 3, 1][i % 6]; k++) own.add(`e${(k + i) % 4}`, k % 3 ? `S${i % 2}` : null, 1000 - k * 10 + i);
      return own;
    };
    const direct = new Capture();
    const received = new Capture();
    const reader = new RecordBatchReader(received);
    const builder = new RecordBatchBuilder(4, (batch) => reader.read(structuredClone(batch)));
    const held = new Capture();
    const earliest = new EarliestFirst(held, 5);
    for (let i = 0; i < 30; i++) {
      direct.addTask(task(i), fresh(i));
      builder.addTask(task(i), fill(i));
      earliest.addTask(task(i), fill(i));
      expect(shared.length).toBe([5, 2, 7, 0, 3, 1][i % 6]);
    }
    builder.flush();
    earliest.finish();
    expect(direct.events.map((e) => e.length)).toEqual(Array.from({ length: 30 }, (_, i) => [5, 2, 7, 0, 3, 1][i % 6]));
    expect(received.events).toEqual(direct.events);
    expect(held.events).toEqual(direct.events);
  });
});
