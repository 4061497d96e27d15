/**
 * How the HPC importers (sacct, Parsl, Pegasus) hand on what they read: one task at a time with
 * all its events, to memory (a run read whole) or straight to the store's run writer (a run
 * streamed). The events of a task arrive in whatever order the trace gives them; the recorder
 * puts them in time order, ties kept in the order given (so `submit`, `start` and `end` of the
 * same second stay in lifecycle order), because the store wants them grouped by task and in time
 * order within a task.
 */
import crypto from 'node:crypto';
import { EdgeTable } from '../../run/edge-table.js';
import { EventTable } from '../../run/event-table.js';
import { TaskTable } from '../../run/task-table.js';
import type { Outcome } from '../../run/outcome.js';
import type { RunWrite } from '../../store/store.js';


/** A task as the HPC importers describe it. Times in the trace's absolute seconds; NaN unknown. */
export interface TaskRecord {
  uid: string;
  name: string | null;
  type: string;
  stage: string | null;
  pipeline: string | null;
  /** The system's own final state, verbatim (`CANCELLED by 0`, `exec_done`, `POST_SCRIPT_FAILED`). */
  state: string | null;
  /** What became of it in asyncscope's vocabulary (run/outcome.ts); null: unknown. */
  outcome: Outcome | null;
  node: string | null;
  cores: number;
  gpus: number;
  start: number;
  end: number;
}

/**
 * The events of one task, gathered before the task is written. Reused from task to task: the
 * arrays keep their size and hold the events up to `length` (truncating three arrays per task,
 * `length = 0`, is a call into V8's runtime each, and then they grow again: at 10^6 Pegasus jobs
 * that was a tenth of the reader thread's work).
 */
export class TaskEvents {
  readonly names: string[] = [];
  readonly states: (string | null)[] = [];
  readonly times: number[] = [];
  private count = 0;
  private order: number[] = [];

  /** How many events there are: `names`, `states` and `times` hold them up to here. */
  get length(): number {
    return this.count;
  }

  /** Adds an event; an unknown time (NaN) adds nothing. */
  add(name: string, state: string | null, time: number): void {
    if (time !== time) return;
    const n = this.count++;
    this.names[n] = name;
    this.states[n] = state;
    this.times[n] = time;
  }

  clear(): void {
    this.count = 0;
  }

  /** Indexes of the events in time order, ties in the order they were added. */
  inTimeOrder(): readonly number[] {
    const order = this.order;
    const n = this.count;
    if (order.length !== n) order.length = n;
    for (let i = 0; i < n; i++) order[i] = i;
    const times = this.times;
    // Insertion sort: a task has a handful of events, mostly added in order already.
    for (let i = 1; i < n; i++) {
      const k = order[i];
      let j = i - 1;
      while (j >= 0 && times[order[j]] > times[k]) {
        order[j + 1] = order[j];
        j--;
      }
      order[j + 1] = k;
    }
    return order;
  }
}

export interface RunRecorder {
  /**
   * Optional, before the first task: the earliest start of the run, or of its first tasks. The
   * store's run writer takes it as time zero of what it writes; a later, earlier start makes it
   * shift every stored time at the end (store/run-writer.ts), which at a million tasks costs more
   * than reading them.
   */
  startsFrom?(time: number): void;
  /** Records a task with its events (copied: the caller may reuse both); returns the task's index. */
  addTask(task: TaskRecord, events: TaskEvents): number;
  /** A dependency between two recorded tasks: the parent must end before the child starts. */
  addEdge(parent: number, child: number): void;
}

/** What a run being written offers (the store's RunWrite), and what a recorder writes into. */
export type TaskEventSink = Pick<RunWrite, 'pushValues' | 'addEvent' | 'addEdge'> & Partial<Pick<RunWrite, 'startsFrom'>>;

/** Writes tasks, events and edges into a sink as they come (the run writer, or memory). */
export class SinkRecorder implements RunRecorder {
  constructor(private readonly sink: TaskEventSink) {}

  startsFrom(time: number): void {
    this.sink.startsFrom?.(time);
  }

  addTask(task: TaskRecord, events: TaskEvents): number {
    const index = this.sink.pushValues(task.uid, task.name, task.type, task.stage, task.pipeline, task.state, task.outcome, task.node, task.cores, task.gpus, task.start, task.end, NaN, NaN, null, null);
    for (const k of events.inTimeOrder()) this.sink.addEvent(index, events.names[k], events.states[k], events.times[k]);
    return index;
  }

  addEdge(parent: number, child: number): void {
    this.sink.addEdge(parent, child);
  }
}

/** A run held in memory: the tables a `ParsedRun` is made of. */
export class MemoryRun implements TaskEventSink {
  readonly tasks = new TaskTable();
  readonly events = new EventTable();
  readonly edges = new EdgeTable();

  pushValues(...values: Parameters<RunWrite['pushValues']>): number {
    return this.tasks.pushValues(...values);
  }

  addEvent(task: number, event: string, state: string | null, time: number): void {
    this.events.push(task, event, state, time);
  }

  addEdge(parent: number, child: number): void {
    this.edges.push(parent, child);
  }
}

/**
 * Hashes what a run is made of while passing it on: the identity of one run among several in a
 * database (a Parsl monitoring.db holds every run of a folder, and gains one with each new run).
 * Hashing the run's own content, not the file's, lets a re-ingest of the grown file recognise the
 * runs already stored. Per task it hashes what tells runs apart (uid, type, state, node, times, the
 * number of events and the sum of their times): a run whose tasks and timeline are the same is the
 * same run. Text is gathered and hashed in large pieces (one hash update per value costs more than
 * reading the value).
 */
export class HashingRecorder implements RunRecorder {
  private readonly hash = crypto.createHash('sha256');
  /** Numbers go in as their bytes (turning a million times into text would cost seconds). */
  private readonly numbers = new Float64Array(8192);
  private count = 0;
  private parts: string[] = [];
  private size = 0;

  constructor(
    private readonly inner: RunRecorder,
    /** What identifies the run besides its tasks: format, run id, options that change the reading. */
    identity: string,
  ) {
    this.text(identity);
  }

  startsFrom(time: number): void {
    this.inner.startsFrom?.(time);
  }

  addTask(task: TaskRecord, events: TaskEvents): number {
    let sum = 0;
    for (let i = 0; i < events.length; i++) sum += events.times[i];
    this.number(task.start);
    this.number(task.end);
    this.number(events.length);
    this.number(sum);
    this.text(`${task.uid}\u001f${task.type}\u001f${task.state}\u001f${task.node}`);
    return this.inner.addTask(task, events);
  }

  addEdge(parent: number, child: number): void {
    this.number(parent);
    this.number(child);
    this.inner.addEdge(parent, child);
  }

  digest(): string {
    this.flushNumbers();
    this.flushText();
    return this.hash.digest('hex');
  }

  private number(value: number): void {
    this.numbers[this.count++] = value;
    if (this.count === this.numbers.length) this.flushNumbers();
  }

  private text(value: string): void {
    this.parts.push(value);
    this.size += value.length;
    if (this.size > 1 << 20) this.flushText();
  }

  private flushNumbers(): void {
    this.hash.update(new Uint8Array(this.numbers.buffer, 0, this.count * 8));
    this.count = 0;
  }

  private flushText(): void {
    this.hash.update(this.parts.join('\n'));
    this.hash.update('\n');
    this.parts = [];
    this.size = 0;
  }
}

/**
 * For readers that stream tasks in roughly, not exactly, start order (sacct prints jobs by id):
 * holds the first `count` tasks back, tells the recorder their earliest start (`startsFrom`), then
 * passes everything on. Call `finish()` at the end.
 */
export class EarliestFirst implements RunRecorder {
  private held: { task: TaskRecord; names: string[]; states: (string | null)[]; times: number[] }[] = [];
  private readonly replay = new TaskEvents();
  private index = 0;
  private passing = false;

  constructor(
    private readonly inner: RunRecorder,
    private readonly count = 8192,
  ) {}

  addTask(task: TaskRecord, events: TaskEvents): number {
    if (this.passing) return this.inner.addTask(task, events);
    const n = events.length;
    this.held.push({ task: { ...task }, names: events.names.slice(0, n), states: events.states.slice(0, n), times: events.times.slice(0, n) });
    if (this.held.length >= this.count) this.release();
    return this.index++;
  }

  addEdge(parent: number, child: number): void {
    this.release();
    this.inner.addEdge(parent, child);
  }

  finish(): void {
    this.release();
  }

  private release(): void {
    if (this.passing) return;
    this.passing = true;
    let earliest = Infinity;
    for (const { task } of this.held) if (task.start < earliest) earliest = task.start; // NaN never is
    if (earliest !== Infinity) this.inner.startsFrom?.(earliest);
    for (const { task, names, states, times } of this.held) {
      this.replay.clear();
      for (let i = 0; i < names.length; i++) this.replay.add(names[i], states[i], times[i]);
      this.inner.addTask(task, this.replay);
    }
    this.held = [];
  }
}
