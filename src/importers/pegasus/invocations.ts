/**
 * The kickstart invocations of a stampede database (each instance's own programs, not DAGMan's
 * scripts) and the earliest EXECUTE (the run's time zero): the two reads the Pegasus reader needs
 * before its first task that do not depend on the job and job_instance tables. For a large
 * database a second thread makes them while the reader reads job and job_instance (on two cores
 * the writing thread is idle until the first task, so what the reader does before it is the
 * ingest's critical path), and then reads and parses jobstate for the reader (state-stream.ts); a
 * small one reads them in place.
 */
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { inPages, type ForeignDatabase } from '../../store/foreign-sqlite.js';
import { Float64Column, Int32Column } from '../../util/number-column.js';
import { compiledWorkerFile, workerScript } from '../common/worker-file.js';
import type { TraceInput } from '../importer.js';
import { deserializeError, serializeError, type SerializedError } from '../common/worker-runs.js';
import { ReceivedStateChunks } from './state-stream.js';
import { int32, isFiniteNumber, isInt32, ordered, seconds } from './table-reads.js';

/** The invocations in the table's order: instance id, start, duration and program (an index into `names`). */
export interface InvocationColumns {
  instance: Int32Array;
  start: Float64Array;
  duration: Float64Array;
  name: Int32Array;
  names: string[];
}

/**
 * The invocations, read in the table's order (grouping them in SQLite would sort a million rows):
 * in pages by invocation_id, Pegasus' key, where the table has it (`rangeReads`, see Stampede).
 */
export function readInvocations(db: ForeignDatabase, rangeReads: boolean): InvocationColumns {
  const instanceColumn = new Int32Column();
  const startColumn = new Float64Column();
  const durationColumn = new Float64Column();
  const nameColumn = new Int32Column();
  const names: string[] = [];
  const nameIndex = new Map<string, number>();
  let lastName = '';
  let lastIndex = -1;
  const columns = ['job_instance_id', 'start_time', 'remote_duration', 'transformation'];
  const query = { atLeast: { task_submit_seq: 0 } };
  const keyed = db.columns('invocation').includes('invocation_id');
  const o = keyed ? 1 : 0;
  for (const page of keyed ? ordered(db, rangeReads, 'invocation', ['invocation_id', ...columns], query) : inPages(db.rows('invocation', columns, query))) {
    for (let r = 0; r < page.length; r++) {
      const row = page[r];
      const id = row[o];
      const begin = row[o + 1];
      const length = row[o + 2];
      const transformation = row[o + 3];
      // The checks inline, the row's name for an error made only for the error.
      const instance = isInt32(id) ? id : int32(db, id, 'invocation', 'a row of job_instance_id', JSON.stringify(id), 'job_instance_id', false);
      instanceColumn.push(instance);
      startColumn.push(isFiniteNumber(begin) ? begin : seconds(db, begin, 'invocation', `job_instance_id ${instance}`, 'start_time'));
      durationColumn.push(isFiniteNumber(length) ? length : seconds(db, length, 'invocation', `job_instance_id ${instance}`, 'remote_duration'));
      const name = typeof transformation === 'string' && transformation !== '' ? transformation : 'invocation';
      if (name !== lastName) {
        let index = nameIndex.get(name);
        if (index === undefined) nameIndex.set(name, (index = names.push(name) - 1));
        lastName = name;
        lastIndex = index;
      }
      nameColumn.push(lastIndex);
    }
  }
  return { instance: instanceColumn.toArray(), start: startColumn.toArray(), duration: durationColumn.toArray(), name: nameColumn.toArray(), names };
}

/** The earliest EXECUTE of any instance (the run's time zero before its first task), NaN when none. */
export function earliestExecute(db: ForeignDatabase): number {
  const first = db.minimum('jobstate', 'timestamp', { where: { state: 'EXECUTE' } });
  return typeof first === 'number' ? first : NaN;
}

/** Databases at least this big read their invocations in a second thread (a thread costs some 50 ms). */
const WORKER_MIN_BYTES = 64 * 1024 * 1024;

const WORKER_FILE = compiledWorkerFile(import.meta.url, 'importers/pegasus/invocation-worker.js');

/** A read of the worker: its result, or its error as the worker thread can send it. */
export type Outcome<T> = { value: T } | { error: SerializedError };

/** What the worker is given. */
export interface EarlyJob {
  input: TraceInput;
  /** Where it sends jobstate's rows, after the early reads (state-stream.ts). */
  states: MessagePort;
  /** [state chunks sent and not yet taken] */
  inFlight: SharedArrayBuffer;
}

/** What the worker sends back on its own port (its one message there). */
export interface EarlyReads {
  invocations: Outcome<InvocationColumns>;
  firstExecute: Outcome<number>;
}

/**
 * Starts reading the earliest EXECUTE and the invocations in a worker thread, then jobstate, or
 * null for a small database (or as ASYNCSCOPE_PARSE_WORKER says): read them in this thread then.
 * `states` takes jobstate's rows as the worker sends them (Stampede.readStatesFrom). `stop` ends
 * the worker (after the reads, or when reading stopped early).
 */
export function readEarlyInWorker(input: TraceInput, size: () => number): { done: Promise<EarlyReads>; states: ReceivedStateChunks; stop: () => void } | null {
  const script = workerScript(WORKER_FILE, size, WORKER_MIN_BYTES);
  if (script === null) return null;
  const channel = new MessageChannel();
  const inFlight = new SharedArrayBuffer(4);
  const job: EarlyJob = { input, states: channel.port2, inFlight };
  const worker = new Worker(script, { workerData: job, transferList: [channel.port2] });
  const done = new Promise<EarlyReads>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the invocation reader thread stopped (exit code ${code}) before the end of ${input.display}`)));
  });
  done.catch(() => {}); // awaited by the reader; its own errors (job, job_instance) come first
  const states = new ReceivedStateChunks(channel.port1, new Int32Array(inFlight), input.display);
  return {
    done,
    states,
    stop: () => {
      channel.port1.close();
      void worker.terminate();
    },
  };
}

/** Runs a read, keeping its error for the thread that reports it. */
export function outcome<T>(read: () => T): Outcome<T> {
  try {
    return { value: read() };
  } catch (error) {
    return { error: serializeError(error) };
  }
}

/** The value of a read, or its error thrown here. */
export function valueOf<T>(read: Outcome<T>): T {
  if ('value' in read) return read.value;
  throw deserializeError(read.error);
}
