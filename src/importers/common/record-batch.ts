/**
 * Tasks with their events and edges in batches, as they travel from a reader thread to the
 * thread that writes the database (worker-runs.ts). The same idea as the tabular importers'
 * batches (tabular/task-batch.ts), with events: numbers travel in typed arrays, which move between
 * threads without a copy, and the text that repeats (type, state, node, event names) as codes into
 * one dictionary that grows as new values appear.
 */
import type { Outcome } from '../../run/outcome.js';
import { TaskEvents, type RunRecorder, type TaskRecord } from './recorder.js';

/** Text columns of a task that travel as codes, in this order. */
const CODED = 6; // type, stage, pipeline, state, outcome, node
const NUMBERS = 4; // cores, gpus, start, end
/** Events of a task whose name and state codes are remembered by position (see `codeAt`). */
const EVENT_SLOTS = 32;

export interface RecordBatch {
  tasks: number;
  /** Index of the batch's first task in the run. */
  firstTask: number;
  uid: string[];
  name: (string | null)[];
  /** CODED codes per task, -1 for null. */
  codes: Int32Array;
  /** NUMBERS numbers per task. */
  numbers: Float64Array;
  /** Events of each task (they follow task by task, each task's in time order). */
  eventCount: Uint32Array;
  eventName: Int32Array;
  eventState: Int32Array;
  eventTime: Float64Array;
  events: number;
  /** Parent, child pairs (run task indexes). */
  edges: Int32Array;
  edgeCount: number;
  /** Dictionary entries new since the previous batch, in code order. */
  newEntries: string[];
  /** The run's earliest start, when the reader said it before this batch's tasks (RunRecorder.startsFrom); else NaN. */
  startsFrom: number;
}

export function transferables(batch: RecordBatch): ArrayBuffer[] {
  return [batch.codes, batch.numbers, batch.eventCount, batch.eventName, batch.eventState, batch.eventTime, batch.edges].map((a) => a.buffer as ArrayBuffer);
}

/** A recorder that fills batches and hands each full one to `emit`. */
export class RecordBatchBuilder implements RunRecorder {
  private readonly dictionary = new Map<string, number>();
  /**
   * The value last coded in each slot (the CODED task columns, then each of the first EVENT_SLOTS
   * events' name and state) and its code. Consecutive tasks mostly repeat them, often as the same
   * string: a comparison then saves a Map lookup, of which a Pegasus task made some 24 (10^6 tasks:
   * 0.7 of the reader thread's 8.7 CPU s).
   */
  private readonly recentValues: (string | null | undefined)[] = new Array<undefined>(CODED + 2 * EVENT_SLOTS).fill(undefined);
  private readonly recentCodes = new Int32Array(CODED + 2 * EVENT_SLOTS);
  private pendingEntries: string[] = [];
  private taskIndex = 0;
  private batch: RecordBatch;
  private eventCapacity: number;
  private edgeCapacity = 1024;

  constructor(
    private readonly size: number,
    private readonly emit: (batch: RecordBatch) => void,
  ) {
    this.eventCapacity = size * 8;
    this.batch = this.fresh();
  }

  startsFrom(time: number): void {
    if (this.batch.tasks === 0) this.batch.startsFrom = time;
  }

  addTask(task: TaskRecord, events: TaskEvents): number {
    if (this.batch.events + events.length > this.eventCapacity && this.batch.tasks > 0) this.flush();
    const b = this.batch;
    const i = b.tasks++;
    b.uid.push(task.uid);
    b.name.push(task.name);
    const c = i * CODED;
    b.codes[c] = this.codeAt(0, task.type);
    b.codes[c + 1] = this.codeAt(1, task.stage);
    b.codes[c + 2] = this.codeAt(2, task.pipeline);
    b.codes[c + 3] = this.codeAt(3, task.state);
    b.codes[c + 4] = this.codeAt(4, task.outcome);
    b.codes[c + 5] = this.codeAt(5, task.node);
    const n = i * NUMBERS;
    b.numbers[n] = task.cores;
    b.numbers[n + 1] = task.gpus;
    b.numbers[n + 2] = task.start;
    b.numbers[n + 3] = task.end;
    if (b.events + events.length > this.eventCapacity) this.growEvents(b.events + events.length);
    b.eventCount[i] = events.length;
    const order = events.inTimeOrder();
    for (let p = 0; p < order.length; p++) {
      const k = order[p];
      const e = b.events++;
      const slot = p < EVENT_SLOTS ? CODED + 2 * p : -1;
      b.eventName[e] = slot < 0 ? this.code(events.names[k]) : this.codeAt(slot, events.names[k]);
      b.eventState[e] = slot < 0 ? this.code(events.states[k]) : this.codeAt(slot + 1, events.states[k]);
      b.eventTime[e] = events.times[k];
    }
    const index = this.taskIndex++;
    if (b.tasks === this.size) this.flush();
    return index;
  }

  addEdge(parent: number, child: number): void {
    const b = this.batch;
    if (2 * (b.edgeCount + 1) > b.edges.length) {
      const grown = new Int32Array(b.edges.length * 2);
      grown.set(b.edges);
      b.edges = grown;
    }
    b.edges[2 * b.edgeCount] = parent;
    b.edges[2 * b.edgeCount + 1] = child;
    b.edgeCount++;
    if (b.edgeCount >= this.size * 4) this.flush();
  }

  /** Emits what was collected (if anything). */
  flush(): void {
    const full = this.batch;
    if (full.tasks === 0 && full.edgeCount === 0) return;
    full.newEntries = this.pendingEntries;
    this.pendingEntries = [];
    this.batch = this.fresh();
    this.emit(full);
  }

  /** `code(value)`, from the slot's memory when the slot last coded the same value. */
  private codeAt(slot: number, value: string | null): number {
    if (value === this.recentValues[slot]) return this.recentCodes[slot];
    const code = this.code(value);
    this.recentValues[slot] = value;
    this.recentCodes[slot] = code;
    return code;
  }

  private code(value: string | null): number {
    if (value === null) return -1;
    let code = this.dictionary.get(value);
    if (code === undefined) {
      code = this.dictionary.size;
      this.dictionary.set(value, code);
      this.pendingEntries.push(value);
    }
    return code;
  }

  private growEvents(needed: number): void {
    const b = this.batch;
    this.eventCapacity = Math.max(needed, this.eventCapacity * 2);
    const grow = <T extends Int32Array | Float64Array>(old: T, make: (n: number) => T): T => {
      const array = make(this.eventCapacity);
      array.set(old);
      return array;
    };
    b.eventName = grow(b.eventName, (n) => new Int32Array(n));
    b.eventState = grow(b.eventState, (n) => new Int32Array(n));
    b.eventTime = grow(b.eventTime, (n) => new Float64Array(n));
  }

  private fresh(): RecordBatch {
    return {
      tasks: 0,
      firstTask: this.taskIndex,
      uid: [],
      name: [],
      codes: new Int32Array(this.size * CODED),
      numbers: new Float64Array(this.size * NUMBERS),
      eventCount: new Uint32Array(this.size),
      eventName: new Int32Array(this.eventCapacity),
      eventState: new Int32Array(this.eventCapacity),
      eventTime: new Float64Array(this.eventCapacity),
      events: 0,
      edges: new Int32Array(this.edgeCapacity),
      edgeCount: 0,
      newEntries: [],
      startsFrom: NaN,
    };
  }
}

/** The receiving end: decodes batches (keeping the dictionary) into a recorder. */
export class RecordBatchReader {
  private readonly dictionary: string[] = [];
  private readonly events = new TaskEvents();
  private readonly task: TaskRecord = {
    uid: '', name: null, type: '', stage: null, pipeline: null, state: null, outcome: null, node: null, cores: NaN, gpus: NaN, start: NaN, end: NaN,
  };

  constructor(private readonly recorder: RunRecorder) {}

  read(batch: RecordBatch): void {
    const d = this.dictionary;
    for (const entry of batch.newEntries) d.push(entry);
    if (batch.startsFrom === batch.startsFrom) this.recorder.startsFrom?.(batch.startsFrom);
    const text = (code: number) => (code === -1 ? null : d[code]);
    const task = this.task;
    const events = this.events;
    let e = 0;
    for (let i = 0; i < batch.tasks; i++) {
      const c = i * CODED;
      const n = i * NUMBERS;
      task.uid = batch.uid[i];
      task.name = batch.name[i];
      task.type = d[batch.codes[c]];
      task.stage = text(batch.codes[c + 1]);
      task.pipeline = text(batch.codes[c + 2]);
      task.state = text(batch.codes[c + 3]);
      task.outcome = text(batch.codes[c + 4]) as Outcome | null;
      task.node = text(batch.codes[c + 5]);
      task.cores = batch.numbers[n];
      task.gpus = batch.numbers[n + 1];
      task.start = batch.numbers[n + 2];
      task.end = batch.numbers[n + 3];
      events.clear();
      for (const last = e + batch.eventCount[i]; e < last; e++) events.add(d[batch.eventName[e]], text(batch.eventState[e]), batch.eventTime[e]);
      const index = this.recorder.addTask(task, events);
      if (index !== batch.firstTask + i) throw new Error(`record batch: task ${batch.firstTask + i} arrived as ${index}`);
    }
    for (let k = 0; k < batch.edgeCount; k++) this.recorder.addEdge(batch.edges[2 * k], batch.edges[2 * k + 1]);
  }
}
