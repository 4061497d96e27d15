/**
 * The normalized shape of a run, shared by importers (which build it), the store (which writes
 * and reads it) and the analyses (which read it).
 *
 * Tasks are held column by column rather than as one object per task: a million-task trace is
 * then a dozen arrays instead of a million small objects, which keeps ingest and analysis fast
 * and their memory predictable. A missing number (unknown cores, a task that never started) is
 * NaN in these columns and NULL in SQLite.
 */

export type RunMode = 'sync' | 'async' | 'unknown';
export const RUN_MODES: readonly RunMode[] = ['sync', 'async', 'unknown'];

/** What the machine offered the run. Every field may be unknown (null). */
export interface Capacity {
  nodes: number | null;
  coresPerNode: number | null;
  gpusPerNode: number | null;
  cores: number | null;
  gpus: number | null;
}

export const UNKNOWN_CAPACITY: Capacity = {
  nodes: null,
  coresPerNode: null,
  gpusPerNode: null,
  cores: null,
  gpus: null,
};

/**
 * Where tasks go, one call per task, without an object per task: a task table in memory, or the
 * run writer streaming into SQLite. Times in the caller's seconds; NaN is unknown.
 */
export interface TaskSink {
  pushValues(
    uid: string,
    name: string | null,
    type: string,
    stage: string | null,
    pipeline: string | null,
    state: string | null,
    node: string | null,
    cores: number,
    gpus: number,
    start: number,
    end: number,
    runtime: number,
  ): void;
  /**
   * Optional, before the first task: the earliest start among the first tasks to come. The run
   * writer takes it as its provisional time zero (see run-writer.ts).
   */
  startsFrom?(time: number): void;
}

/** Columns of a run's tasks; index i of every column describes the same task. */
export class TaskTable implements TaskSink {
  readonly uid: string[] = [];
  readonly name: (string | null)[] = [];
  readonly type: string[] = [];
  readonly stage: (string | null)[] = [];
  readonly pipeline: (string | null)[] = [];
  readonly state: (string | null)[] = [];
  readonly node: (string | null)[] = [];
  readonly cores: number[] = [];
  readonly gpus: number[] = [];
  /** Seconds; absolute (epoch) while an importer builds the table, relative to time zero once stored. */
  readonly start: number[] = [];
  readonly end: number[] = [];
  /** A runtime the trace states without placing the task in time (WfCommons instances); else NaN. */
  readonly runtime: number[] = [];

  get length(): number {
    return this.uid.length;
  }

  push(task: TaskFields): number {
    return this.pushValues(
      task.uid,
      task.name ?? null,
      task.type,
      task.stage ?? null,
      task.pipeline ?? null,
      task.state ?? null,
      task.node ?? null,
      task.cores ?? NaN,
      task.gpus ?? NaN,
      task.start ?? NaN,
      task.end ?? NaN,
      task.runtime ?? NaN,
    );
  }

  /** `push` without an object per task, for importers of very large traces. */
  pushValues(
    uid: string,
    name: string | null,
    type: string,
    stage: string | null,
    pipeline: string | null,
    state: string | null,
    node: string | null,
    cores: number,
    gpus: number,
    start: number,
    end: number,
    runtime: number,
  ): number {
    this.uid.push(uid);
    this.name.push(name);
    this.type.push(type);
    this.stage.push(stage);
    this.pipeline.push(pipeline);
    this.state.push(state);
    this.node.push(node);
    this.cores.push(cores);
    this.gpus.push(gpus);
    this.start.push(start);
    this.end.push(end);
    this.runtime.push(runtime);
    return this.uid.length - 1;
  }

  /** Task i as one object: convenient for tests and small outputs, not for hot loops. */
  row(i: number): TaskFields {
    return {
      uid: this.uid[i],
      name: this.name[i],
      type: this.type[i],
      stage: this.stage[i],
      pipeline: this.pipeline[i],
      state: this.state[i],
      node: this.node[i],
      cores: nanToNull(this.cores[i]),
      gpus: nanToNull(this.gpus[i]),
      start: nanToNull(this.start[i]),
      end: nanToNull(this.end[i]),
      runtime: nanToNull(this.runtime[i]),
    };
  }
}

export interface TaskFields {
  uid: string;
  name?: string | null;
  type: string;
  stage?: string | null;
  pipeline?: string | null;
  state?: string | null;
  node?: string | null;
  cores?: number | null;
  gpus?: number | null;
  start?: number | null;
  end?: number | null;
  runtime?: number | null;
}

/** Raw profile events of tasks, column by column (same conventions as TaskTable). */
export class EventTable {
  readonly task: number[] = [];
  readonly event: string[] = [];
  readonly state: (string | null)[] = [];
  readonly time: number[] = [];

  get length(): number {
    return this.task.length;
  }

  push(task: number, event: string, state: string | null, time: number): void {
    this.task.push(task);
    this.event.push(event);
    this.state.push(state);
    this.time.push(time);
  }
}

/** Task-level dependencies (parent must end before child starts), as task indexes. */
export class EdgeTable {
  readonly parent: number[] = [];
  readonly child: number[] = [];

  get length(): number {
    return this.parent.length;
  }

  push(parent: number, child: number): void {
    this.parent.push(parent);
    this.child.push(child);
  }
}

/** Everything an importer produces for one run, ready to be stored in one transaction. */
export interface ParsedRun {
  /** Suggested run id (RADICAL-Pilot: the session id; tabular: the file name without extension). */
  id: string;
  /** Importer that read it: radical-pilot, csv, jsonl, ... */
  format: string;
  /** Path of the input as given on the command line, resolved to an absolute path. */
  source: string;
  workflow: string | null;
  capacity: Capacity;
  /** Epoch seconds of time zero (first task execution start); null when no task started. */
  epoch: number | null;
  /** False when the trace gives runtimes but no start times (WfCommons instances): analyses that need a timeline refuse it. */
  scheduled: boolean;
  tasks: TaskTable;
  events: EventTable;
  edges: EdgeTable;
  /** Things the user should know about the trace that did not stop the import. */
  warnings: string[];
}

/** Summary figures of a run's tasks, as stored on the run and printed by `runs`. */
export interface TaskCounts {
  tasks: number;
  executed: number;
  incomplete: number;
  makespanS: number | null;
}

export function nanToNull(value: number): number | null {
  return Number.isNaN(value) ? null : value;
}

/**
 * Counts over a task table whose times are relative or absolute (the makespan does not care).
 * executed = start and end known; incomplete = start known, end not;
 * makespan = last end - first start over executed tasks.
 */
export function countTasks(tasks: TaskTable): TaskCounts {
  let executed = 0;
  let incomplete = 0;
  let firstStart = Infinity;
  let lastEnd = -Infinity;
  for (let i = 0; i < tasks.length; i++) {
    const start = tasks.start[i];
    const end = tasks.end[i];
    if (Number.isNaN(start)) continue;
    if (Number.isNaN(end)) {
      incomplete++;
      continue;
    }
    executed++;
    if (start < firstStart) firstStart = start;
    if (end > lastEnd) lastEnd = end;
  }
  return {
    tasks: tasks.length,
    executed,
    incomplete,
    makespanS: executed > 0 ? lastEnd - firstStart : null,
  };
}
