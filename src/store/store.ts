/**
 * The store: where asyncscope keeps runs, and everything the layers above ask of it. This is the
 * interface a backend implements; SQLite (store/sqlite/) is the one there is, and the rest of
 * asyncscope sees only this file, openStore (open-store.ts) and the backend-neutral helpers beside
 * it, never the SQL. docs/store.md describes it for whoever writes the next backend.
 *
 * Reads and edits return promises, so that a backend whose driver is asynchronous (a database
 * server) fits without changing the callers. Writing a run is the exception that keeps ingest
 * fast: `beginRun` and `commit` are asynchronous, but the run's tasks, events and dependencies are
 * handed over one call each, synchronously, and the backend batches them as it likes.
 */
import type { Capacity } from '../run/capacity.js';
import type { EdgeTable } from '../run/edge-table.js';
import type { EventTable } from '../run/event-table.js';
import type { RunHeader } from '../run/parsed-run.js';
import type { Provenance, SettableField } from '../run/provenance.js';
import type { RunFilter } from '../run/run-filter.js';
import type { RunMode, StoredRun, TypeCount } from '../run/stored-run.js';
import type { TaskColumns, TextColumn } from '../run/task-columns.js';
import type { Retype, StoredTaskDetails } from '../run/task-details.js';
import type { PushTask } from '../run/task-fields.js';
import type { TaskSink, TaskTable } from '../run/task-table.js';

export interface Store {
  /** Where the store is, for messages: the SQLite file, or the database a server holds. */
  readonly location: string;

  // ---- runs

  /** Every stored run, oldest import first. */
  listRuns(): Promise<StoredRun[]>;
  findRunById(id: string): Promise<StoredRun | undefined>;
  /** The run holding this content (SHA-256 of the trace), if any. */
  findRunByHash(hash: string): Promise<StoredRun | undefined>;
  /** The runs carrying a label, oldest import first. */
  findRunsByLabel(label: string): Promise<StoredRun[]>;
  /**
   * The runs matching a filter (`--where`, `--since`), and carrying `label` when given, oldest
   * import first: a listing, or the history of a label. Backends turn the filter into
   * parameterised queries (commit: a case-insensitive prefix; meta keys: the run's --meta pairs).
   */
  findRuns(filter: RunFilter, label?: string): Promise<StoredRun[]>;
  /** Every run id and label, for "did you mean" in errors. */
  runNames(): Promise<string[]>;
  /**
   * The runs a reference names: a run id names one run; a label names every run carrying it;
   * `LABEL@latest` the most recently imported one. An InputError says what matched nothing.
   * Backends implement it with `resolveRuns` of resolve-runs.ts, so every command resolves alike.
   */
  resolveRuns(ref: string): Promise<StoredRun[]>;
  /** Exactly one run: by id, a label only one run carries, or `LABEL@latest`. */
  resolveRun(ref: string): Promise<StoredRun>;
  /** Task counts and resources per task type, for `runs show` (ranges formatted with `range` of run/stored-run.ts). */
  typeCounts(run: StoredRun): Promise<TypeCount[]>;
  /** Changes a run's metadata; returns the run as now stored. Needs a store opened for writing. */
  editRun(run: StoredRun, edit: RunEdit): Promise<StoredRun>;
  /** Deletes runs with their tasks, events and dependencies, all or none. Needs a store opened for writing. */
  deleteRuns(runs: readonly StoredRun[]): Promise<void>;
  /**
   * Sets the types of a run's tasks by a rule (`runs edit --type-from`) in one transaction, keeping
   * the type each task's trace gave (so `--type-from trace` undoes it) and the rule on the run
   * (`typeFrom`). Returns the number of distinct types the run then has. Needs a store opened for writing.
   */
  retypeTasks(run: Pick<StoredRun, 'pk'>, retype: Retype): Promise<number>;

  // ---- what a run holds (times in seconds from the run's time zero, NaN when unknown)

  /** All tasks of a run, in stored order. */
  loadTasks(run: Pick<StoredRun, 'pk'>): Promise<TaskTable>;
  /**
   * Start, end, cores and GPUs of every task, and only the text columns named (the others are
   * empty): what the timeline analyses read, as light as it can be for a million tasks.
   */
  loadTaskColumns(run: Pick<StoredRun, 'pk' | 'tasks'>, text: readonly TextColumn[]): Promise<TaskColumns>;
  /** The uid of every task, by task index. */
  loadTaskUids(run: Pick<StoredRun, 'pk'>): Promise<string[]>;
  /** Profile events, by task then time; `filter` keeps those with one of the names or one of the states. */
  loadEvents(run: Pick<StoredRun, 'pk'>, filter?: EventFilter): Promise<EventTable>;
  /** Distinct event names and states, each with how many tasks have it. */
  eventVocabulary(run: Pick<StoredRun, 'pk'>): Promise<EventVocabulary>;
  /** The time of the run's last profile event, or null when it has none. */
  lastEventTime(run: Pick<StoredRun, 'pk'>): Promise<number | null>;
  /** Task-level dependencies, by child then parent. */
  loadEdges(run: Pick<StoredRun, 'pk'>): Promise<EdgeTable>;
  /** Every `task_details` row of the run, by task index (copying a run: push, pull). */
  loadTaskDetails(run: Pick<StoredRun, 'pk'>): Promise<StoredTaskDetails>;
  /** MPI ranks of every task by index (1 where the trace does not say). */
  loadTaskRanks(run: Pick<StoredRun, 'pk' | 'tasks'>): Promise<Int32Array>;

  // ---- writing a run

  /**
   * Opens the write of one run (one transaction: all of it is stored, or none). With `knownHash`,
   * a trace already stored is recognised before anything is written: its result comes back instead
   * of a RunWrite. Needs a store opened for writing.
   */
  beginRun(header: RunHeader, options: WriteOptions, knownHash?: string): Promise<RunWrite | SaveResult>;

  /** Lets go of the store (and finishes what opening it for a bulk write deferred). */
  close(): Promise<void>;
}

/**
 * One run being written. Tasks, events and dependencies are handed over synchronously, one call
 * each (the ingest hot path); `commit` stores them all, or `rollback` none.
 */
export interface RunWrite extends TaskSink {
  /** Appends a task (values in TASK_FIELDS order; NaN unknown); returns its index. */
  pushValues: PushTask<number>;
  /** Optional hint before the first task: the earliest start among the first tasks to come. */
  startsFrom?(time: number): void;
  /** Appends a profile event of task `task`; events come grouped by task, in time order within one. */
  addEvent(task: number, event: string, state: string | null, time: number): void;
  addEdge(parent: number, child: number): void;
  /** What the trace says of task `task` besides its row (TaskDetails), with the type the trace gave it. */
  addDetails(task: number, traceType: string, executable: string | null, stageName: string | null, ranks: number): void;
  /**
   * A dependency named by the parent's task id, which may come later in the trace (task tables
   * with a parents column): kept until `resolveParents`. `line` is where the trace names it.
   */
  addParent(child: number, parentUid: string, line: number): void;
  /**
   * Once every task is written: turns the dependencies given by `addParent` into the run's
   * dependencies and returns all of them (for a cycle check), or the first reference (by line) to
   * a task id the run does not have. Must be called before `commit` when `addParent` was.
   */
  resolveParents(): Promise<ResolvedParents>;
  /** The id of task `idx` as written so far (for messages about the run being written). */
  taskUid(idx: number): Promise<string | undefined>;
  /**
   * Finishes the run: time zero, counts and metadata, then stores it. When another run already
   * holds `contentHash`, nothing is stored and that run is the result (`existing`), unless
   * replacing. A failure rolls everything back.
   */
  commit(contentHash: string, warnings: readonly string[]): Promise<SaveResult>;
  /** Abandons the run: nothing of it stays. */
  rollback(): Promise<void>;
}

/** What `resolveParents` found: every dependency of the run and its task count, or an unknown parent. */
export type ResolvedParents = { edges: EdgeTable; tasks: number } | { unknown: { uid: string; line: number } };

export interface WriteOptions {
  /** Label, mode and workflow given by the user; when absent, a replaced run's values are kept. */
  label?: string;
  mode?: RunMode;
  workflow?: string;
  /** Replace a run with the same content, or with the same id, instead of keeping the stored one. */
  replace: boolean;
  /** Import time; tests pin it. */
  now?: Date;
  /** Where the run came from; a replaced run's is kept when absent. */
  provenance?: Provenance;
  /**
   * Epoch (s) of time 0 of the times handed to the writer when the importer has already chosen
   * time zero; absent (the default), times are absolute and the writer finds time zero itself.
   */
  epoch?: number | null;
  /** A rule that sets the task types at commit, in the same transaction (`ingest --type-from`). */
  retype?: Retype;
  /**
   * The rule that set the types of the tasks written already (a copied run's `typeFrom`): stored
   * on the run as it is, nothing retyped. Ignored with `retype`, which records its own.
   */
  typeFrom?: string | null;
}

export type SaveStatus = 'stored' | 'existing' | 'replaced';

export interface SaveResult {
  status: SaveStatus;
  run: StoredRun;
  /** Said to the user next to the result: why an id differs from the suggested one, what was replaced. */
  notes: string[];
  /**
   * How many task types the stored run has, when the writer counted them as it wrote (else the
   * caller asks `typeCounts`, a query that groups every task: seconds at a million tasks).
   */
  types?: number;
}

/** Whether `beginRun` opened a write (rather than finding the trace stored already). */
export function isRunWrite(begun: RunWrite | SaveResult): begun is RunWrite {
  return !('status' in begun);
}

export interface RunEdit {
  label?: string;
  mode?: RunMode;
  workflow?: string | null;
  capacity?: Partial<Capacity>;
  /** Provenance fields and --meta pairs to set (a string) or remove (null). */
  provenance?: { fields: Partial<Record<SettableField, string | null>>; meta: Readonly<Record<string, string | null>> };
}

export interface EventFilter {
  names?: readonly string[];
  states?: readonly string[];
}

export interface EventVocabulary {
  events: Map<string, number>;
  states: Map<string, number>;
}

/** How a command opens the store. */
export type OpenOptions =
  | {
      /**
       * Reading only: the store must exist, is never created, migrated or written (it may be a
       * read-only file, in a read-only folder), and one that needs a migration is refused.
       */
      access: 'read';
      /** Migration list; tests pass their own to exercise upgrades. */
      migrations?: readonly string[];
    }
  | {
      /** Reading and writing: a missing store is created when `create`, an old one migrated. */
      access: 'write';
      create?: boolean;
      /**
       * A bulk write into a store this call creates (the first ingest): the backend may write it
       * the cheapest way and finish at `close` (SQLite: rollback journal, then WAL).
       */
      bulkWrite?: boolean;
      migrations?: readonly string[];
    };
