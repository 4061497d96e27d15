/**
 * A stampede database read into memory, table by table, in compact columns: the jobs of every
 * workflow, their instances (one per submission: retries are further instances), the instances'
 * states and kickstart invocations, the DAG, hosts and workflows. Jobs are then written in job
 * order with everything about them, which the tables' own orders (states by instance, instances
 * by submission) do not give row by row.
 */
import { TraceError } from '../../errors.js';
import { GROUP_SEPARATORS, type ForeignDatabase } from '../../store/foreign-sqlite.js';

export interface Workflow {
  id: number;
  uuid: string;
  dagFile: string | null;
  label: string | null;
  parent: number | null;
  /** Status of its last WORKFLOW_TERMINATED (0 success), null when it never terminated. */
  terminated: number | null;
}

/** One copy of each distinct string, and its code (job states, transformations, hosts: a few dozen). */
class Dictionary {
  readonly values: string[] = [];
  private readonly codes = new Map<string, number>();
  private last = '';
  private lastCode = -1;

  code(value: string): number {
    if (value === this.last) return this.lastCode;
    let code = this.codes.get(value);
    if (code === undefined) {
      code = this.values.length;
      this.values.push(value);
      this.codes.set(value, code);
    }
    this.last = value;
    this.lastCode = code;
    return code;
  }
}

/** No value in an Int32Array column (SQLite NULL). */
export const NONE = -2147483648;

export class Stampede {
  readonly workflows = new Map<number, Workflow>();
  readonly hosts = new Map<number, string>();
  // job, in job_id order (text columns as arrays: names are unique)
  readonly jobId: Int32Array;
  readonly jobWf: Int32Array;
  readonly jobName: string[] = [];
  readonly jobTypeDesc: (string | null)[] = [];
  // job_instance, grouped by job in submission order
  readonly instanceId: Int32Array;
  readonly instanceJob: Int32Array;
  readonly instanceHost: Int32Array;
  readonly instanceSeq: Int32Array;
  readonly instanceSubwf: Int32Array;
  readonly instanceExit: Int32Array;
  readonly instanceCount: number;
  // jobstate, by instance, each instance's in time order
  readonly states = new Dictionary();
  readonly stateCode: Uint16Array;
  readonly stateTime: Float64Array;
  private readonly stateSeq: Int32Array;
  private readonly stateInstance: Int32Array;
  private readonly stateCount: number;
  // invocation (the job's own programs, not DAGMan's pre and post scripts), by instance
  readonly programs = new Dictionary();
  readonly invocationStart: Float64Array;
  readonly invocationDuration: Float64Array;
  readonly invocationCode: Uint16Array;
  private readonly invocationInstance: Int32Array;
  private readonly invocationCount: number;
  /** Edges by workflow, as job names. */
  readonly edges = new Map<number, [string, string][]>();

  constructor(private readonly db: ForeignDatabase) {
    const strings = new Dictionary(); // type_desc, host names

    for (const [id, uuid, dagFile, label, parent] of db.rows('workflow', ['wf_id', 'wf_uuid', 'dag_file_name', 'dax_label', 'parent_wf_id'], { orderBy: ['wf_id'] })) {
      const wf = this.integer(id, 'workflow', `wf_id ${String(id)}`, 'wf_id', false);
      this.workflows.set(wf, {
        id: wf,
        uuid: typeof uuid === 'string' ? uuid : String(uuid),
        dagFile: text(dagFile),
        label: text(label),
        parent: nullable(this.integer(parent, 'workflow', `wf_id ${wf}`, 'parent_wf_id', true)),
        terminated: null,
      });
    }
    for (const [id, state, , status] of db.rows('workflowstate', ['wf_id', 'state', 'timestamp', 'status'], { orderBy: ['wf_id', 'timestamp'] })) {
      const wf = this.workflows.get(id as number);
      if (wf && state === 'WORKFLOW_TERMINATED') wf.terminated = typeof status === 'number' ? status : 1;
    }
    for (const [id, hostname] of db.rows('host', ['host_id', 'hostname'])) {
      if (typeof id === 'number' && typeof hostname === 'string') this.hosts.set(id, strings.values[strings.code(hostname)]);
    }

    const jobs = db.count('job');
    this.jobId = new Int32Array(jobs);
    this.jobWf = new Int32Array(jobs);
    let j = 0;
    for (const [id, wf, name, typeDesc] of db.rows('job', ['job_id', 'wf_id', 'exec_job_id', 'type_desc'], { orderBy: ['job_id'] })) {
      if (j === jobs) break; // rows added while reading
      const job = this.integer(id, 'job', `job_id ${String(id)}`, 'job_id', false);
      if (typeof name !== 'string' || name === '') throw this.error('job', `job_id ${job}`, 'exec_job_id', name);
      this.jobId[j] = job;
      this.jobWf[j] = this.integer(wf, 'job', `job_id ${job}`, 'wf_id', false);
      this.jobName.push(name);
      this.jobTypeDesc.push(typeof typeDesc === 'string' ? strings.values[strings.code(typeDesc)] : null);
      j++;
    }
    if (j < jobs) throw new TraceError(db.display, 'table job changed while it was read');

    const instances = db.count('job_instance');
    this.instanceId = new Int32Array(instances);
    this.instanceJob = new Int32Array(instances);
    this.instanceHost = new Int32Array(instances);
    this.instanceSeq = new Int32Array(instances);
    this.instanceSubwf = new Int32Array(instances);
    this.instanceExit = new Int32Array(instances);
    let i = 0;
    for (const [id, job, host, seq, subwf, exitcode] of db.rows(
      'job_instance',
      ['job_instance_id', 'job_id', 'host_id', 'job_submit_seq', 'subwf_id', 'exitcode'],
      { orderBy: ['job_id', 'job_submit_seq'] },
    )) {
      if (i === instances) break;
      const instance = this.integer(id, 'job_instance', `job_instance_id ${String(id)}`, 'job_instance_id', false);
      const row = `job_instance_id ${instance}`;
      this.instanceId[i] = instance;
      this.instanceJob[i] = this.integer(job, 'job_instance', row, 'job_id', false);
      this.instanceHost[i] = this.integer(host, 'job_instance', row, 'host_id', true);
      const submitSeq = this.integer(seq, 'job_instance', row, 'job_submit_seq', true);
      this.instanceSeq[i] = submitSeq === NONE ? 0 : submitSeq;
      this.instanceSubwf[i] = this.integer(subwf, 'job_instance', row, 'subwf_id', true);
      this.instanceExit[i] = this.integer(exitcode, 'job_instance', row, 'exitcode', true);
      i++;
    }
    this.instanceCount = i;

    // Grouped by instance (rows.groups: one string per instance, read twice as fast as row by row),
    // in the primary key's order; each instance's few states are then put in time order here.
    const states = db.count('jobstate');
    this.stateInstance = new Int32Array(states);
    this.stateCode = new Uint16Array(states);
    this.stateTime = new Float64Array(states);
    this.stateSeq = new Int32Array(states);
    let k = 0;
    for (const [id, text] of db.groups('jobstate', 'job_instance_id', ['state', 'timestamp', 'jobstate_submit_seq'])) {
      const instance = this.integer(id, 'jobstate', `row ${k + 1}`, 'job_instance_id', false);
      for (const row of text.split(GROUP_SEPARATORS.row)) {
        if (k === states) break; // rows added while reading
        const [state, timestamp, seq] = row.split(GROUP_SEPARATORS.part);
        if (state === '' || state === undefined) throw this.error('jobstate', `job_instance_id ${instance}`, 'state', null);
        this.stateInstance[k] = instance;
        this.stateCode[k] = this.states.code(state);
        this.stateTime[k] = this.time(timestamp === '' ? null : timestamp, 'jobstate', `job_instance_id ${instance}, state ${state}`, 'timestamp');
        this.stateSeq[k] = seq === '' || seq === undefined ? 0 : Number(seq);
        k++;
      }
    }
    this.stateCount = k;
    this.sortStates();

    const invocations = db.count('invocation', { atLeast: { task_submit_seq: 0 } });
    this.invocationInstance = new Int32Array(invocations);
    this.invocationStart = new Float64Array(invocations);
    this.invocationDuration = new Float64Array(invocations);
    this.invocationCode = new Uint16Array(invocations);
    let v = 0;
    for (const [id, text] of db.groups('invocation', 'job_instance_id', ['start_time', 'remote_duration', 'transformation'], { atLeast: { task_submit_seq: 0 } })) {
      const instance = this.integer(id, 'invocation', `row ${v + 1}`, 'job_instance_id', false);
      const row = `job_instance_id ${instance}`;
      for (const invocation of text.split(GROUP_SEPARATORS.row)) {
        if (v === invocations) break;
        const [start, duration, transformation] = invocation.split(GROUP_SEPARATORS.part);
        this.invocationInstance[v] = instance;
        this.invocationStart[v] = this.time(start === '' ? null : start, 'invocation', row, 'start_time');
        this.invocationDuration[v] = this.time(duration === '' ? null : duration, 'invocation', row, 'remote_duration');
        this.invocationCode[v] = this.programs.code(transformation ? transformation : 'invocation');
        v++;
      }
    }
    this.invocationCount = v;

    for (const [wf, parent, child] of db.rows('job_edge', ['wf_id', 'parent_exec_job_id', 'child_exec_job_id'])) {
      if (typeof wf !== 'number' || typeof parent !== 'string' || typeof child !== 'string') continue;
      let list = this.edges.get(wf);
      if (!list) this.edges.set(wf, (list = []));
      list.push([parent, child]);
    }
  }

  /** Instance rows [from, to) of the job with this job_id. */
  instances(job: number): [number, number] {
    return range(this.instanceJob, this.instanceCount, job);
  }

  /** State rows [from, to) of an instance, in time order. */
  statesOf(instance: number): [number, number] {
    return range(this.stateInstance, this.stateCount, instance);
  }

  stateName(k: number): string {
    return this.states.values[this.stateCode[k]];
  }

  /** Invocation rows [from, to) of an instance. */
  invocations(instance: number): [number, number] {
    return range(this.invocationInstance, this.invocationCount, instance);
  }

  programName(k: number): string {
    return this.programs.values[this.invocationCode[k]];
  }

  /**
   * The one program a job instance ran (its kickstart invocations' transformation: what
   * pegasus-statistics breaks jobs down by); null for none, or several (a clustered job).
   */
  transformationOf(instance: number): string | null {
    const [from, to] = this.invocations(instance);
    if (to === from) return null;
    const first = this.invocationCode[from];
    for (let k = from + 1; k < to; k++) if (this.invocationCode[k] !== first) return null;
    return this.programs.values[first];
  }

  /** Puts each instance's states in time order (ties by their submit sequence), in place. */
  private sortStates(): void {
    const { stateInstance: owner, stateTime: time, stateSeq: seq, stateCode: code } = this;
    for (let from = 0; from < this.stateCount; ) {
      let to = from + 1;
      while (to < this.stateCount && owner[to] === owner[from]) to++;
      for (let i = from + 1; i < to; i++) {
        const t = time[i];
        const q = seq[i];
        const c = code[i];
        let j = i - 1;
        while (j >= from && (time[j] > t || (time[j] === t && seq[j] > q))) {
          time[j + 1] = time[j];
          seq[j + 1] = seq[j];
          code[j + 1] = code[j];
          j--;
        }
        time[j + 1] = t;
        seq[j + 1] = q;
        code[j + 1] = c;
      }
      from = to;
    }
  }

  /** An integer column; NULL is NONE where allowed. */
  private integer(value: unknown, table: string, row: string, column: string, nullAllowed: boolean): number {
    if ((value === null || value === undefined) && nullAllowed) return NONE;
    if (typeof value === 'number' && Number.isInteger(value) && value > NONE && value <= 2147483647) return value;
    throw this.error(table, row, column, value);
  }

  private time(value: unknown, table: string, row: string, column: string): number {
    if (value === null || value === undefined) return NaN;
    const seconds = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
    if (!Number.isFinite(seconds)) throw this.error(table, row, column, value);
    return seconds;
  }

  private error(table: string, row: string, column: string, value: unknown): TraceError {
    return new TraceError(this.db.display, `table ${table}, ${row}: ${column} ${JSON.stringify(value)} is not what Pegasus writes there`);
  }
}

/** The rows [from, to) whose key is `key`, in a column sorted by key (binary search). */
function range(keys: Int32Array, count: number, key: number): [number, number] {
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid] < key) lo = mid + 1;
    else hi = mid;
  }
  let to = lo;
  while (to < count && keys[to] === key) to++;
  return [lo, to];
}

function nullable(value: number): number | null {
  return value === NONE ? null : value;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}
