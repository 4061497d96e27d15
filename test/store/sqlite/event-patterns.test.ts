/**
 * Events written by pattern (src/store/sqlite/event-patterns.ts) come back exactly as given, as
 * row by row: the same names, states, times and order, whether a task's pattern got a statement of
 * its own (frequent, long runs of it, interleaved with others), stayed row by row (rare, one pattern
 * too many, too many events), or was still buffered at the commit; names and states that would
 * break SQL text stay text. A pattern's tasks are one row each of event_times (schema migration
 * 6), and the `events` view, the filters, the last event time, the vocabulary and the shift of time
 * zero at commit see them as the rows they were.
 */
import { describe, expect, it } from 'vitest';
import { UNKNOWN_CAPACITY } from '../../../src/run/capacity.js';
import type { EventTable } from '../../../src/run/event-table.js';
import type { StoredRun } from '../../../src/run/stored-run.js';
import type { SqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import { isRunWrite } from '../../../src/store/store.js';
import { memoryStore } from '../../helpers/store.js';

type Event = { task: number; event: string; state: string | null; time: number };

/**
 * Writes tasks with the given events into a fresh store (task i starts at `start(i)`, its events
 * 1/64 s apart from there; with `streamed`, time zero is found as the store streams) and reads
 * the events back.
 */
async function write(
  tasks: { name: string; state: string | null }[][],
  { start = (i: number) => i, streamed = false } = {},
): Promise<{ store: SqliteStore; run: StoredRun; given: Event[] }> {
  const store = memoryStore();
  const header = { id: 'patterns', format: 'test', source: 'test', workflow: null, capacity: UNKNOWN_CAPACITY, scheduled: true };
  const begun = await store.beginRun(header, streamed ? { replace: false } : { replace: false, epoch: 0 });
  if (!isRunWrite(begun)) throw new Error('not written');
  const given: Event[] = [];
  tasks.forEach((events, i) => {
    const task = begun.pushValues(`t${i}`, null, 'type', null, null, null, null, null, 1, 0, start(i), start(i) + 1, NaN, NaN, null, null);
    events.forEach(({ name, state }, e) => {
      const time = start(i) + e / 64;
      begun.addEvent(task, name, state, time);
      given.push({ task, event: name, state, time });
    });
  });
  const saved = await begun.commit('hash', []);
  return { store, run: saved.run, given };
}

function rowsOf(events: EventTable): Event[] {
  return Array.from({ length: events.length }, (_, i) => ({ task: events.task[i], event: events.event[i], state: events.state[i], time: events.time[i] }));
}

/** The events as the `events` view gives them, as a user's query would. */
function viewRows(store: SqliteStore, where = ''): Event[] {
  return store.db.prepare(`SELECT task_idx AS task, event, state, time_s AS time FROM events WHERE run_pk = 1 ${where} ORDER BY task_idx, seq`).all() as Event[];
}

/** Writes tasks with the given events into a fresh store and reads the events back. */
async function roundTrip(tasks: { name: string; state: string | null }[][]): Promise<{ given: Event[]; stored: Event[] }> {
  const { store, run, given } = await write(tasks);
  const stored = rowsOf(await store.loadEvents(run));
  expect(viewRows(store)).toEqual(stored);
  await store.close();
  return { given, stored };
}

const SLURM = ['submit', 'eligible', 'start', 'batch_start', 'batch_end', 'extern_start', 'extern_end', 'end'].map((name, e) => ({
  name,
  state: e >= 3 && e < 7 ? 'COMPLETED' : null,
}));
const HOSTILE = [
  { name: "x'); DROP TABLE runs; --", state: "it's" },
  { name: '@n0 ?1 :s0', state: 'caf\u00e9 \u4e2d' },
  { name: 'end', state: null },
];

describe('events written by pattern', () => {
  it('come back as given: a frequent pattern over several statements, others interleaved, rare ones, tasks without events', async () => {
    const tasks = Array.from({ length: 1500 }, (_, i) => (i % 10 === 3 ? HOSTILE : i % 97 === 5 ? SLURM.slice(0, 3) : i % 333 === 7 ? [] : SLURM));
    const { given, stored } = await roundTrip(tasks);
    expect(given.length).toBeGreaterThan(10000);
    expect(stored).toEqual(given);
  });

  it('come back as given when consecutive tasks differ only in a state or a name', async () => {
    const failed = SLURM.map(({ name, state }) => ({ name, state: state && 'FAILED' }));
    const renamed = SLURM.map(({ name, state }, e) => ({ name: e === 4 ? 'batch_stop' : name, state }));
    const tasks = Array.from({ length: 900 }, (_, i) => [SLURM, failed, renamed][i % 3]);
    const { given, stored } = await roundTrip(tasks);
    expect(stored).toEqual(given);
  });

  it('come back as given past the limits: more patterns than get statements, tasks with more events than a pattern holds', async () => {
    const patterns = Array.from({ length: 20 }, (_, p) => Array.from({ length: 1 + (p % 5) }, (_, e) => ({ name: `e${p}_${e}`, state: p % 2 ? null : `s${e}` })));
    const long = Array.from({ length: 40 }, (_, e) => ({ name: `long${e}`, state: null }));
    const tasks = Array.from({ length: 2200 }, (_, i) => (i % 21 === 20 ? long : patterns[i % 20]));
    const { given, stored } = await roundTrip(tasks);
    expect(stored).toEqual(given);
  });

  it('are stored a row per task for a frequent pattern, a row per event for the rest', async () => {
    const tasks = Array.from({ length: 1000 }, (_, i) => (i % 10 === 3 ? HOSTILE : SLURM));
    const { store, run, given } = await write(tasks);
    const count = (table: string): number => store.db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number;
    // SLURM's 900 tasks: the first 63 a row per event, then the pattern; HOSTILE's 100 the same way.
    expect(count('event_patterns')).toBe(SLURM.length + HOSTILE.length);
    expect(count('event_times')).toBe(900 - 63 + 100 - 63);
    expect(count('event_rows')).toBe(63 * SLURM.length + 63 * HOSTILE.length);
    expect(viewRows(store)).toEqual(given);
    await store.close();
  });

  it('are filtered by name and state as the view filtered by SQL', async () => {
    const failed = SLURM.map(({ name, state }) => ({ name, state: state && 'FAILED' }));
    const tasks = Array.from({ length: 800 }, (_, i) => (i % 7 === 0 ? failed : i % 5 === 0 ? HOSTILE : SLURM));
    const { store, run } = await write(tasks);
    expect(store.db.prepare('SELECT COUNT(*) FROM event_times').pluck().get()).toBeGreaterThan(500);
    const byName = rowsOf(await store.loadEvents(run, { names: ['start', 'end'] }));
    expect(byName).toEqual(viewRows(store, "AND event IN ('start', 'end')"));
    // 137 HOSTILE tasks (multiples of 5 but not of 7) have only an 'end'; the other 663 both.
    expect(byName.length).toBe(2 * 663 + 137);
    const either = rowsOf(await store.loadEvents(run, { names: ['submit'], states: ['FAILED', "it's"] }));
    expect(either).toEqual(viewRows(store, "AND (event IN ('submit') OR state IN ('FAILED', 'it''s'))"));
    expect(rowsOf(await store.loadEvents(run, { names: ['no such event'] }))).toEqual([]);
    await store.close();
  });

  it('give the last event time and the vocabulary the view gives', async () => {
    const failed = SLURM.map(({ name, state }) => ({ name, state: state && 'FAILED' }));
    const short = SLURM.slice(0, 3);
    const tasks = Array.from({ length: 700 }, (_, i) => (i % 3 === 0 ? failed : i % 4 === 0 ? short : SLURM));
    // The last task has the short pattern: its last time sits in t2, a column the longer patterns share.
    tasks[699] = short;
    const { store, run } = await write(tasks, { start: (i) => (i === 699 ? 5000 : i) });
    expect(await store.lastEventTime(run)).toBe(store.db.prepare('SELECT MAX(time_s) FROM events').pluck().get());
    expect(await store.lastEventTime(run)).toBe(5000 + 2 / 64);
    const vocabulary = await store.eventVocabulary(run);
    const viewCounts = (column: string) =>
      new Map(store.db.prepare(`SELECT ${column}, COUNT(DISTINCT task_idx) FROM events WHERE ${column} IS NOT NULL GROUP BY ${column}`).raw().all() as [string, number][]);
    expect(vocabulary.events).toEqual(viewCounts('event'));
    expect(vocabulary.states).toEqual(viewCounts('state'));
    expect(vocabulary.events.get('submit')).toBe(700);
    expect(vocabulary.states.get('FAILED')).toBe(233); // multiples of 3 below 699
    await store.close();
  });

  it('are shifted with the tasks when an earlier start turns up after the provisional time zero', async () => {
    // Streamed: the provisional zero is the first task's start (1000); the true zero, task 600's (10).
    const tasks = Array.from({ length: 700 }, () => SLURM);
    const start = (i: number) => (i === 600 ? 10 : 1000 + i);
    const { store, run, given } = await write(tasks, { start, streamed: true });
    expect(store.db.prepare('SELECT COUNT(*) FROM event_times').pluck().get()).toBe(700 - 63);
    const relative = given.map((event) => ({ ...event, time: event.time - 10 }));
    expect(rowsOf(await store.loadEvents(run))).toEqual(relative);
    expect(viewRows(store)).toEqual(relative);
    expect((await store.loadTasks(run)).start[600]).toBe(0);
    await store.close();
  });
});
