/**
 * The session description `<sid>.json`: tasks with their resources and final state, and the
 * pilots' capacity. Read as a stream (json-members.ts): a description of a million tasks is
 * hundreds of megabytes of JSON.
 */
import { TraceError } from '../../errors.js';
import { UNKNOWN_CAPACITY, type Capacity } from '../../run/capacity.js';
import { ChunkedArray, ChunkedFloat64, ChunkedInt32 } from './columns.js';
import { JsonDocumentReader, JsonSyntaxError, type MemberHandler } from './json-members.js';
import { nameTask } from './naming.js';

export interface SessionTask {
  uid: string;
  name: string | null;
  state: string | null;
  executable: string | null;
  cores: number;
  gpus: number;
  /** MPI ranks (RADICAL-Pilot >= 1.20: `ranks`; before: `cpu_processes` of an MPI task); 1 otherwise. */
  ranks: number;
  node: string | null;
}

export interface SessionDescription {
  sid: string | null;
  tasks: DescribedTasks;
  capacity: Capacity;
  pilots: number;
}

/** What a top-level JSON file of a session turned out to be. */
export type DescriptionFile =
  | { kind: 'session'; description: SessionDescription }
  /** Shaped like a description, but wrong in a field: the error is raised if it is the one used. */
  | { kind: 'bad-session'; error: TraceError }
  | { kind: 'invalid-json'; error: TraceError }
  | { kind: 'other' };

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The tasks of a description, column by column, named as they arrive (a million task objects
 * would not fit in memory next to their events). Strings that repeat (types, stages, pipelines,
 * states, nodes) are kept once, as numbers into `words` (-1 for none).
 */
export class DescribedTasks {
  readonly uid = new ChunkedArray<string>();
  readonly name = new ChunkedArray<string | null>();
  readonly type = new ChunkedInt32();
  readonly stage = new ChunkedInt32();
  readonly pipeline = new ChunkedInt32();
  readonly state = new ChunkedInt32();
  readonly node = new ChunkedInt32();
  readonly cores = new ChunkedFloat64();
  readonly gpus = new ChunkedFloat64();
  /** The program (description.executable) and RADICAL-EnTK's stage name, coded as the columns above. */
  readonly executable = new ChunkedInt32();
  readonly stageName = new ChunkedInt32();
  readonly ranks = new ChunkedInt32();
  readonly words: string[] = [];
  private readonly wordCode = new Map<string, number>();
  /** The previous task's text and code per coded column: consecutive tasks mostly share them. */
  private readonly lastText: (string | null)[] = [null, null, null, null, null, null, null];
  private readonly lastCode = new Int32Array(7).fill(-1);

  get length(): number {
    return this.uid.length;
  }

  push(task: SessionTask): void {
    const naming = nameTask(task.uid, task.name, task.executable);
    this.uid.push(task.uid);
    this.name.push(naming.name);
    this.type.push(this.code(0, naming.type));
    this.stage.push(this.code(1, naming.stage));
    this.pipeline.push(this.code(2, naming.pipeline));
    this.state.push(this.code(3, task.state));
    this.node.push(this.code(4, task.node));
    this.cores.push(task.cores);
    this.gpus.push(task.gpus);
    this.executable.push(this.code(5, task.executable));
    this.stageName.push(this.code(6, naming.stageName));
    this.ranks.push(task.ranks);
  }

  word(code: number): string | null {
    return code === -1 ? null : this.words[code];
  }

  private code(column: number, text: string | null): number {
    if (text === null) return -1;
    if (text === this.lastText[column]) return this.lastCode[column];
    let code = this.wordCode.get(text);
    if (code === undefined) {
      code = this.words.length;
      this.words.push(text);
      this.wordCode.set(text, code);
    }
    this.lastText[column] = text;
    this.lastCode[column] = code;
    return code;
  }
}

/**
 * Reads a top-level JSON file of a session, streaming its `task` list (a file of up to 8 MB is
 * parsed whole: JsonDocumentReader). Errors are returned, not
 * thrown: which JSON file is the description is decided once all are read (see index.ts), and
 * only the errors of that one matter.
 */
export async function readDescriptionFile(file: string, content: AsyncIterable<Buffer>): Promise<DescriptionFile> {
  const members = new DescriptionMembers(file);
  const reader = new JsonDocumentReader('task', members);
  let syntax: JsonSyntaxError | null = null;
  for await (const chunk of content) {
    if (syntax) continue; // read to its end all the same: the archive's next member follows
    try {
      reader.push(chunk);
    } catch (error) {
      if (!(error instanceof JsonSyntaxError)) throw error;
      syntax = error;
    }
  }
  try {
    if (syntax) throw syntax;
    if (reader.end().kind === 'other') return { kind: 'other' }; // valid JSON, not an object
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    return { kind: 'invalid-json', error: new TraceError(file, `not valid JSON (${error.message})`) };
  }
  return members.description();
}

/** The members of a description that matter, as JSON.parse would leave them (the last of a repeated key). */
class DescriptionMembers implements MemberHandler {
  private session: unknown;
  private pilot: unknown;
  /** `task` when it is not a list; otherwise its elements are in `tasks`. */
  private task: unknown;
  private taskIsList = false;
  private tasks = new DescribedTasks();
  private taskError: TraceError | null = null;

  constructor(private readonly file: string) {}

  member(key: string, value: unknown): void {
    if (key === 'session') this.session = value;
    else if (key === 'pilot') this.pilot = value;
    else if (key === 'task') this.startTasks(false, value);
  }

  arrayStart(): void {
    this.startTasks(true, undefined);
  }

  element(value: unknown, index: number): void {
    if (this.taskError) return;
    try {
      this.tasks.push(parseTask(this.file, value, index));
    } catch (error) {
      if (!(error instanceof TraceError)) throw error;
      this.taskError = error;
    }
  }

  description(): DescriptionFile {
    // Shaped like a description: a list of tasks or of pilots.
    if (!this.taskIsList && !Array.isArray(this.pilot)) return { kind: 'other' };
    try {
      if (!this.taskIsList && (this.task ?? null) !== null) throw new TraceError(this.file, 'task: expected a list of tasks');
      if (this.taskError) throw this.taskError;
      const pilots = Array.isArray(this.pilot) ? this.pilot : [];
      const session = isObject(this.session) ? this.session : {};
      const sid = typeof session._id === 'string' ? session._id : typeof session.uid === 'string' ? session.uid : null;
      return { kind: 'session', description: { sid, tasks: this.tasks, capacity: pilotCapacity(this.file, pilots), pilots: pilots.length } };
    } catch (error) {
      if (!(error instanceof TraceError)) throw error;
      return { kind: 'bad-session', error };
    }
  }

  private startTasks(isList: boolean, value: unknown): void {
    this.task = value;
    this.taskIsList = isList;
    this.tasks = new DescribedTasks();
    this.taskError = null;
  }
}

function parseTask(file: string, raw: unknown, index: number): SessionTask {
  const where = () => `task[${index}]`; // built only for an error: a million tasks need none
  if (!isObject(raw)) throw new TraceError(file, `${where()}: expected an object`);
  const description = isObject(raw.description) ? raw.description : {};
  const uid = raw.uid ?? description.uid;
  if (typeof uid !== 'string' || uid === '') throw new TraceError(file, `${where()}.uid: missing or not a string`);
  const number = (key: string, fallback: number): number => {
    const value = description[key];
    if (value === undefined || value === null || value === '') return fallback;
    const n = typeof value === 'number' ? value : Number(value);
    if (!Number.isFinite(n) || n < 0) {
      throw new TraceError(file, `${where()}.description.${key}: expected a non-negative number, got ${JSON.stringify(value)}`);
    }
    return n;
  };
  let cores: number;
  let gpus: number;
  let ranks = 1;
  if ('ranks' in description || 'cores_per_rank' in description) {
    // RADICAL-Pilot >= 1.20: ranks x per-rank resources (GPUs may be fractional).
    ranks = number('ranks', 1);
    cores = ranks * number('cores_per_rank', 1);
    gpus = ranks * number('gpus_per_rank', 0);
  } else {
    cores = number('cpu_processes', 1) * number('cpu_threads', 1);
    gpus = number('gpu_processes', 0);
    if (description.cpu_process_type === 'MPI') ranks = number('cpu_processes', 1);
  }
  const name = typeof raw.name === 'string' && raw.name !== '' ? raw.name : typeof description.name === 'string' ? description.name : null;
  return {
    uid,
    name: name || null,
    state: typeof raw.state === 'string' ? raw.state : null,
    executable: typeof description.executable === 'string' ? description.executable : null,
    cores,
    gpus,
    ranks: Number.isInteger(ranks) && ranks >= 1 ? ranks : 1,
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
