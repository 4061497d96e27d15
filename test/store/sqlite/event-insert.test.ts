/**
 * Event rows written by number of their (event, state) pair (store/sqlite/event-insert.ts) read
 * back exactly as given: repeated pairs, null states, a last batch that is not full, more distinct
 * pairs than the TEMP table takes (those rows bind their text), and two runs on one connection
 * (the pairs are numbered again for the second).
 */
import { describe, expect, it } from 'vitest';
import { UNKNOWN_CAPACITY } from '../../../src/run/capacity.js';
import { MAX_PAIRS } from '../../../src/store/sqlite/event-insert.js';
import { isRunWrite } from '../../../src/store/store.js';
import { memoryStore } from '../../helpers/store.js';

type Event = { task: number; event: string; state: string | null; time: number };

async function writeAndRead(store: ReturnType<typeof memoryStore>, id: string, events: Event[]): Promise<Event[]> {
  const writer = await store.beginRun({ id, format: 'csv', source: id, workflow: null, capacity: UNKNOWN_CAPACITY, scheduled: true }, { replace: false, epoch: 0 });
  if (!isRunWrite(writer)) throw new Error('not opened');
  const tasks = events.reduce((most, e) => Math.max(most, e.task + 1), 0);
  for (let t = 0; t < tasks; t++) writer.pushValues(`t${t}`, null, 'x', null, null, null, null, null, 1, 0, t, t + 1, NaN, NaN, null, null);
  for (const e of events) writer.addEvent(e.task, e.event, e.state, e.time);
  const { run } = await writer.commit(`hash-${id}`, []);
  const stored = await store.loadEvents(run);
  return Array.from({ length: stored.length }, (_, i) => ({ task: stored.task[i], event: stored.event[i], state: stored.state[i], time: stored.time[i] }));
}

describe('event rows by pair number', () => {
  it('reads back every event as given, past the pairs the TEMP table takes, and on a second run', async () => {
    const store = memoryStore();
    const first: Event[] = [];
    const names = ['submit', 'start', 'end', 'compute_start', 'compute_end'];
    for (let task = 0; task < 3001; task++) {
      names.forEach((event, k) => first.push({ task, event, state: k === 2 ? null : event.toUpperCase(), time: task + k / 8 }));
    }
    // Then ever new pairs, more than the TEMP table takes.
    for (let k = 0; k < MAX_PAIRS + 1500; k++) first.push({ task: 3001 + Math.floor(k / 4), event: `e${k}`, state: k % 3 === 0 ? null : `s${k}`, time: k });
    expect(await writeAndRead(store, 'first', first)).toEqual(first);
    const second: Event[] = [
      { task: 0, event: 'b', state: 'B', time: 1 },
      { task: 0, event: 'a', state: null, time: 2 },
      { task: 1, event: 'submit', state: 'SUBMIT', time: 3 },
    ];
    expect(await writeAndRead(store, 'second', second)).toEqual(second);
    await store.close();
  });
});
