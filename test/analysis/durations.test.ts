import { describe, expect, it } from 'vitest';
import { durationsOf } from '../../src/analysis/durations.js';
import { checkEndpoint, eventFilter, eventSpans } from '../../src/analysis/event-spans.js';
import { EventTable } from '../../src/run/event-table.js';

/** Events of tasks, given per task in time order. */
function events(perTask: [string, string | null, number][][]): EventTable {
  const table = new EventTable();
  perTask.forEach((list, task) => list.forEach(([event, state, time]) => table.push(task, event, state, time)));
  return table;
}

describe('eventSpans', () => {
  const table = events([
    [['advance', 'AGENT_SCHEDULING', 1], ['schedule_ok', null, 1.5], ['exec_start', null, 2], ['exec_stop', null, 12]],
    [['advance', 'AGENT_SCHEDULING', 3], ['schedule_ok', null, 3.25]], // never executed
    [['exec_stop', null, 4], ['exec_start', null, 5], ['exec_stop', null, 9], ['exec_stop', null, 11]],
  ]);

  it('from a state to an event: the first event carrying the state, then the next matching event', () => {
    const s = eventSpans(table, { state: 'AGENT_SCHEDULING' }, { event: 'schedule_ok' });
    expect(Array.from(s.task)).toEqual([0, 1]);
    expect(Array.from(s.start)).toEqual([1, 3]);
    expect(Array.from(s.end)).toEqual([1.5, 3.25]);
  });

  it('takes the first TO after FROM, never one before it (RADICAL-Analytics ranges)', () => {
    const s = eventSpans(table, { event: 'exec_start' }, { event: 'exec_stop' });
    expect(Array.from(s.task)).toEqual([0, 2]);
    expect(Array.from(s.start)).toEqual([2, 5]);
    expect(Array.from(s.end)).toEqual([12, 9]);
  });

  it('with every, each FROM..TO of a task: a task through the phase twice has two spans', () => {
    const transfers = events([
      [['transfer_start', null, 0], ['transfer_end', null, 4], ['transfer_start', null, 7], ['transfer_end', null, 9], ['compute_start', null, 9]],
      [['transfer_start', null, 1], ['transfer_end', null, 2]],
      [['transfer_end', null, 0], ['transfer_start', null, 3]], // an end before any start, a start never ended: no span
    ]);
    const first = eventSpans(transfers, { event: 'transfer_start' }, { event: 'transfer_end' });
    expect(Array.from(first.task)).toEqual([0, 1]);
    const every = eventSpans(transfers, { event: 'transfer_start' }, { event: 'transfer_end' }, true);
    expect(Array.from(every.task)).toEqual([0, 0, 1]);
    expect(Array.from(every.start)).toEqual([0, 7, 1]);
    expect(Array.from(every.end)).toEqual([4, 9, 2]);
  });

  it('says which names to load', () => {
    expect(eventFilter({ state: 'AGENT_SCHEDULING' }, { event: 'schedule_ok' })).toEqual({ names: ['schedule_ok'], states: ['AGENT_SCHEDULING'] });
  });
});

describe('checkEndpoint', () => {
  const vocabulary = { events: new Map([['exec_start', 2], ['schedule_ok', 2]]), states: new Map([['AGENT_SCHEDULING', 2]]) };

  const r1 = { id: 'r1', scheduled: true };

  it('accepts a known name and names the known ones otherwise', () => {
    expect(() => checkEndpoint({ event: 'exec_start' }, vocabulary, r1)).not.toThrow();
    expect(() => checkEndpoint({ event: 'exec_strat' }, vocabulary, r1)).toThrow('run r1 has no event "exec_strat"; its events: exec_start, schedule_ok');
    expect(() => checkEndpoint({ event: 'AGENT_SCHEDULING' }, vocabulary, r1)).toThrow(/is a state: use --from-state/);
    expect(() => checkEndpoint({ state: 'DONE' }, vocabulary, r1)).toThrow('run r1 has no state "DONE"; its states: AGENT_SCHEDULING');
  });

  it('explains a run without profile events', () => {
    const none = { events: new Map(), states: new Map() };
    expect(() => checkEndpoint({ event: 'exec_start' }, none, { id: 'csv1', scheduled: true })).toThrow(
      'run csv1 has no profile events (its trace recorded only task start and end times), so it has no event "exec_start"',
    );
    expect(() => checkEndpoint({ state: 'DONE' }, none, { id: 'wf1', scheduled: false })).toThrow(
      'run wf1 has no profile events (its trace recorded task runtimes, and no start times), so it has no state "DONE"',
    );
  });
});

describe('durationsOf', () => {
  const spans = { length: 3, task: Int32Array.of(0, 1, 2), start: Float64Array.of(0, 1, 6), end: Float64Array.of(2, 4, 7) };

  it('the drawing of docs/metrics.md: durations 2, 3, 1 -> mean 2, sum 6, total (union) 5', () => {
    const d = durationsOf(spans);
    expect(d.all).toMatchObject({ tasks: 3, first: 0, last: 7, total: 5, sum: 6, duration: { min: 1, median: 2, mean: 2, max: 3 } });
    expect(d.maxConcurrent).toBe(2);
    expect(d.groups).toEqual([]);
  });

  it('per group', () => {
    const d = durationsOf(spans, ['x', 'y', 'x']);
    expect(d.groups.map((g) => [g.name, g.tasks, g.total, g.sum, g.first, g.last])).toEqual([
      ['x', 2, 3, 3, 0, 7],
      ['y', 1, 3, 3, 1, 4],
    ]);
  });

  it('overlap with execution: the time the phase and some task\'s execution shared', () => {
    // transfers [0, 4) [7, 9) [1, 2); execution [2, 9): shared [2, 4) + [7, 9) = 4 of a 6 s union.
    const spans = { length: 3, task: Int32Array.of(0, 0, 1), start: Float64Array.of(0, 7, 1), end: Float64Array.of(4, 9, 2) };
    const execution = { length: 1, start: Float64Array.of(2), end: Float64Array.of(9) };
    const result = durationsOf(spans, undefined, execution);
    expect(result.all?.total).toBe(6);
    expect(result.overlapExecution).toBe(4);
    expect(durationsOf(spans).overlapExecution).toBeNull();
  });

  it('nothing found: null, not NaN', () => {
    expect(durationsOf({ length: 0, task: new Int32Array(0), start: new Float64Array(0), end: new Float64Array(0) })).toEqual({ all: null, groups: [], maxConcurrent: 0, overlapExecution: null });
  });
});
