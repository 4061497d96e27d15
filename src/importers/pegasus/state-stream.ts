/**
 * Pegasus' largest table, jobstate (some seven rows per job), parsed into columns a chunk at a
 * time, in job_instance_id order, for the reader's merge with the job instances (stampede.ts).
 * Either read where the merge runs, a range of instances as each is needed (`RangeStateChunks`),
 * or by the invocation thread (invocation-worker.ts) once it has read the invocations: it reads
 * and parses the ranges while the reader turns the rows before them into tasks, and sends them
 * over a MessagePort (`sendStateChunks`, `ReceivedStateChunks`). At 10^6 jobs the reading and
 * parsing were half of the reader thread's 8.7 CPU s, and the reader thread was the ingest's
 * critical path while the invocation thread sat idle after its first 1.4 s.
 *
 * A chunk holds whole ranges of instances, in order, and the merge does not depend on where
 * chunks end; the two sides need not agree on the ranges either (each chooses its own, covering
 * every id from the lowest to the highest), so both read the same rows in the same order.
 */
import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { TraceError } from '../../errors.js';
import type { ForeignDatabase } from '../../store/foreign-sqlite.js';
import { serializeError, deserializeError, type SerializedError } from '../common/worker-runs.js';
import { StateRows, type BadStateRow, type StateColumns } from './jobstate-text.js';

/**
 * Job instances whose states are read from SQLite at once: some 7 rows each, about 20 kB of text.
 * Small on purpose: SQLite's buffer for the text, and the string V8 makes of it, then stay below
 * the sizes that each get memory of their own from the system (128 kB: glibc's mmap threshold and
 * V8's large objects). 10^6 instances: 2.4 CPU s in ranges of 64 or 128, 3.8 in ranges of 8192.
 */
export const INSTANCES_PER_RANGE = 64;

/** About the rows of INSTANCES_PER_RANGE instances (Pegasus writes some 7 states per instance). */
const ROWS_PER_RANGE = 7 * INSTANCES_PER_RANGE;

/** The columns jobstate is read by, after job_instance_id. */
export const STATE_COLUMNS = ['state', 'timestamp', 'jobstate_submit_seq'] as const;

/** Rows per chunk the invocation thread sends (about 4,700 instances, 0.9 MB of columns). */
const CHUNK_ROWS = 32768;

/**
 * Chunks sent and not yet taken, beyond which the sending thread waits (bounds the memory they
 * hold: 64 chunks, up to 60 MB). Enough to go on through the second or so the reader spends on
 * job and job_instance before it takes the first: with 8, the sending thread sat idle then.
 */
const MAX_IN_FLIGHT = 64;

/** No chunk for this long while the sending thread is said to be reading: it stopped (ran out of memory, ...). */
const STALL_MS = 120_000;

/** Rows, or the row the parser could not take (after the rows before it). */
export interface StateChunk extends StateColumns {
  bad: BadStateRow | null;
}

export interface StateChunks {
  /** The states by code (StateColumns.code), as far as the chunks given so far use them. */
  readonly names: readonly string[];
  /** The next chunk (the rows of the instances after the last chunk's), null after the last. */
  next(): StateChunk | null;
}

/** The text of jobstate's rows whose job_instance_id is in [from, to), null for no bound (ForeignDatabase.rangeText). */
export type RangeText = (from: number | null, to: number | null) => string;

/** jobstate read in this thread: a range of INSTANCES_PER_RANGE instances per chunk, by the instances' ids (in order). */
export class RangeStateChunks implements StateChunks {
  private readonly rows = new StateRows();
  private first = 0;
  private ended = false;

  constructor(
    private readonly text: RangeText,
    private readonly instanceIds: ArrayLike<number>,
    private readonly instanceCount: number,
  ) {}

  get names(): readonly string[] {
    return this.rows.names;
  }

  next(): StateChunk | null {
    if (this.ended) return null;
    const first = this.first;
    const last = Math.min(first + INSTANCES_PER_RANGE, this.instanceCount);
    // The first range takes every id below, the last every id above (stray rows are counted).
    const bad = this.rows.parse(this.text(first === 0 ? null : this.instanceIds[first], last >= this.instanceCount ? null : this.instanceIds[last]));
    this.first = last;
    this.ended = last >= this.instanceCount;
    const rows = this.rows;
    return { count: rows.count, instance: rows.instance, code: rows.code, time: rows.time, seq: rows.seq, bad };
  }
}

/** What the invocation thread sends on the states port. */
export type StateMessage =
  | { kind: 'unavailable' } // jobstate cannot be read in ranges (no index on job_instance_id, NULL ids): read it grouped
  | { kind: 'rows'; columns: StateColumns; names: string[]; bad: BadStateRow | null }
  | { kind: 'end' }
  | { kind: 'error'; error: SerializedError };

/**
 * Reads jobstate in ranges of ids and sends the parsed rows, CHUNK_ROWS or so at a time, ending
 * with `end`; or `unavailable`, or the error of a failed read. `send` may wait (the worker's flow
 * control). Stops after a bad row.
 *
 * The ranges are cut by the ids' values, not by job_instance's rows (cutting that table into
 * ranges of 64 took a window function 0.4 s at 10^6 instances): each range starts at the smallest
 * id left (one step through the index, so gaps cost nothing) and spans as many ids as gave about
 * ROWS_PER_RANGE rows in the range before, so that dense or sparse, ids give texts of some 20 kB.
 * Ids that are text (a damaged table) sort above every number: the last range takes them, and
 * the parser names the first.
 */
export function sendStateChunks(db: ForeignDatabase, send: (message: StateMessage, transfer: ArrayBuffer[]) => void, chunkRows = CHUNK_ROWS): void {
  try {
    const text = db.rangeText('jobstate', 'job_instance_id', STATE_COLUMNS);
    if (!text) {
      send({ kind: 'unavailable' }, []);
      return;
    }
    const smallestFrom = db.keyAtLeast('jobstate', 'job_instance_id');
    const rows = new StateRows(chunkRows + 4 * ROWS_PER_RANGE);
    let namesSent = 0;
    const flush = (bad: BadStateRow | null): void => {
      const names = rows.names.slice(namesSent);
      namesSent = rows.names.length;
      const columns = rows.take(chunkRows + 4 * ROWS_PER_RANGE);
      send({ kind: 'rows', columns, names, bad }, [columns.instance.buffer, columns.code.buffer, columns.time.buffer, columns.seq.buffer] as ArrayBuffer[]);
    };
    let from = -(2 ** 64); // below any number SQLite stores
    let span = INSTANCES_PER_RANGE;
    for (;;) {
      const first = smallestFrom(from);
      if (first === null || first === undefined) break;
      const bounded = typeof first === 'number' && first + span < 2 ** 53;
      const to = bounded ? first + span : null;
      const before = rows.count;
      const bad = rows.append(text(bounded ? first : from, to));
      if (bad) return flush(bad);
      const read = rows.count - before;
      if (rows.count >= chunkRows) flush(null);
      if (to === null) break;
      if (read < ROWS_PER_RANGE / 4) span *= 2;
      else if (read > ROWS_PER_RANGE * 4 && span > 1) span = Math.ceil(span / 2);
      from = to;
    }
    if (rows.count > 0) flush(null);
    send({ kind: 'end' }, []);
  } catch (error) {
    send({ kind: 'error', error: serializeError(error) }, []);
  }
}

/** The sending side's flow control: call after each message posted; waits while MAX_IN_FLIGHT are untaken. */
export function sentChunk(inFlight: Int32Array): void {
  Atomics.add(inFlight, 0, 1);
  Atomics.notify(inFlight, 0);
  for (let now = Atomics.load(inFlight, 0); now >= MAX_IN_FLIGHT; now = Atomics.load(inFlight, 0)) Atomics.wait(inFlight, 0, now, 1000);
}

/**
 * The chunks the invocation thread sends, taken from the port without the event loop
 * (receiveMessageOnPort): the reader's loop over the instances is synchronous.
 */
export class ReceivedStateChunks implements StateChunks {
  readonly names: string[] = [];
  private first: StateMessage | null = null;
  private ended = false;

  constructor(
    private readonly port: MessagePort,
    private readonly inFlight: Int32Array,
    private readonly display: string,
  ) {}

  /** Whether the other thread reads jobstate in ranges (else read it here, grouped). Waits for its first message. */
  available(): boolean {
    this.first ??= this.receive();
    if (this.first.kind !== 'unavailable') return true;
    this.ended = true;
    return false;
  }

  next(): StateChunk | null {
    if (this.ended) return null;
    const message = this.first ?? this.receive();
    this.first = null;
    if (message.kind === 'rows') {
      for (const name of message.names) this.names.push(name);
      if (message.bad) this.ended = true;
      return { ...message.columns, bad: message.bad };
    }
    this.ended = true;
    if (message.kind === 'error') throw deserializeError(message.error);
    if (message.kind === 'unavailable') throw new Error('ReceivedStateChunks.next after the other thread found jobstate unavailable in ranges');
    return null;
  }

  private receive(): StateMessage {
    let waited = 0;
    for (;;) {
      const received = receiveMessageOnPort(this.port);
      if (received) {
        Atomics.sub(this.inFlight, 0, 1);
        Atomics.notify(this.inFlight, 0);
        return received.message as StateMessage;
      }
      if (waited >= STALL_MS) throw new TraceError(this.display, `the thread reading table jobstate stopped sending rows (nothing for ${STALL_MS / 1000} s)`);
      const start = Date.now();
      Atomics.wait(this.inFlight, 0, 0, 100);
      waited += Date.now() - start;
    }
  }
}
