/**
 * The two layouts of WfFormat read into one shape.
 *
 * 1.5 and 1.6 (https://github.com/wfcommons/WfFormat): `workflow.specification.tasks` holds the DAG
 * (id, name, parents, children, by id) and `workflow.execution` what happened (per task id:
 * runtimeInSeconds, coreCount, optional executedAt, machines; makespanInSeconds, executedAt,
 * machines with cpu.coreCount).
 * 1.4: one flat `workflow.tasks` list (name, optional id and category, parents and children by
 * name, runtimeInSeconds, cores, machine) with makespanInSeconds, executedAt and machines (cpu.count)
 * on `workflow`.
 */
import { TraceError } from '../../errors.js';
import { Fields, isObject, describe, type JsonObject } from './json-fields.js';
import { parseInstanceDate } from './dates.js';

export interface InstanceTask {
  /** The task's identifier in asyncscope: the id (1.5), or the name, made unique with the id when needed (1.4). */
  uid: string;
  name: string;
  /** WfFormat 1.4 `category`: the task's type when the instance states it. */
  category: string | null;
  /** Id as the instance gives it ('' when a 1.4 task has none). */
  id: string;
  parents: string[];
  children: string[];
  /** Seconds; NaN when the instance has no execution data for the task. */
  runtime: number;
  /** NaN when the instance does not say. */
  cores: number;
  /** Epoch seconds of the task's start (`executedAt`), NaN when not given. */
  start: number;
  machines: string[];
}

export interface Machine {
  nodeName: string;
  coreCount: number | null;
}

export interface Instance {
  schemaVersion: string;
  layout: '1.4' | '1.5';
  name: string | null;
  /** The workflow's start, as written, and as epoch seconds (NaN when unreadable). */
  executedAtText: string | null;
  executedAt: number;
  makespan: number | null;
  machines: Machine[];
  tasks: InstanceTask[];
  /** Task index of a dependency reference: by id in 1.5; by name, then id, in 1.4. */
  resolve: (reference: string) => number | undefined;
  /** Tasks of a 1.4 instance without a runtime, taken as 0 s as WfCommons' own migration does. */
  missingRuntimes: number;
  /** Specification tasks without an execution entry (their runtime is unknown). */
  withoutExecution: number;
}

const KNOWN_VERSIONS = ['1.4', '1.5', '1.6'];
const OLD_VERSIONS = ['1.0', '1.1', '1.2', '1.3'];

/** The instance in a parsed JSON document; a TraceError names the task and field of any schema violation. */
export function readInstance(file: string, document: unknown): Instance {
  if (!isObject(document)) throw new TraceError(file, `not a WfCommons instance: the document is ${describe(document)}, not an object`);
  const root = new Fields(file, 'instance', document);
  const schemaVersion = root.has('schemaVersion') ? String(document.schemaVersion) : '';
  const workflow = root.object('workflow', 'workflow') ?? root.fail('"workflow" is missing');
  if (OLD_VERSIONS.includes(schemaVersion) || (workflow.has('jobs') && !workflow.has('tasks') && !workflow.has('specification'))) {
    throw new TraceError(
      file,
      `WfFormat ${schemaVersion || '1.3 or older'} is not read (only 1.4 to 1.6): migrate it with tools/wfcommons-migrate-instance.py from github.com/wfcommons/WfFormat`,
    );
  }
  const name = typeof document.name === 'string' && document.name.trim() !== '' ? document.name : null;
  if (workflow.has('specification')) return readSpecificationLayout(file, workflow, schemaVersion, name);
  if (workflow.has('tasks')) return readFlatLayout(file, workflow, schemaVersion, name);
  return workflow.fail('has neither "specification" (WfFormat 1.5) nor "tasks" (WfFormat 1.4)');
}

export function isKnownVersion(version: string): boolean {
  return KNOWN_VERSIONS.includes(version);
}

function taskAt(file: string, list: unknown[], i: number, where: string): Fields {
  const value = list[i];
  if (!isObject(value)) throw new TraceError(file, `${where}[${i}] is ${describe(value)}, not a task object`);
  return new Fields(file, `${where}[${i}]`, value);
}

/** Fields of a task, with messages that name the task before its place in the file. */
function named(task: Fields, label: string): Fields {
  return new Fields(task.file, `task ${JSON.stringify(label)} (${task.where})`, task.value);
}

function readSpecificationLayout(file: string, workflow: Fields, schemaVersion: string, name: string | null): Instance {
  const specification = workflow.object('specification')!;
  const specTasks = specification.array('tasks') ?? specification.fail('"tasks" is missing');
  if (specTasks.length === 0) specification.fail('"tasks" is empty');

  const tasks: InstanceTask[] = [];
  const indexOfId = new Map<string, number>();
  for (let i = 0; i < specTasks.length; i++) {
    const raw = taskAt(file, specTasks, i, specification.where + '.tasks');
    const id = raw.requiredString('id');
    const task = named(raw, id);
    const previous = indexOfId.get(id);
    if (previous !== undefined) task.fail(`duplicate task id (also ${specification.where}.tasks[${previous}])`);
    indexOfId.set(id, i);
    tasks.push({
      uid: id,
      id,
      name: task.requiredString('name'),
      category: null,
      parents: task.strings('parents'),
      children: task.strings('children'),
      runtime: NaN,
      cores: NaN,
      start: NaN,
      machines: [],
    });
  }

  const execution = workflow.object('execution');
  let withoutExecution = tasks.length;
  let makespan: number | null = null;
  let executedAtText: string | null = null;
  let machines: Machine[] = [];
  if (execution) {
    const execTasks = execution.array('tasks') ?? execution.fail('"tasks" is missing');
    const described = new Map<number, number>();
    for (let i = 0; i < execTasks.length; i++) {
      const raw = taskAt(file, execTasks, i, execution.where + '.tasks');
      const id = raw.requiredString('id');
      const fields: Fields = named(raw, id);
      const index = indexOfId.get(id);
      if (index === undefined) fields.fail('not in workflow.specification.tasks');
      const previous = described.get(index);
      if (previous !== undefined) fields.fail(`duplicate task id (also ${execution.where}.tasks[${previous}])`);
      described.set(index, i);
      const task = tasks[index];
      task.runtime = fields.number('runtimeInSeconds') ?? fields.fail('"runtimeInSeconds" is missing');
      task.cores = fields.number('coreCount') ?? NaN;
      task.start = taskStart(fields);
      task.machines = fields.strings('machines');
    }
    withoutExecution = tasks.length - described.size;
    makespan = execution.number('makespanInSeconds') ?? null;
    executedAtText = dateText(execution, 'executedAt');
    machines = readMachines(execution);
  }
  return {
    schemaVersion,
    layout: '1.5',
    name,
    executedAtText,
    executedAt: parseInstanceDate(executedAtText),
    makespan,
    machines,
    tasks,
    resolve: (reference) => indexOfId.get(reference),
    missingRuntimes: 0,
    withoutExecution,
  };
}

function readFlatLayout(file: string, workflow: Fields, schemaVersion: string, name: string | null): Instance {
  const list = workflow.array('tasks')!;
  if (list.length === 0) workflow.fail('"tasks" is empty');
  const tasks: InstanceTask[] = [];
  const indexOfUid = new Map<string, number>();
  const indexOfName = new Map<string, number>();
  const indexOfId = new Map<string, number>();
  let missingRuntimes = 0;
  for (let i = 0; i < list.length; i++) {
    const raw = taskAt(file, list, i, workflow.where + '.tasks');
    const taskName = raw.requiredString('name');
    const task = named(raw, taskName);
    const id = task.string('id') ?? '';
    // The id WfCommons' migration to 1.5 gives the task: its name, with the id appended when the name lacks it.
    const uid = id === '' || taskName.includes(id) ? taskName : `${taskName}_${id}`;
    const previous = indexOfUid.get(uid);
    if (previous !== undefined) task.fail(`duplicate task (also ${workflow.where}.tasks[${previous}])`);
    indexOfUid.set(uid, i);
    if (!indexOfName.has(taskName)) indexOfName.set(taskName, i);
    if (id !== '' && !indexOfId.has(id)) indexOfId.set(id, i);
    let runtime = task.number('runtimeInSeconds');
    if (runtime === undefined) {
      missingRuntimes++;
      runtime = 0;
    }
    const machine = task.string('machine');
    const category = task.string('category');
    tasks.push({
      uid,
      id,
      name: taskName,
      category: category !== undefined && category.trim() !== '' ? category : null,
      parents: task.strings('parents'),
      children: task.strings('children'),
      runtime,
      cores: task.number('cores') ?? NaN,
      start: taskStart(task),
      machines: machine === undefined ? [] : [machine],
    });
  }
  const executedAtText = dateText(workflow, 'executedAt');
  return {
    schemaVersion,
    layout: '1.4',
    name,
    executedAtText,
    executedAt: parseInstanceDate(executedAtText),
    makespan: workflow.number('makespanInSeconds') ?? null,
    machines: readMachines(workflow),
    tasks,
    // Up to 1.4, tasks refer to each other by name; ids are accepted too.
    resolve: (reference) => indexOfName.get(reference) ?? indexOfId.get(reference) ?? indexOfUid.get(reference),
    missingRuntimes,
    withoutExecution: 0,
  };
}

/** A task's `executedAt` as epoch seconds, NaN when absent; an error when present and unreadable. */
function taskStart(task: Fields): number {
  const text = dateText(task, 'executedAt');
  if (text === null) return NaN;
  const time = parseInstanceDate(text);
  if (Number.isNaN(time)) task.fail(`"executedAt" is ${JSON.stringify(text)}, not a date (ISO 8601, e.g. 2020-04-01T15:10:53-08:00)`);
  return time;
}

function dateText(fields: Fields, key: string): string | null {
  const value = fields.value[key];
  if (value === undefined || value === null) return null;
  if (typeof value === 'number') return String(value);
  return fields.string(key) ?? null;
}

/** Machines with their core counts (1.5: cpu.coreCount; 1.4: cpu.count). */
function readMachines(owner: Fields): Machine[] {
  const list = owner.array('machines') ?? [];
  return list.map((value, i) => {
    const where = `${owner.where}.machines[${i}]`;
    if (!isObject(value)) throw new TraceError(owner.file, `${where} is ${describe(value)}, not a machine object`);
    const machine = new Fields(owner.file, where, value as JsonObject);
    const cpu = machine.object('cpu');
    const coreCount = cpu ? (cpu.number('coreCount', 1) ?? cpu.number('count', 1) ?? null) : null;
    return { nodeName: machine.string('nodeName') ?? `machine ${i}`, coreCount };
  });
}
