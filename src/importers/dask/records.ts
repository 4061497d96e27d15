/**
 * From the records of a Dask task stream (`client.get_task_stream()`, distributed's
 * TaskStreamPlugin) to tasks and their phases.
 *
 * A record is what a worker reported when a task finished (status `OK`) or erred (`error`):
 * `key`, `worker` (its address), `thread` (the executing thread's id in that worker process),
 * and `startstops`, the list of what the worker did for the task, each `{action, start, stop}`
 * in epoch seconds: `transfer` (an input fetched from another worker, also `source`), `disk-read`
 * (an input read back from spill), `deserialize`, `compute`, `disk-write` (its result spilled).
 *
 * - Task: one per record; uid the key, type `key_split(key)`, node the worker, 1 core (a task
 *   runs on one worker thread); execution interval the `compute` action (first start to last
 *   stop); a record without one is placed over all its actions, and counted for a warning.
 * - Events: each action as a phase, `<action>_start`/`<action>_end` (`disk-read` ->
 *   `disk_read_start`...), plus `start`/`end` (the interval).
 * - Outcome: `OK` done, `error` failed (it ran: it keeps its interval).
 */
import type { Outcome } from '../../run/outcome.js';
import { keySplit } from './key-split.js';

export class RecordProblem extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export interface DaskTask {
  uid: string;
  type: string;
  worker: string;
  /** `worker` + thread id: one execution slot. */
  slot: string;
  status: string | null;
  outcome: Outcome | null;
  start: number;
  end: number;
  /** Whether the interval came from the compute action (else from all actions). */
  computed: boolean;
  /** Phase events, `[name, time]`, in the order of the record. */
  phases: [string, number][];
}

const OUTCOME_OF_STATUS: Readonly<Record<string, Outcome>> = { OK: 'done', error: 'failed', erred: 'failed' };

/** Names Dask gives its actions, as event prefixes (`disk-write` -> `disk_write`), kept once each. */
const PHASE_NAMES = new Map<string, [string, string]>();
function phaseNames(action: string): [string, string] {
  let names = PHASE_NAMES.get(action);
  if (names === undefined) {
    const base = action.replace(/[^A-Za-z0-9]+/g, '_');
    names = [`${base}_start`, `${base}_end`];
    PHASE_NAMES.set(action, names);
  }
  return names;
}

/** A key as text: a string as it is; a tuple key saved as a JSON list as Python prints it, `('x', 0)`. */
export function keyText(key: unknown): string {
  if (typeof key === 'string') return key;
  if (typeof key === 'number' && Number.isFinite(key)) return String(key);
  if (Array.isArray(key)) return `(${key.map((part) => (typeof part === 'string' ? `'${part}'` : keyText(part))).join(', ')}${key.length === 1 ? ',' : ''})`;
  throw new RecordProblem('key', `${JSON.stringify(key) ?? 'missing'} is not a task key (text, a number, or a list)`);
}

function time(value: unknown, field: string): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  throw new RecordProblem(field, `${JSON.stringify(value) ?? 'missing'} is not a time in epoch seconds`);
}

/** One record as a task; throws RecordProblem naming the field. */
export function readRecord(value: unknown): DaskTask {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new RecordProblem('', 'a task stream record is a JSON object');
  const record = value as Record<string, unknown>;
  const uid = keyText(record.key);
  const worker = typeof record.worker === 'string' ? record.worker : record.worker === undefined || record.worker === null ? '' : String(record.worker);
  const status = typeof record.status === 'string' ? record.status : null;
  const startstops = record.startstops;
  if (!Array.isArray(startstops)) throw new RecordProblem('startstops', `${JSON.stringify(startstops) ?? 'missing'} is not a list of {action, start, stop}`);
  const phases: [string, number][] = [];
  let computeStart = Infinity;
  let computeEnd = -Infinity;
  let anyStart = Infinity;
  let anyEnd = -Infinity;
  for (let k = 0; k < startstops.length; k++) {
    const step = startstops[k] as Record<string, unknown> | null;
    if (typeof step !== 'object' || step === null) throw new RecordProblem(`startstops[${k}]`, 'not an {action, start, stop} object');
    const action = step.action;
    if (typeof action !== 'string' || action === '') throw new RecordProblem(`startstops[${k}].action`, `${JSON.stringify(action) ?? 'missing'} is not an action name`);
    const start = time(step.start, `startstops[${k}].start`);
    const stop = time(step.stop, `startstops[${k}].stop`);
    if (stop < start) throw new RecordProblem(`startstops[${k}].stop`, `${action} stops before it starts (${stop} < ${start})`);
    const [startName, endName] = phaseNames(action);
    phases.push([startName, start], [endName, stop]);
    if (action === 'compute') {
      if (start < computeStart) computeStart = start;
      if (stop > computeEnd) computeEnd = stop;
    }
    if (start < anyStart) anyStart = start;
    if (stop > anyEnd) anyEnd = stop;
  }
  const computed = computeStart !== Infinity;
  const start = computed ? computeStart : anyStart === Infinity ? NaN : anyStart;
  const end = computed ? computeEnd : anyEnd === -Infinity ? NaN : anyEnd;
  return {
    uid,
    type: keySplit(Array.isArray(record.key) ? record.key : uid),
    worker,
    slot: `${worker}\u0000${String(record.thread ?? '')}`,
    status,
    outcome: status === null ? null : (OUTCOME_OF_STATUS[status] ?? null),
    start,
    end,
    computed,
    phases,
  };
}
