/**
 * A stampede database as the Pegasus importer walks it. The small tables (workflows, hosts, jobs,
 * job instances, their kickstart invocations) are held in compact columns; the largest (the
 * instances' states: some seven rows per job) is streamed, parsed a chunk at a time (here, or by
 * another thread: state-stream.ts), beside the instances in their id order (a merge join), so that
 * the jobs can go to the store while the database is still being read. A job is written when its last instance comes, which puts the tasks in the
 * order of their last submission.
 */
import { TraceError } from '../../errors.js';
import { GROUP_SEPARATORS, type ForeignDatabase } from '../../store/foreign-sqlite.js';
import { Int32Column } from '../../util/number-column.js';
import type { InvocationColumns } from './invocations.js';
import type { BadStateRow } from './jobstate-text.js';
import { RangeStateChunks, STATE_COLUMNS, type ReceivedStateChunks, type StateChunk, type StateChunks } from './state-stream.js';
import { fieldError, int32, NONE, ordered, seconds } from './table-reads.js';

export { NONE };

export interface Workflow {
  id: number;
  uuid: string;
  dagFile: string | null;
  label: string | null;
  parent: number | null;
  /** Status of its last WORKFLOW_TERMINATED (0 success), null when it never terminated. */
  terminated: number | null;
}

/**
 * The states of one instance, in time order (ties by their submit sequence), in `names` and
 * `times` up to `length`. Reused: the arrays keep their size (see TaskEvents).
 */
export class InstanceStates {
  names: string[] = [];
  times: number[] = [];
  private seqs: number[] = [];
  private count = 0;

  get length(): number {
    return this.count;
  }

  clear(): void {
    this.count = 0;
  }

  /** Inserts a state in time order (an instance has a handful). */
  add(name: string, time: number, seq: number): void {
    let i = this.count++;
    while (i > 0 && (this.times[i - 1] > time || (this.times[i - 1] === time && this.seqs[i - 1] > seq))) {
      this.names[i] = this.names[i - 1];
      this.times[i] = this.times[i - 1];
      this.seqs[i] = this.seqs[i - 1];
      i--;
    }
    this.names[i] = name;
    this.times[i] = time;
    this.seqs[i] = seq;
  }
}

/**
 * The kickstart invocations of one instance (its own programs, not DAGMan's scripts), in
 * `starts`, `durations` and `names` up to `length`. Reused: the arrays keep their size.
 */
export class Invocations {
  starts: number[] = [];
  durations: number[] = [];
  names: string[] = [];
  private count = 0;

  get length(): number {
    return this.count;
  }

  clear(): void {
    this.count = 0;
  }

  add(start: number, duration: number, name: string): void {
    const n = this.count++;
    this.starts[n] = start;
    this.durations[n] = duration;
    this.names[n] = name;
  }

  /** The one program they ran; null for none, or several (a clustered job). */
  program(): string | null {
    if (this.count === 0) return null;
    for (let k = 1; k < this.count; k++) if (this.names[k] !== this.names[0]) return null;
    return this.names[0];
  }
}

/** One copy of each distinct string (states, transformations, type descriptions, hosts). */
class Strings {
  private readonly known = new Map<string, string>();
  private last = '';

  of(value: string): string {
    if (value === this.last) return this.last;
    let known = this.known.get(value);
    if (known === undefined) this.known.set(value, (known = value));
    this.last = known;
    return known;
  }
}

export class Stampede {
  readonly workflows = new Map<number, Workflow>();
  readonly hosts = new Map<number, string>();
  // job, in job_id order (names are unique: an array of text)
  readonly jobId: Int32Array;
  readonly jobWf: Int32Array;
  readonly jobName: string[] = [];
  readonly jobTypeDesc: (string | null)[] = [];
  /** Row of the job's last instance (highest job_submit_seq), -1 for a job never submitted. */
  readonly lastInstance: Int32Array;
  // job_instance, in job_instance_id order
  readonly instanceId: Int32Array;
  /** Position of the instance's job in the job columns, -1 when the job table lacks it. */
  readonly instanceJob: Int32Array;
  readonly instanceHost: Int32Array;
  readonly instanceSeq: Int32Array;
  readonly instanceSubwf: Int32Array;
  readonly instanceExit: Int32Array;
  readonly instanceCount: number;
  /** Rows of jobstate and invocation naming instances the job_instance table lacks. */
  strayRows = 0;
  private readonly strings = new Strings();
  // invocation: its own programs of each instance (not DAGMan's scripts), by instance row
  private invocationFirst = new Int32Array(0);
  private invocationStart = new Float64Array(0);
  private invocationDuration = new Float64Array(0);
  private invocationName: string[] = [];
  /** jobstate as another thread reads it (readStatesFrom), else null: read here. */
  private stateStream: ReceivedStateChunks | null = null;

  /**
   * `rangeReads` false reads jobstate grouped by instance, and job, job_instance and invocation row
   * by row, even where SQLite could give them in ranges and pages (tests compare the two).
   * The invocations are the caller's to read (invocations.ts: in another thread for a large
   * database) and to give to `loadInvocations` before reading any instance.
   */
  constructor(
    private readonly db: ForeignDatabase,
    private readonly rangeReads = true,
  ) {
    for (const [id, uuid, dagFile, label, parent] of db.rows('workflow', ['wf_id', 'wf_uuid', 'dag_file_name', 'dax_label', 'parent_wf_id'], { orderBy: ['wf_id'] })) {
      const wf = this.integer(id, 'workflow', 'wf_id', id, 'wf_id', false);
      this.workflows.set(wf, {
        id: wf,
        uuid: typeof uuid === 'string' ? uuid : String(uuid),
        dagFile: text(dagFile),
        label: text(label),
        parent: nullable(this.integer(parent, 'workflow', 'wf_id', wf, 'parent_wf_id', true)),
        terminated: null,
      });
    }
    for (const [id, state, , status] of db.rows('workflowstate', ['wf_id', 'state', 'timestamp', 'status'], { orderBy: ['wf_id', 'timestamp'] })) {
      const wf = this.workflows.get(id as number);
      if (wf && state === 'WORKFLOW_TERMINATED') wf.terminated = typeof status === 'number' ? status : 1;
    }
    for (const [id, hostname] of db.rows('host', ['host_id', 'hostname'])) {
      if (typeof id === 'number' && typeof hostname === 'string') this.hosts.set(id, this.strings.of(hostname));
    }

    // Counted as read (a COUNT(*) first was a scan of its own: 2 s of 10^6 jobs, instances and invocations).
    const jobIds = new Int32Column();
    const jobWfs = new Int32Column();
    // A job's name is its task's uid and what job_edge names it by: Pegasus keeps it unique within
    // a workflow (UNIQUE_JOB). Only a table without that key (hand-made, damaged) is checked here.
    const firstJobOf = db.isUnique('job', 'exec_job_id', ['wf_id']) ? null : new Map<string, number>();
    for (const page of ordered(this.db, this.rangeReads, 'job', ['job_id', 'wf_id', 'exec_job_id', 'type_desc'])) {
      for (let r = 0; r < page.length; r++) {
        const row = page[r];
        const id = row[0];
        const wf = row[1];
        const name = row[2];
        const typeDesc = row[3];
        const job = this.integer(id, 'job', 'job_id', id, 'job_id', false);
        if (typeof name !== 'string' || name === '') throw this.error('job', `job_id ${job}`, 'exec_job_id', name);
        const workflow = this.integer(wf, 'job', 'job_id', job, 'wf_id', false);
        if (firstJobOf) {
          const first = firstJobOf.get(`${workflow}\0${name}`);
          if (first !== undefined) {
            throw new TraceError(db.display, `table job, job_id ${job}: exec_job_id ${JSON.stringify(name)} repeats that of job_id ${first} in workflow wf_id ${workflow} (a job name is unique within its workflow; this table lacks Pegasus' UNIQUE (wf_id, exec_job_id))`);
          }
          firstJobOf.set(`${workflow}\0${name}`, job);
        }
        jobIds.push(job);
        jobWfs.push(workflow);
        this.jobName.push(name);
        this.jobTypeDesc.push(typeof typeDesc === 'string' ? this.strings.of(typeDesc) : null);
      }
    }
    this.jobId = jobIds.toArray();
    this.jobWf = jobWfs.toArray();

    const columns = Array.from({ length: 6 }, () => new Int32Column()); // id, job position, host, seq, subwf, exit code
    const [ids, positions, hosts, seqs, subwfs, exits] = columns;
    this.lastInstance = new Int32Array(this.jobId.length).fill(-1);
    let i = 0;
    for (const page of ordered(this.db, this.rangeReads, 'job_instance', ['job_instance_id', 'job_id', 'host_id', 'job_submit_seq', 'subwf_id', 'exitcode'])) {
      for (let r = 0; r < page.length; r++) {
        const row = page[r];
        const id = row[0];
        const job = row[1];
        const host = row[2];
        const seq = row[3];
        const subwf = row[4];
        const exitcode = row[5];
        const instance = this.integer(id, 'job_instance', 'job_instance_id', id, 'job_instance_id', false);
        const position = this.jobPosition(this.integer(job, 'job_instance', 'job_instance_id', instance, 'job_id', false));
        const submitSeq = this.integer(seq, 'job_instance', 'job_instance_id', instance, 'job_submit_seq', true);
        ids.push(instance);
        positions.push(position);
        hosts.push(this.integer(host, 'job_instance', 'job_instance_id', instance, 'host_id', true));
        seqs.push(submitSeq === NONE ? 0 : submitSeq);
        subwfs.push(this.integer(subwf, 'job_instance', 'job_instance_id', instance, 'subwf_id', true));
        exits.push(this.integer(exitcode, 'job_instance', 'job_instance_id', instance, 'exitcode', true));
        if (position >= 0) {
          const last = this.lastInstance[position];
          if (last < 0 || seqs.at(last) <= seqs.at(i)) this.lastInstance[position] = i;
        }
        i++;
      }
    }
    [this.instanceId, this.instanceJob, this.instanceHost, this.instanceSeq, this.instanceSubwf, this.instanceExit] = columns.map((column) => column.toArray());
    this.instanceCount = i;
  }

  /**
   * jobstate is read by another thread, which sends it in chunks (state-stream.ts): forEachInstance
   * takes them instead of reading the table here (unless that thread finds it cannot read jobstate
   * in ranges).
   */
  readStatesFrom(stream: ReceivedStateChunks): void {
    this.stateStream = stream;
  }

  /**
   * Visits every instance in id order with its states (in time order) and invocations. The states
   * come from jobstate in ranges of instances, one string per range, when SQLite reads jobstate
   * by an index on job_instance_id (Pegasus' primary key), here or in another thread
   * (readStatesFrom); else grouped by instance (ForeignDatabase.groups). Each gives the same states
   * in the same order.
   */
  forEachInstance(visit: (row: number, states: InstanceStates, invocations: Invocations) => void): void {
    if (this.invocationFirst.length !== this.instanceCount + 1) throw new Error('Stampede.forEachInstance before loadInvocations');
    let chunks: StateChunks | null = this.stateStream?.available() ? this.stateStream : null;
    if (!chunks && this.rangeReads) {
      const text = this.db.rangeText('jobstate', 'job_instance_id', STATE_COLUMNS);
      if (text) chunks = new RangeStateChunks(text, this.instanceId, this.instanceCount);
    }
    if (chunks) this.forEachInstanceInChunks(chunks, visit);
    else this.forEachInstanceByGroups(visit);
  }

  /** The merge of the instances (in id order) with jobstate's rows (in id order too), chunk after chunk. */
  private forEachInstanceInChunks(chunks: StateChunks, visit: (row: number, states: InstanceStates, invocations: Invocations) => void): void {
    const states = new InstanceStates();
    const invocations = new Invocations();
    const names = chunks.names;
    let rows = this.nextChunk(chunks);
    let k = 0;
    let stray = NaN; // the last stray instance counted: each is counted once, as the grouped path does
    for (let row = 0; row < this.instanceCount; row++) {
      const instance = this.instanceId[row];
      states.clear();
      invocations.clear();
      // Rows come in id order: those below this instance are strays (in no job_instance row).
      for (;;) {
        if (rows !== null && k === rows.count) {
          rows = this.nextChunk(chunks);
          k = 0;
          continue;
        }
        const id = rows === null ? Infinity : rows.instance[k];
        if (id > instance) break;
        if (id === instance) {
          states.add(names[rows!.code[k]], rows!.time[k], rows!.seq[k]);
        } else {
          if (id !== stray) this.strayRows++;
          stray = id;
        }
        k++;
      }
      this.addInvocations(row, invocations);
      visit(row, states, invocations);
    }
    for (; rows !== null; rows = this.nextChunk(chunks), k = 0) {
      for (; k < rows.count; k++) {
        if (rows.instance[k] !== stray) this.strayRows++;
        stray = rows.instance[k];
      }
    }
  }

  /** The next chunk of states; the error of its bad row, if it has one. */
  private nextChunk(chunks: StateChunks): StateChunk | null {
    const chunk = chunks.next();
    if (chunk?.bad) throw this.badStateRow(chunk.bad);
    return chunk;
  }

  private forEachInstanceByGroups(visit: (row: number, states: InstanceStates, invocations: Invocations) => void): void {
    const states = new InstanceStates();
    const invocations = new Invocations();
    const stateGroups = this.db.groups('jobstate', 'job_instance_id', ['state', 'timestamp', 'jobstate_submit_seq']);
    const key = (table: string, group: IteratorResult<[unknown, string]>): number => {
      if (group.done) return Infinity;
      const id = group.value[0];
      if (typeof id !== 'number' || !Number.isInteger(id)) throw this.error(table, `a row of job_instance_id ${JSON.stringify(id)}`, 'job_instance_id', id);
      return id;
    };
    let nextState = stateGroups.next();
    for (let row = 0; row < this.instanceCount; row++) {
      const instance = this.instanceId[row];
      states.clear();
      invocations.clear();
      while (key('jobstate', nextState) < instance) {
        this.strayRows++;
        nextState = stateGroups.next();
      }
      if (key('jobstate', nextState) === instance) {
        this.parseStates(instance, (nextState.value as [unknown, string])[1], states);
        nextState = stateGroups.next();
      }
      this.addInvocations(row, invocations);
      visit(row, states, invocations);
    }
    for (; !nextState.done; nextState = stateGroups.next()) this.strayRows++;
  }

  private addInvocations(row: number, invocations: Invocations): void {
    for (let k = this.invocationFirst[row]; k < this.invocationFirst[row + 1]; k++) {
      invocations.add(this.invocationStart[k], this.invocationDuration[k], this.invocationName[k]);
    }
  }

  /** The error for a jobstate row the range parser could not take, worded as the grouped path words it. */
  private badStateRow(bad: BadStateRow): TraceError {
    const where = `job_instance_id ${String(bad.instance)}`;
    if (bad.column === 'job_instance_id') return this.error('jobstate', `a row of job_instance_id ${JSON.stringify(bad.value)}`, 'job_instance_id', bad.value);
    if (bad.column === 'state') return this.error('jobstate', where, 'state', null);
    if (bad.column === 'timestamp') return this.error('jobstate', `${where}, state ${bad.state}`, 'timestamp', bad.value);
    return new TraceError(this.db.display, `table jobstate, ${where}: a row holds the characters that separate rows and columns (U+001E, U+001F): ${JSON.stringify(bad.value)}`);
  }

  /** The edges of a workflow's DAG, as job names, streamed. */
  *edges(): Generator<[number, string, string]> {
    for (const [wf, parent, child] of this.db.rows('job_edge', ['wf_id', 'parent_exec_job_id', 'child_exec_job_id'])) {
      if (typeof wf === 'number' && typeof parent === 'string' && typeof child === 'string') yield [wf, parent, child];
    }
  }

  /** Whether the database has any DAG edge (to know whether job names must be kept for them). */
  hasEdges(): boolean {
    return this.db.count('job_edge') > 0;
  }

  private parseStates(instance: number, text: string, into: InstanceStates): void {
    for (const row of text.split(GROUP_SEPARATORS.row)) {
      const [state, timestamp, seq] = row.split(GROUP_SEPARATORS.part);
      if (!state) throw this.error('jobstate', `job_instance_id ${instance}`, 'state', null);
      const time = this.time(timestamp === '' ? null : timestamp, 'jobstate', `job_instance_id ${instance}, state ${state}`, 'timestamp');
      into.add(this.strings.of(state), time, seq ? Number(seq) : 0);
    }
  }

  /**
   * Takes the invocations (invocations.ts), bucketed by instance row: once, before forEachInstance.
   */
  loadInvocations(columns: InvocationColumns): void {
    // Invocations come in invocation_id order, which Pegasus gives in the order of the instances
    // mostly: the row after the last one found is tried before a binary search.
    const rowOf = new Int32Array(columns.instance.length);
    let guess = 0;
    for (let k = 0; k < rowOf.length; k++) {
      const instance = columns.instance[k];
      const row = this.instanceId[guess] === instance ? guess : this.instanceId[guess + 1] === instance ? guess + 1 : this.instanceRow(instance);
      rowOf[k] = row;
      if (row >= 0) guess = row;
    }
    const { start, duration } = columns;
    const name = columns.names;
    const n = rowOf.length;
    // Counting sort by instance row.
    const first = new Int32Array(this.instanceCount + 1);
    for (let k = 0; k < n; k++) {
      if (rowOf[k] < 0) this.strayRows++;
      else first[rowOf[k] + 1]++;
    }
    for (let r = 0; r < this.instanceCount; r++) first[r + 1] += first[r];
    const fill = first.slice(0, this.instanceCount);
    const total = first[this.instanceCount];
    this.invocationStart = new Float64Array(total);
    this.invocationDuration = new Float64Array(total);
    this.invocationName = new Array<string>(total);
    for (let k = 0; k < n; k++) {
      const r = rowOf[k];
      if (r < 0) continue;
      const at = fill[r]++;
      this.invocationStart[at] = start[k];
      this.invocationDuration[at] = duration[k];
      this.invocationName[at] = name[columns.name[k]];
    }
    this.invocationFirst = first;
  }

  /** Row of an instance id (binary search: instances are in id order), -1 when absent. */
  private instanceRow(instance: number): number {
    let lo = 0;
    let hi = this.instanceCount;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.instanceId[mid] < instance) lo = mid + 1;
      else hi = mid;
    }
    return lo < this.instanceCount && this.instanceId[lo] === instance ? lo : -1;
  }

  /** Position of a job_id in the job columns (binary search: they are in job_id order), -1 when absent. */
  private jobPosition(job: number): number {
    let lo = 0;
    let hi = this.jobId.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.jobId[mid] < job) lo = mid + 1;
      else hi = mid;
    }
    return lo < this.jobId.length && this.jobId[lo] === job ? lo : -1;
  }

  private integer(value: unknown, table: string, key: string, id: unknown, column: string, nullAllowed: boolean): number {
    return int32(this.db, value, table, key, id, column, nullAllowed);
  }

  private time(value: unknown, table: string, row: string, column: string): number {
    return seconds(this.db, value, table, row, column);
  }

  private error(table: string, row: string, column: string, value: unknown): TraceError {
    return fieldError(this.db, table, row, column, value);
  }
}

function nullable(value: number): number | null {
  return value === NONE ? null : value;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}
