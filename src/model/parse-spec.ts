/**
 * Reading a workflow spec (YAML or JSON; JSON is valid YAML) into a checked WorkflowSpec.
 *
 * Every error names where in the spec it is and what is wrong, as one line:
 *   stages[3].after: unknown stage "T9"
 *   cycle: T1 -> T2 -> T1
 *   stages[0]: 200 cores per task but nodes have 168
 */
import YAML from 'yaml';
import { InputError } from '../errors.js';
import { findCycle } from '../run/edge-cycle.js';
import { typeFromId } from '../run/task-type.js';
import { misfit, SCHEDULERS, UNBOUNDED, type Platform, type Scheduler, type StageSpec, type TaskCommand, type TaskSpec, type WorkflowSpec } from './spec.js';

type Json = Record<string, unknown>;

/** More tasks than this in one spec is refused rather than exhausting memory (a typo like `tasks: 1e9`). */
export const MAX_SPEC_TASKS = 10_000_000;

const TOP_FIELDS = ['name', 'platform', 'overhead_s', 'scheduler', 'task_overhead_s', 'stages', 'tasks'];
const STAGE_FIELDS = ['name', 'type', 'tasks', 'duration_s', 'durations_s', 'cores', 'gpus', 'ranks', 'after', 'command'];
const TASK_FIELDS = ['id', 'type', 'duration_s', 'cores', 'gpus', 'ranks', 'parents', 'command'];
const PLATFORM_FIELDS = ['nodes', 'cores_per_node', 'gpus_per_node', 'cores', 'gpus'];

/** Parses spec text (YAML or JSON). Throws InputError with the location and the problem. */
export function parseSpec(text: string): WorkflowSpec {
  return validateSpec(parseText(text));
}

function parseText(text: string): unknown {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{')) {
    // Large task-level specs come as JSON: JSON.parse is far faster than a YAML parser.
    try {
      return JSON.parse(text);
    } catch {
      // fall through: the YAML parser locates the error by line and column
    }
  }
  try {
    return YAML.parse(text, { uniqueKeys: true, maxAliasCount: 1000 });
  } catch (error) {
    const message = (error instanceof Error ? error.message.split('\n')[0] : String(error)).replace(/:\s*$/, '');
    throw new InputError(`not valid YAML or JSON: ${message}`);
  }
}

/** Checks a parsed document and turns it into a WorkflowSpec. */
export function validateSpec(doc: unknown): WorkflowSpec {
  if (!isObject(doc)) throw new InputError('spec: expected a mapping with "stages" (or "tasks"), got ' + describe(doc));
  unknownFields(doc, TOP_FIELDS, '');
  const name = doc.name === undefined || doc.name === null ? null : nonEmptyString(doc.name, 'name');
  const platform = doc.platform === undefined || doc.platform === null ? UNBOUNDED : parsePlatform(doc.platform);
  const overheadS = doc.overhead_s === undefined ? 0 : nonNegative(doc.overhead_s, 'overhead_s');
  const middleware = parseMiddleware(doc);
  const hasStages = doc.stages !== undefined;
  const hasTasks = doc.tasks !== undefined;
  if (hasStages && hasTasks) throw new InputError('spec: give "stages" or "tasks", not both');
  if (hasTasks) return { kind: 'tasks', name, platform, overheadS, ...middleware, tasks: parseTasks(doc.tasks, platform) };
  if (!hasStages) throw new InputError('spec: missing "stages" (or "tasks" for a task-level DAG)');
  return { kind: 'stages', name, platform, overheadS, ...middleware, stages: parseStages(doc.stages, platform) };
}

/** `scheduler` and `task_overhead_s`, only when given (a spec without them reads as before). */
function parseMiddleware(doc: Json): { scheduler?: Scheduler; taskOverheadS?: number } {
  const out: { scheduler?: Scheduler; taskOverheadS?: number } = {};
  if (doc.scheduler !== undefined && doc.scheduler !== null) {
    if (!SCHEDULERS.includes(doc.scheduler as Scheduler)) {
      throw new InputError(`scheduler: expected one of ${SCHEDULERS.join(', ')}, got ${describe(doc.scheduler)}`);
    }
    out.scheduler = doc.scheduler as Scheduler;
  }
  if (doc.task_overhead_s !== undefined && doc.task_overhead_s !== null) out.taskOverheadS = nonNegative(doc.task_overhead_s, 'task_overhead_s');
  return out;
}

/** `ranks` of a stage or task: a positive integer, 1 when absent. */
function parseRanks(entry: Json, at: string): number {
  return entry.ranks === undefined || entry.ranks === null ? 1 : positiveInteger(entry.ranks, `${at}.ranks`);
}

function parsePlatform(raw: unknown): Platform {
  if (!isObject(raw)) throw new InputError(`platform: expected a mapping, got ${describe(raw)}`);
  unknownFields(raw, PLATFORM_FIELDS, 'platform');
  const has = (key: string) => raw[key] !== undefined && raw[key] !== null;
  if (has('nodes') || has('cores_per_node') || has('gpus_per_node')) {
    if (has('cores') || has('gpus')) {
      throw new InputError('platform: give nodes with cores_per_node and gpus_per_node, or cores and gpus without nodes, not both');
    }
    if (!has('nodes')) throw new InputError('platform.nodes: missing (cores_per_node needs a number of nodes)');
    if (!has('cores_per_node')) throw new InputError('platform.cores_per_node: missing');
    return {
      kind: 'nodes',
      nodes: positiveInteger(raw.nodes, 'platform.nodes'),
      coresPerNode: positive(raw.cores_per_node, 'platform.cores_per_node'),
      gpusPerNode: has('gpus_per_node') ? nonNegative(raw.gpus_per_node, 'platform.gpus_per_node') : 0,
    };
  }
  if (!has('cores')) throw new InputError('platform: give nodes with cores_per_node and gpus_per_node, or cores and gpus');
  return {
    kind: 'pool',
    cores: positive(raw.cores, 'platform.cores'),
    gpus: has('gpus') ? nonNegative(raw.gpus, 'platform.gpus') : 0,
  };
}

function parseStages(raw: unknown, platform: Platform): StageSpec[] {
  if (!Array.isArray(raw) || raw.length === 0) throw new InputError(`stages: expected a non-empty list of stages, got ${describe(raw)}`);
  const stages: StageSpec[] = [];
  const index = new Map<string, number>();
  let total = 0;
  raw.forEach((entry, i) => {
    const at = `stages[${i}]`;
    if (!isObject(entry)) throw new InputError(`${at}: expected a mapping, got ${describe(entry)}`);
    unknownFields(entry, STAGE_FIELDS, at);
    const name = nonEmptyString(entry.name, `${at}.name`);
    if (index.has(name)) throw new InputError(`${at}.name: duplicate stage "${name}" (also stages[${index.get(name)}])`);
    index.set(name, i);
    const durations = stageDurations(entry, at, MAX_SPEC_TASKS - total);
    total += durations.length;
    const cores = entry.cores === undefined ? 1 : nonNegative(entry.cores, `${at}.cores`);
    const gpus = entry.gpus === undefined ? 0 : nonNegative(entry.gpus, `${at}.gpus`);
    const ranks = parseRanks(entry, at);
    const problem = misfit(platform, cores, gpus, ' per task', ranks);
    if (problem) throw new InputError(`${at}: ${problem}`);
    const stage: StageSpec = {
      name,
      type: entry.type === undefined || entry.type === null ? name : nonEmptyString(entry.type, `${at}.type`),
      durations,
      cores,
      gpus,
      ...(ranks > 1 ? { ranks } : {}),
      after: nameList(entry.after, `${at}.after`, 'stage name'),
    };
    if (entry.command !== undefined && entry.command !== null) stage.command = command(entry.command, `${at}.command`);
    stages.push(stage);
  });
  const from: number[] = [];
  const to: number[] = [];
  stages.forEach((stage, i) => {
    for (const parent of stage.after) {
      const p = index.get(parent);
      if (p === undefined) throw new InputError(`stages[${i}].after: unknown stage "${parent}"`);
      from.push(p);
      to.push(i);
    }
  });
  rejectCycle(stages.length, from, to, (i) => stages[i].name);
  return stages;
}

function stageDurations(entry: Json, at: string, room: number): number[] {
  const hasOne = entry.duration_s !== undefined;
  const hasMany = entry.durations_s !== undefined;
  if (hasOne && hasMany) throw new InputError(`${at}: give duration_s or durations_s, not both`);
  if (!hasOne && !hasMany) throw new InputError(`${at}: missing duration_s (or durations_s, one per task)`);
  if (hasOne) {
    if (entry.tasks === undefined) throw new InputError(`${at}.tasks: missing (the number of tasks of the stage)`);
    const count = positiveInteger(entry.tasks, `${at}.tasks`);
    if (count > room) throw new InputError(`${at}.tasks: ${count} tasks would take the spec over ${MAX_SPEC_TASKS} tasks, more than the model simulates`);
    const duration = nonNegative(entry.duration_s, `${at}.duration_s`);
    return new Array<number>(count).fill(duration);
  }
  if (!Array.isArray(entry.durations_s) || entry.durations_s.length === 0) {
    throw new InputError(`${at}.durations_s: expected a non-empty list of seconds, got ${describe(entry.durations_s)}`);
  }
  const durations = entry.durations_s.map((value, k) => nonNegative(value, `${at}.durations_s[${k}]`));
  if (entry.tasks !== undefined) {
    const count = positiveInteger(entry.tasks, `${at}.tasks`);
    if (count !== durations.length) throw new InputError(`${at}.durations_s: ${durations.length} durations for ${count} tasks`);
  }
  return durations;
}

function parseTasks(raw: unknown, platform: Platform): TaskSpec[] {
  if (!Array.isArray(raw) || raw.length === 0) throw new InputError(`tasks: expected a non-empty list of tasks, got ${describe(raw)}`);
  const tasks: TaskSpec[] = new Array(raw.length);
  const index = new Map<string, number>();
  for (let i = 0; i < raw.length; i++) {
    const entry: unknown = raw[i];
    const at = `tasks[${i}]`;
    if (!isObject(entry)) throw new InputError(`${at}: expected a mapping, got ${describe(entry)}`);
    unknownFields(entry, TASK_FIELDS, at);
    const id = typeof entry.id === 'number' && Number.isFinite(entry.id) ? String(entry.id) : nonEmptyString(entry.id, `${at}.id`);
    if (index.has(id)) throw new InputError(`${at}.id: duplicate task "${id}" (also tasks[${index.get(id)}])`);
    index.set(id, i);
    if (entry.duration_s === undefined) throw new InputError(`${at}.duration_s: missing`);
    const cores = entry.cores === undefined ? 1 : nonNegative(entry.cores, `${at}.cores`);
    const gpus = entry.gpus === undefined ? 0 : nonNegative(entry.gpus, `${at}.gpus`);
    const ranks = parseRanks(entry, at);
    const problem = misfit(platform, cores, gpus, '', ranks);
    if (problem) throw new InputError(`${at}: ${problem}`);
    tasks[i] = {
      ...(ranks > 1 ? { ranks } : {}),
      id,
      type: entry.type === undefined || entry.type === null ? typeFromId(id) : nonEmptyString(entry.type, `${at}.type`),
      durationS: nonNegative(entry.duration_s, `${at}.duration_s`),
      cores,
      gpus,
      parents: nameList(entry.parents, `${at}.parents`, 'task id'),
    };
    if (entry.command !== undefined && entry.command !== null) tasks[i].command = command(entry.command, `${at}.command`);
  }
  const from: number[] = [];
  const to: number[] = [];
  tasks.forEach((task, i) => {
    for (const parent of task.parents) {
      const p = index.get(parent);
      if (p === undefined) throw new InputError(`tasks[${i}].parents: unknown task "${parent}"`);
      from.push(p);
      to.push(i);
    }
  });
  rejectCycle(tasks.length, from, to, (i) => tasks[i].id);
  return tasks;
}

/** `cycle: T1 -> T2 -> T1` when the dependencies loop. */
function rejectCycle(size: number, from: number[], to: number[], name: (i: number) => string): void {
  const cycle = findCycle(size, { length: from.length, parent: from, child: to });
  if (cycle) throw new InputError(`cycle: ${cycle.map(name).join(' -> ')}`);
}

function nameList(raw: unknown, at: string, what: string): string[] {
  if (raw === undefined || raw === null) return [];
  const list = Array.isArray(raw) ? raw : [raw];
  return list.map((value, k) => {
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    if (typeof value !== 'string' || value === '') {
      throw new InputError(`${Array.isArray(raw) ? `${at}[${k}]` : at}: expected a ${what}, got ${describe(value)}`);
    }
    return value;
  });
}

/** A command: a non-empty string (run by /bin/sh) or a non-empty list of strings (an argument vector). */
function command(raw: unknown, at: string): TaskCommand {
  if (typeof raw === 'string') {
    if (raw.trim() === '') throw new InputError(`${at}: expected a command (a string, or a list of strings), got ""`);
    return raw;
  }
  if (!Array.isArray(raw) || raw.length === 0) throw new InputError(`${at}: expected a command (a string, or a list of strings), got ${describe(raw)}`);
  return raw.map((value, k) => {
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    if (typeof value !== 'string' || (k === 0 && value === '')) throw new InputError(`${at}[${k}]: expected a string, got ${describe(value)}`);
    return value;
  });
}

function unknownFields(object: Json, known: readonly string[], at: string): void {
  for (const key of Object.keys(object)) {
    if (!known.includes(key)) {
      const where = at === '' ? key : `${at}.${key}`;
      throw new InputError(`${where}: unknown field (expected one of ${known.join(', ')})`);
    }
  }
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (isObject(value)) return 'a mapping';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value); // JSON would say null
  return JSON.stringify(value);
}

function nonEmptyString(value: unknown, at: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new InputError(`${at}: expected a non-empty string, got ${describe(value)}`);
  return value;
}

function number(value: unknown): number {
  return typeof value === 'number' ? value : NaN;
}

function nonNegative(value: unknown, at: string): number {
  const n = number(value);
  if (!Number.isFinite(n) || n < 0) throw new InputError(`${at}: expected a non-negative number, got ${describe(value)}`);
  return n;
}

function positive(value: unknown, at: string): number {
  const n = number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InputError(`${at}: expected a positive number, got ${describe(value)}`);
  return n;
}

function positiveInteger(value: unknown, at: string): number {
  const n = number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InputError(`${at}: expected a positive integer, got ${describe(value)}`);
  return n;
}
