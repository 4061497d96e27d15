/**
 * A stampede database read into memory, table by table, in compact columns: the jobs of every
 * workflow, their instances (one per submission: retries are further instances), the instances'
 * states and kickstart invocations, the DAG, hosts and workflows. Jobs are then written in job
 * order with everything about them, which the tables' own orders (states by instance, instances
 * by submission) do not give row by row.
 */
import { TraceError } from '../../errors.js';
import type { ForeignDatabase } from '../../store/foreign-sqlite.js';

export interface Workflow {
  id: number;
  uuid: string;
  dagFile: string | null;
  label: string | null;
  parent: number | null;
  /** Status of its last WORKFLOW_TERMINATED (0 success), null when it never terminated. */
  terminated: number | null;
}

/** Rows of one table for one instance: [from, to) in the table's columns. */
type Ranges = Map<number, number>;

export class Stampede {
  readonly workflows = new Map<number, Workflow>();
  readonly hosts = new Map<number, string>();
  // job: in job_id order
  readonly jobId: number[] = [];
  readonly jobWf: number[] = [];
  readonly jobName: string[] = [];
  readonly jobTypeDesc: (string | null)[] = [];
  /** The one transformation of a job's tasks (null: several); absent: no task rows. */
  readonly transformation = new Map<number, string | null>();
  // job_instance: grouped by job, in submission order
  readonly instanceId: number[] = [];
  readonly instanceJob: number[] = [];
  readonly instanceHost: (number | null)[] = [];
  readonly instanceSeq: number[] = [];
  readonly instanceSubwf: (number | null)[] = [];
  readonly instanceExit: (number | null)[] = [];
  /** First instance row of each job (by job_id); a job without instances is absent. */
  readonly instancesOf = new Map<number, number>();
  // jobstate: by instance, in time order
  readonly stateName: string[] = [];
  readonly stateTime: number[] = [];
  private readonly stateInstance: number[] = [];
  private readonly statesOf: Ranges = new Map();
  // invocation (the job's own tasks, not DAGMan's pre and post scripts): by instance
  readonly invocationStart: number[] = [];
  readonly invocationDuration: number[] = [];
  readonly invocationName: string[] = [];
  private readonly invocationInstance: number[] = [];
  private readonly invocationsOf: Ranges = new Map();
  /** Edges by workflow, as job names. */
  readonly edges = new Map<number, [string, string][]>();

  constructor(private readonly db: ForeignDatabase) {
    const names = new Map<string, string>(); // one copy of each repeated string
    const intern = (text: string): string => {
      const known = names.get(text);
      if (known !== undefined) return known;
      names.set(text, text);
      return text;
    };

    for (const [id, uuid, dagFile, label, parent] of db.rows('workflow', ['wf_id', 'wf_uuid', 'dag_file_name', 'dax_label', 'parent_wf_id'], { orderBy: ['wf_id'] })) {
      const wf = this.integer(id, 'workflow', `wf_id ${String(id)}`, 'wf_id')!;
      this.workflows.set(wf, {
        id: wf,
        uuid: typeof uuid === 'string' ? uuid : String(uuid),
        dagFile: text(dagFile),
        label: text(label),
        parent: this.integer(parent, 'workflow', `wf_id ${wf}`, 'parent_wf_id'),
        terminated: null,
      });
    }
    for (const [id, state, , status] of db.rows('workflowstate', ['wf_id', 'state', 'timestamp', 'status'], { orderBy: ['wf_id', 'timestamp'] })) {
      const wf = this.workflows.get(id as number);
      if (wf && state === 'WORKFLOW_TERMINATED') wf.terminated = typeof status === 'number' ? status : 1;
    }
    for (const [id, hostname] of db.rows('host', ['host_id', 'hostname'])) {
      if (typeof id === 'number' && typeof hostname === 'string') this.hosts.set(id, intern(hostname));
    }
    for (const [id, wf, name, typeDesc] of db.rows('job', ['job_id', 'wf_id', 'exec_job_id', 'type_desc'], { orderBy: ['job_id'] })) {
      const job = this.integer(id, 'job', `job_id ${String(id)}`, 'job_id')!;
      if (typeof name !== 'string' || name === '') throw this.error('job', `job_id ${job}`, 'exec_job_id', name);
      this.jobId.push(job);
      this.jobWf.push(this.integer(wf, 'job', `job_id ${job}`, 'wf_id')!);
      this.jobName.push(name);
      this.jobTypeDesc.push(typeof typeDesc === 'string' ? intern(typeDesc) : null);
    }
    for (const [job, transformation] of db.rows('task', ['job_id', 'transformation'], { orderBy: ['job_id'] })) {
      if (typeof job !== 'number' || typeof transformation !== 'string') continue;
      const known = this.transformation.get(job);
      if (known === undefined) this.transformation.set(job, intern(transformation));
      else if (known !== transformation) this.transformation.set(job, null);
    }
    for (const [id, job, host, seq, subwf, exitcode] of db.rows(
      'job_instance',
      ['job_instance_id', 'job_id', 'host_id', 'job_submit_seq', 'subwf_id', 'exitcode'],
      { orderBy: ['job_id', 'job_submit_seq'] },
    )) {
      const instance = this.integer(id, 'job_instance', `job_instance_id ${String(id)}`, 'job_instance_id')!;
      const row = `job_instance_id ${instance}`;
      const jobId = this.integer(job, 'job_instance', row, 'job_id')!;
      if (!this.instancesOf.has(jobId)) this.instancesOf.set(jobId, this.instanceId.length);
      this.instanceId.push(instance);
      this.instanceJob.push(jobId);
      this.instanceHost.push(this.integer(host, 'job_instance', row, 'host_id'));
      this.instanceSeq.push(this.integer(seq, 'job_instance', row, 'job_submit_seq') ?? 0);
      this.instanceSubwf.push(this.integer(subwf, 'job_instance', row, 'subwf_id'));
      this.instanceExit.push(this.integer(exitcode, 'job_instance', row, 'exitcode'));
    }
    for (const [id, state, timestamp] of db.rows('jobstate', ['job_instance_id', 'state', 'timestamp', 'jobstate_submit_seq'], {
      orderBy: ['job_instance_id', 'timestamp', 'jobstate_submit_seq'],
    })) {
      const instance = id as number;
      if (typeof state !== 'string') throw this.error('jobstate', `job_instance_id ${String(id)}`, 'state', state);
      const time = this.time(timestamp, 'jobstate', `job_instance_id ${String(id)}, state ${state}`, 'timestamp');
      if (!this.statesOf.has(instance)) this.statesOf.set(instance, this.stateName.length);
      this.stateInstance.push(instance);
      this.stateName.push(intern(state));
      this.stateTime.push(time);
    }
    for (const [id, , start, duration, transformation] of db.rows(
      'invocation',
      ['job_instance_id', 'task_submit_seq', 'start_time', 'remote_duration', 'transformation'],
      { atLeast: { task_submit_seq: 0 }, orderBy: ['job_instance_id', 'task_submit_seq'] },
    )) {
      const instance = id as number;
      const row = `job_instance_id ${String(id)}`;
      if (!this.invocationsOf.has(instance)) this.invocationsOf.set(instance, this.invocationStart.length);
      this.invocationInstance.push(instance);
      this.invocationStart.push(this.time(start, 'invocation', row, 'start_time'));
      this.invocationDuration.push(this.time(duration, 'invocation', row, 'remote_duration'));
      this.invocationName.push(typeof transformation === 'string' ? intern(transformation) : 'invocation');
    }
    for (const [wf, parent, child] of db.rows('job_edge', ['wf_id', 'parent_exec_job_id', 'child_exec_job_id'])) {
      if (typeof wf !== 'number' || typeof parent !== 'string' || typeof child !== 'string') continue;
      let list = this.edges.get(wf);
      if (!list) this.edges.set(wf, (list = []));
      list.push([parent, child]);
    }
  }

  /** Instance rows [from, to) of the job with this job_id. */
  instances(job: number): [number, number] {
    const from = this.instancesOf.get(job);
    if (from === undefined) return [0, 0];
    let to = from;
    while (to < this.instanceJob.length && this.instanceJob[to] === job) to++;
    return [from, to];
  }

  /** State rows [from, to) of an instance, in time order. */
  states(instance: number): [number, number] {
    return range(this.statesOf, this.stateInstance, instance);
  }

  /** Invocation rows [from, to) of an instance. */
  invocations(instance: number): [number, number] {
    return range(this.invocationsOf, this.invocationInstance, instance);
  }

  private integer(value: unknown, table: string, row: string, column: string): number | null {
    if (value === null || value === undefined) return null;
    if (typeof value === 'number' && Number.isInteger(value)) return value;
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

function range(starts: Ranges, owners: readonly number[], key: number): [number, number] {
  const from = starts.get(key);
  if (from === undefined) return [0, 0];
  let to = from;
  while (to < owners.length && owners[to] === key) to++;
  return [from, to];
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}
