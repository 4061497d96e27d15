/**
 * Spans between two profile events of each task, as RADICAL-Analytics measures them: the
 * scheduling of a task is from its state AGENT_SCHEDULING to its event schedule_ok, its
 * execution from exec_start to exec_stop.
 *
 * An end point is an event name (`schedule_ok`) or a state (`AGENT_SCHEDULING`: the first event
 * that carries it, which in RADICAL-Pilot profiles is the `advance` into that state). A task's
 * span starts at the first event matching FROM and ends at the first event matching TO after it
 * in the task's time order (RADICAL-Analytics' `ranges()`: the next final condition). For events
 * a task records once, that is the first occurrence of each.
 *
 *   task.0000  advance AGENT_SCHEDULING   -0.205
 *              schedule_ok                 -0.107    scheduling span [-0.205, -0.107): 0.098 s
 *              exec_start                   0.186
 *              exec_stop                  385.369    execution span [0.186, 385.369): 385.183 s
 */
import { InputError } from '../errors.js';
import type { EventTable } from '../run/event-table.js';

/** One end of a span: an event name or a state. */
export type Endpoint = { event: string; state?: undefined } | { state: string; event?: undefined };

/** The spans found, one per task that has both ends, in task order. */
export interface EventSpans {
  readonly length: number;
  readonly task: Int32Array;
  readonly start: Float64Array;
  readonly end: Float64Array;
}

/** An end point as JSON: {"event": "exec_start"} or {"state": "AGENT_SCHEDULING"}. */
export function endpointJson(endpoint: Endpoint): { event: string } | { state: string } {
  return endpoint.event !== undefined ? { event: endpoint.event } : { state: endpoint.state };
}

/** `exec_start` or `state AGENT_SCHEDULING`, for messages and tables. */
export function endpointText(endpoint: Endpoint): string {
  return endpoint.event !== undefined ? endpoint.event : `state ${endpoint.state}`;
}

/** The names `loadEvents` needs to fetch the events of both ends. */
export function eventFilter(from: Endpoint, to: Endpoint): { names: string[]; states: string[] } {
  const names: string[] = [];
  const states: string[] = [];
  for (const end of [from, to]) {
    if (end.event !== undefined) names.push(end.event);
    else states.push(end.state);
  }
  return { names, states };
}

/**
 * The span of every task having both ends. `events` must be grouped by task and in time order
 * within a task (as `loadEvents` returns them). O(number of events).
 *
 * With `every`, a task has as many spans as it went through the phase: after each span closes,
 * the next FROM opens another (a Dask task that fetched two inputs has two transfer spans, a
 * retried task two attempts). Without it, only the first span, as RADICAL-Analytics measures.
 *
 * @example eventSpans(loadEvents(db, run, eventFilter(from, to)), { state: 'AGENT_SCHEDULING' }, { event: 'schedule_ok' })
 */
export function eventSpans(events: EventTable, from: Endpoint, to: Endpoint, every = false): EventSpans {
  const task: number[] = [];
  const start: number[] = [];
  const end: number[] = [];
  const matches = (k: number, endpoint: Endpoint) =>
    endpoint.event !== undefined ? events.event[k] === endpoint.event : events.state[k] === endpoint.state;
  let k = 0;
  while (k < events.length) {
    const current = events.task[k];
    let startAt = NaN;
    let done = false;
    for (; k < events.length && events.task[k] === current; k++) {
      if (done) continue;
      if (Number.isNaN(startAt)) {
        if (matches(k, from)) startAt = events.time[k];
      } else if (matches(k, to)) {
        task.push(current);
        start.push(startAt);
        end.push(events.time[k]);
        startAt = NaN;
        done = !every;
      }
    }
  }
  return { length: task.length, task: Int32Array.from(task), start: Float64Array.from(start), end: Float64Array.from(end) };
}

/**
 * Throws an InputError (exit 2) when the run has no such event or state, naming the ones it has.
 * `vocabulary` is `eventVocabulary(db, run)`: names with how many tasks carry each.
 */
export function checkEndpoint(
  endpoint: Endpoint,
  vocabulary: { events: Map<string, number>; states: Map<string, number> },
  run: { id: string; scheduled: boolean },
): void {
  const runId = run.id;
  const isEvent = endpoint.event !== undefined;
  const name = isEvent ? endpoint.event : endpoint.state;
  const known = isEvent ? vocabulary.events : vocabulary.states;
  if (known.has(name)) return;
  if (vocabulary.events.size === 0) {
    const recorded = run.scheduled ? 'only task start and end times' : 'task runtimes, and no start times';
    throw new InputError(`run ${runId} has no profile events (its trace recorded ${recorded}), so it has no ${isEvent ? 'event' : 'state'} "${name}"`);
  }
  const list = [...known.keys()].sort().join(', ');
  const hint = isEvent && vocabulary.states.has(name) ? ` ("${name}" is a state: use --from-state / --to-state)` : !isEvent && vocabulary.events.has(name) ? ` ("${name}" is an event: use --from / --to)` : '';
  throw new InputError(`run ${runId} has no ${isEvent ? 'event' : 'state'} "${name}"${hint}; its ${isEvent ? 'events' : 'states'}: ${list || '(none)'}`);
}
