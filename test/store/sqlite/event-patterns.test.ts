/**
 * Events written by pattern (src/store/sqlite/event-patterns.ts) come back exactly as given, as
 * row by row: the same names, states, times and order, whether a task's pattern got a statement of
 * its own (frequent, long runs of it, interleaved with others), stayed row by row (rare, one pattern
 * too many, too many events), or was still buffered at the commit; names and states that would
 * break SQL text stay text.
 */
import { describe, expect, it } from 'vitest';
import { UNKNOWN_CAPACITY } from '../../../src/run/capacity.js';
import { isRunWrite } from '../../../src/store/store.js';
import { memoryStore } from '../../helpers/store.js';

type Event = { task: number; event: string; state: string | null; time: number };

/** Writes tasks with the given events into a fresh store and reads the events back. */
async function roundTrip(tasks: { name: string; state: string | null }[][]): Promise<{ given: Event[]; stored: Event[] }> {
  const store = memoryStore();
  const header = { id: 'patterns', format: 'test', source: 'test', workflow: null, capacity: UNKNOWN_CAPACITY, scheduled: true };
  const write = await store.beginRun(header, { replace: false, epoch: 0 });
  if (!isRunWrite(write)) throw new Error('not written');
  const given: Event[] = [];
  tasks.forEach((events, i) => {
    const task = write.pushValues(`t${i}`, null, 'type', null, null, null, null, null, 1, 0, i, i + 1, NaN, NaN, null, null);
    events.forEach(({ name, state }, e) => {
      const time = i + e / 64;
      write.addEvent(task, name, state, time);
      given.push({ task, event: name, state, time });
    });
  });
  const saved = await write.commit('hash', []);
  const events = await store.loadEvents(saved.run);
  const stored = Array.from({ length: events.length }, (_, i) => ({ task: events.task[i], event: events.event[i], state: events.state[i], time: events.time[i] }));
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
});
