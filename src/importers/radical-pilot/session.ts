/**
 * The session description `<sid>.json`: tasks with their resources and final state, and the
 * pilots' capacity.
 */
import { TraceError } from '../../errors.js';
import { UNKNOWN_CAPACITY, type Capacity } from '../../run/capacity.js';

export interface SessionTask {
  uid: string;
  name: string | null;
  state: string | null;
  executable: string | null;
  cores: number;
  gpus: number;
  node: string | null;
}

export interface SessionDescription {
  sid: string | null;
  tasks: SessionTask[];
  capacity: Capacity;
  pilots: number;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Whether parsed JSON looks like a session description at all. */
export function isSessionJson(value: unknown): value is Json {
  return isObject(value) && (Array.isArray(value.task) || Array.isArray(value.pilot));
}

export function parseSession(file: string, json: Json): SessionDescription {
  const tasks: SessionTask[] = [];
  const rawTasks = json.task ?? [];
  if (!Array.isArray(rawTasks)) throw new TraceError(file, 'task: expected a list of tasks');
  rawTasks.forEach((raw, i) => tasks.push(parseTask(file, raw, `task[${i}]`)));
  const pilots = Array.isArray(json.pilot) ? json.pilot : [];
  const session = isObject(json.session) ? json.session : {};
  const sid = typeof session._id === 'string' ? session._id : typeof session.uid === 'string' ? session.uid : null;
  return { sid, tasks, capacity: pilotCapacity(file, pilots), pilots: pilots.length };
}

function parseTask(file: string, raw: unknown, where: string): SessionTask {
  if (!isObject(raw)) throw new TraceError(file, `${where}: expected an object`);
  const description = isObject(raw.description) ? raw.description : {};
  const uid = raw.uid ?? description.uid;
  if (typeof uid !== 'string' || uid === '') throw new TraceError(file, `${where}.uid: missing or not a string`);
  const number = (key: string, fallback: number): number => {
    const value = description[key];
    if (value === undefined || value === null || value === '') return fallback;
    const n = typeof value === 'number' ? value : Number(value);
    if (!Number.isFinite(n) || n < 0) {
      throw new TraceError(file, `${where}.description.${key}: expected a non-negative number, got ${JSON.stringify(value)}`);
    }
    return n;
  };
  let cores: number;
  let gpus: number;
  if ('ranks' in description || 'cores_per_rank' in description) {
    // RADICAL-Pilot >= 1.20: ranks x per-rank resources (GPUs may be fractional).
    const ranks = number('ranks', 1);
    cores = ranks * number('cores_per_rank', 1);
    gpus = ranks * number('gpus_per_rank', 0);
  } else {
    cores = number('cpu_processes', 1) * number('cpu_threads', 1);
    gpus = number('gpu_processes', 0);
  }
  const name = typeof raw.name === 'string' && raw.name !== '' ? raw.name : typeof description.name === 'string' ? description.name : null;
  return {
    uid,
    name: name || null,
    state: typeof raw.state === 'string' ? raw.state : null,
    executable: typeof description.executable === 'string' ? description.executable : null,
    cores,
    gpus,
    node: firstNode(raw.slots),
  };
}

/** The node a task ran on (its first one when it spans several), in either slots layout. */
function firstNode(slots: unknown): string | null {
  if (!isObject(slots)) return null;
  const nodes = Array.isArray(slots.nodes) ? slots.nodes : Array.isArray(slots.ranks) ? slots.ranks : [];
  const first = nodes[0];
  if (!isObject(first)) return null;
  const name = first.name ?? first.node_name ?? first.node_id;
  return typeof name === 'string' ? name : null;
}

/**
 * Capacity from each pilot's `resource_details.rm_info`: nodes = length of `node_list`, with
 * `cores_per_node` and `gpus_per_node` (hardware threads on SMT machines: 168 on Summit). With
 * several pilots, nodes, cores and GPUs add up.
 */
function pilotCapacity(file: string, pilots: unknown[]): Capacity {
  const capacity: Capacity = { ...UNKNOWN_CAPACITY };
  pilots.forEach((pilot, i) => {
    const details = isObject(pilot) && isObject(pilot.resource_details) ? pilot.resource_details : null;
    const rm = details && isObject(details.rm_info) ? details.rm_info : null;
    if (!rm) return;
    if (!Array.isArray(rm.node_list)) throw new TraceError(file, `pilot[${i}].resource_details.rm_info.node_list: expected a list`);
    const nodes = rm.node_list.length;
    const cpn = typeof rm.cores_per_node === 'number' ? rm.cores_per_node : null;
    const gpn = typeof rm.gpus_per_node === 'number' ? rm.gpus_per_node : 0;
    capacity.nodes = (capacity.nodes ?? 0) + nodes;
    capacity.coresPerNode = i === 0 || capacity.coresPerNode === cpn ? cpn : null;
    capacity.gpusPerNode = i === 0 || capacity.gpusPerNode === gpn ? gpn : null;
    if (cpn !== null) capacity.cores = (capacity.cores ?? 0) + nodes * cpn;
    capacity.gpus = (capacity.gpus ?? 0) + nodes * gpn;
  });
  return capacity;
}
