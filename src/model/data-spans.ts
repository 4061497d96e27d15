/**
 * Data movement of tasks, from their profile events: the time staging or transfers held a task
 * back is a wait of its own (the synchronous vs asynchronous communication and data staging of
 * the paper's Fig. 1).
 *
 * The vocabulary, for every importer: a span is a pair of events `<what>_start` and `<what>_stop`
 * of one task, where `<what>` is `staging` or `transfer`, alone or followed by `_` and a word:
 *
 * - RADICAL-Pilot writes `staging_in_start`/`staging_in_stop` (input staging before the task
 *   runs), `staging_out_*`, and `staging_stdout_*`, `staging_stderr_*`, `staging_uprof_*` (its
 *   output, after the task ends);
 * - a Dask importer (to come) writes `transfer_start`/`transfer_stop` for each dependency a worker
 *   fetched before the task ran (Dask's `startstops` of action "transfer"), on the task that
 *   received the data, and `transfer_disk_start`/`_stop` for spilled data read back.
 *
 * Each `_start` pairs with the next `_stop` of the same `<what>` of the task; a start without a
 * stop is ignored.
 */
import type { EventTable } from '../run/event-table.js';
import type { DataSpans } from './waits.js';

const SPAN_EVENT = /^((?:staging|transfer)(?:_[A-Za-z0-9]+)*)_(start|stop)$/;

/** Whether an event name is one end of a data-movement span. */
export function isDataEvent(name: string): boolean {
  return SPAN_EVENT.test(name);
}

/** The spans of events grouped by task and in time order within a task (as the store returns them). */
export function dataSpans(events: EventTable): DataSpans {
  const spans: DataSpans = { task: [], start: [], end: [] };
  let open = new Map<string, number>();
  let current = -1;
  for (let k = 0; k < events.length; k++) {
    if (events.task[k] !== current) {
      current = events.task[k];
      open = new Map();
    }
    const match = SPAN_EVENT.exec(events.event[k]);
    if (!match) continue;
    const [, what, edge] = match;
    if (edge === 'start') {
      if (!open.has(what)) open.set(what, events.time[k]);
    } else {
      const start = open.get(what);
      if (start === undefined) continue;
      open.delete(what);
      if (events.time[k] > start) {
        spans.task.push(current);
        spans.start.push(start);
        spans.end.push(events.time[k]);
      }
    }
  }
  return spans;
}
