/**
 * Writing one run as it is read: tasks, events and dependencies go to SQLite while the importer is
 * still parsing, inside one IMMEDIATE transaction that commits only when the whole trace was read.
 * A trace of a million tasks then never sits in memory, and a failure anywhere (a bad row at the
 * end of the file, a full disk) rolls everything back: the database stays as it was. IMMEDIATE
 * takes the write lock at once, so a second process ingesting at the same time waits for it
 * (busy timeout) instead of failing half-way.
 *
 * Time zero is the first task start, which a streamed trace only reveals at its end. Times are
 * written relative to a provisional zero and shifted once at commit if an earlier start turned up
 * (an UPDATE of every row: half a second at a million tasks). The provisional zero is the earliest
 * start of the first batch when the reader offers it (`startsFrom`), else the first start seen; in
 * real traces rows come roughly in start order, and the first few thousand hold the first start.
 */
import crypto from 'node:crypto';
import { EdgeTable } from '../../run/edge-table.js';
import type { RunHeader } from '../../run/parsed-run.js';
import type { StoredRun } from '../../run/stored-run.js';
import { OutcomeCounter, type Outcome } from '../../run/outcome.js';
import { TaskCounter } from '../../run/task-counts.js';
import { nanToNull, TASK_FIELDS, type PushTask } from '../../run/task-fields.js';
import type { ResolvedParents, RunWrite, SaveResult, WriteOptions } from '../store.js';
import { BatchInserter } from './batch-insert.js';
import type { Db } from './database.js';
import { EventPatterns } from './event-patterns.js';
import { findRunByHash, findRunById, writeProvenance } from './runs.js';
import { timeColumns } from './schema.js';
import { retypeTasks } from './task-details.js';

const TASK_COLUMNS = ['run_pk', 'idx', ...TASK_FIELDS.map((field) => field.column)];

export class RunWriter implements RunWrite {
  private readonly tasks: BatchInserter;
  private readonly events: BatchInserter;
  /** Events go through it: tasks with the same events by name and state are written many at once. */
  private readonly eventPatterns: EventPatterns;
  private readonly edges: BatchInserter;
  private details: BatchInserter | undefined;
  private readonly notes: string[] = [];
  private replaced: StoredRun | undefined;
  private readonly counts = new TaskCounter();
  private readonly outcomes = new OutcomeCounter();
  /** The distinct task types written (for SaveResult.types); the last one, as consecutive tasks mostly share it. */
  private readonly types = new Set<string>();
  private lastType: string | null = null;
  /** Time 0 of the written times, in the caller's units (NaN until the first start when streaming). */
  private zero: number;
  private firstStart = Infinity;
  private lastEventTask = -1;
  private eventSeq = 0;
  private firstEventTime = Infinity;
  private open = true;
  /** Foreign-key checks are off for this transaction (uncheckedKeys). */
  private keysOff = false;
  /** Dependencies by parent task id (see addParent): a TEMP table created at first use only. */
  private parentRefs: BatchInserter | null = null;

  private constructor(
    private readonly db: Db,
    private readonly pk: number,
    private readonly id: string,
    private readonly header: RunHeader,
    private readonly options: WriteOptions,
  ) {
    this.zero = options.epoch === undefined ? NaN : 0;
    this.tasks = new BatchInserter(db, 'tasks', TASK_COLUMNS);
    this.events = new BatchInserter(db, 'event_rows', ['run_pk', 'task_idx', 'seq', 'event', 'state', 'time_s']);
    this.eventPatterns = new EventPatterns(db, pk, this.events);
    this.edges = new BatchInserter(db, 'task_edges', ['run_pk', 'parent_idx', 'child_idx']);
  }

  /**
   * Opens the transaction and the run. With `knownHash`, an already stored trace is recognised
   * before anything is written (returned as `existing`, nothing opened).
   */
  static begin(db: Db, header: RunHeader, options: WriteOptions, knownHash?: string): RunWriter | SaveResult {
    const keysOff = uncheckedKeys(db, options);
    try {
      db.exec('BEGIN IMMEDIATE');
    } catch (error) {
      if (keysOff) db.pragma('foreign_keys = ON');
      throw error;
    }
    try {
      if (knownHash !== undefined && !options.replace) {
        const existing = findRunByHash(db, knownHash);
        if (existing) {
          db.exec('ROLLBACK');
          if (keysOff) db.pragma('foreign_keys = ON');
          return { status: 'existing', run: existing, notes: [] };
        }
      }
      let id = header.id;
      const notes: string[] = [];
      let replaced: StoredRun | undefined;
      if (options.replace) {
        const sameId = findRunById(db, id);
        if (sameId) {
          db.prepare('DELETE FROM runs WHERE pk = ?').run(sameId.pk);
          notes.push(`replaced run ${sameId.id}`);
          replaced = sameId;
        }
      } else {
        id = freeId(db, header.id);
        if (id !== header.id) notes.push(`a different run already has id ${header.id}; stored as ${id}`);
      }
      // The real hash, counts and metadata are set at commit; the placeholder keeps the column unique.
      const pk = db
        .prepare(
          `INSERT INTO runs (id, label, mode, format, source, content_hash, imported_at, tasks, executed, incomplete)
           VALUES (?, ?, 'unknown', ?, ?, ?, ?, 0, 0, 0) RETURNING pk`,
        )
        .pluck()
        .get(id, id, header.format, header.source, `pending:${crypto.randomUUID()}`, (options.now ?? new Date()).toISOString()) as number;
      const writer = new RunWriter(db, pk, id, header, options);
      writer.notes.push(...notes);
      writer.replaced = replaced;
      writer.keysOff = keysOff;
      return writer;
    } catch (error) {
      db.exec('ROLLBACK');
      if (keysOff) db.pragma('foreign_keys = ON');
      throw error;
    }
  }

  startsFrom(time: number): void {
    if (this.zero !== this.zero && this.counts.tasks === 0) this.zero = time;
  }

  /** Appends a task (its index is returned); NaN is unknown. The columns are TASK_FIELDS', in order. */
  readonly pushValues: PushTask<number> = (uid, name, type, stage, pipeline, state, outcome, node, cores, gpus, start, end, runtime, exitCode, cpuSlots, gpuSlots) => {
    const idx = this.counts.tasks;
    this.counts.add(start, end);
    this.outcomes.add(outcome as Outcome | null);
    if (type !== this.lastType) {
      this.types.add(type);
      this.lastType = type;
    }
    if (start === start) {
      if (this.zero !== this.zero) this.zero = start; // provisional time zero: the first start seen
      if (start < this.firstStart) this.firstStart = start;
    }
    const zero = this.zero;
    const p = this.tasks.params;
    let k = this.tasks.slot();
    p[k++] = this.pk;
    p[k++] = idx;
    p[k++] = uid;
    p[k++] = name;
    p[k++] = type;
    p[k++] = stage;
    p[k++] = pipeline;
    p[k++] = state;
    p[k++] = outcome;
    p[k++] = node;
    p[k++] = nanToNull(cores);
    p[k++] = nanToNull(gpus);
    p[k++] = nanToNull(start - zero);
    p[k++] = nanToNull(end - zero);
    p[k++] = nanToNull(runtime);
    p[k++] = nanToNull(exitCode);
    p[k++] = cpuSlots;
    p[k] = gpuSlots;
    this.tasks.done();
    return idx;
  };

  /** Appends a profile event; events must come grouped by task, in time order within a task. */
  addEvent(task: number, event: string, state: string | null, time: number): void {
    if (this.zero !== this.zero) this.zero = time; // streaming, and no start seen yet: the provisional time zero
    this.eventSeq = task === this.lastEventTask ? this.eventSeq + 1 : 0;
    this.lastEventTask = task;
    if (time < this.firstEventTime) this.firstEventTime = time;
    this.eventPatterns.add(task, this.eventSeq, event, state, time - (this.zero === this.zero ? this.zero : 0));
  }

  addEdge(parent: number, child: number): void {
    this.edges.add(this.pk, parent, child);
  }

  /** What the trace says of task `task` besides its row (task_details), with the type the trace gave it. */
  addDetails(task: number, traceType: string, executable: string | null, stageName: string | null, ranks: number): void {
    this.details ??= new BatchInserter(this.db, 'task_details', ['run_pk', 'task_idx', 'trace_type', 'executable', 'stage_name', 'ranks']);
    // Into the batch's parameters directly, as tasks and events: a session of 10^6 tasks has as many details.
    const p = this.details.params;
    let k = this.details.slot();
    p[k++] = this.pk;
    p[k++] = task;
    p[k++] = traceType;
    p[k++] = executable;
    p[k++] = stageName;
    p[k] = nanToNull(ranks);
    this.details.done();
  }

  /**
   * A dependency named by the parent's task id, which may come later in the trace: kept aside in a
   * TEMP table and turned into an edge by `resolveParents` once every task was written.
   */
  addParent(child: number, parentUid: string, line: number): void {
    if (this.parentRefs === null) {
      this.db.exec('CREATE TEMP TABLE IF NOT EXISTS pending_parents (child_idx INTEGER NOT NULL, parent_uid TEXT NOT NULL, line INTEGER NOT NULL)');
      this.db.exec('DELETE FROM temp.pending_parents');
      this.parentRefs = new BatchInserter(this.db, 'temp.pending_parents', ['child_idx', 'parent_uid', 'line']);
    }
    this.parentRefs.add(child, parentUid, line);
  }

  /**
   * Turns the dependencies given by `addParent` into edges, and returns every edge of the run (for
   * a cycle check), or the first reference (by line) to a task id the run does not have.
   * A task table's ids are all known and unique by now, so each reference is one index lookup.
   */
  async resolveParents(): Promise<ResolvedParents> {
    this.assertOpen();
    const edges = new EdgeTable();
    const tasks = this.counts.tasks;
    if (this.parentRefs === null) return { edges, tasks };
    this.parentRefs.flush();
    this.tasks.flush();
    const db = this.db;
    db.exec('DROP TABLE IF EXISTS temp.run_uids');
    db.prepare('CREATE TEMP TABLE run_uids AS SELECT uid, idx FROM tasks WHERE run_pk = ?').run(this.pk);
    db.exec('CREATE INDEX temp.run_uids_uid ON run_uids (uid)');
    const unknown = db
      .prepare('SELECT p.parent_uid AS uid, p.line AS line FROM temp.pending_parents p LEFT JOIN temp.run_uids u ON u.uid = p.parent_uid WHERE u.idx IS NULL ORDER BY p.line LIMIT 1')
      .get() as { uid: string; line: number } | undefined;
    if (unknown === undefined) {
      db.prepare(
        'INSERT OR IGNORE INTO task_edges (run_pk, parent_idx, child_idx) SELECT ?, u.idx, p.child_idx FROM temp.pending_parents p JOIN temp.run_uids u ON u.uid = p.parent_uid',
      ).run(this.pk);
    }
    db.exec('DROP TABLE temp.run_uids; DROP TABLE temp.pending_parents');
    this.parentRefs = null;
    if (unknown !== undefined) return { unknown };
    this.edges.flush();
    for (const [parent, child] of db.prepare('SELECT parent_idx, child_idx FROM task_edges WHERE run_pk = ?').raw().iterate(this.pk) as Iterable<[number, number]>) {
      edges.push(parent, child);
    }
    return { edges, tasks };
  }

  /** The id of task `idx` as written (for messages about the run being written). */
  async taskUid(idx: number): Promise<string | undefined> {
    this.tasks.flush();
    return this.db.prepare('SELECT uid FROM tasks WHERE run_pk = ? AND idx = ?').pluck().get(this.pk, idx) as string | undefined;
  }

  /**
   * Finishes the run: time zero, counts and metadata, then COMMIT. When another run already holds
   * `contentHash`, the transaction is rolled back (or, with replace, that run is deleted).
   */
  async commit(contentHash: string, warnings: readonly string[]): Promise<SaveResult> {
    return this.commitNow(contentHash, warnings);
  }

  /** `commit`, synchronously (better-sqlite3 is). */
  commitNow(contentHash: string, warnings: readonly string[]): SaveResult {
    this.assertOpen();
    try {
      this.tasks.flush();
      this.eventPatterns.flush();
      this.edges.flush();
      this.details?.flush();
      const db = this.db;
      if (this.parentRefs !== null) throw new Error('RunWriter: dependencies by task id were given but never resolved (resolveParents)');
      const sameContent = db.prepare('SELECT * FROM runs WHERE content_hash = ? AND pk != ?').get(contentHash, this.pk) as { pk: number } | undefined;
      if (sameContent && !this.options.replace) {
        this.abandon();
        return { status: 'existing', run: findRunByHash(db, contentHash)!, notes: [] };
      }
      if (sameContent) {
        const old = findRunByHash(db, contentHash)!;
        db.prepare('DELETE FROM runs WHERE pk = ?').run(old.pk);
        this.notes.push(`replaced run ${old.id}`);
        this.replaced ??= old;
      }

      let epoch: number | null;
      if (this.options.epoch !== undefined) {
        epoch = this.options.epoch;
      } else {
        // Streaming: time zero is the first start; written times are relative to the provisional zero.
        const trueZero = this.firstStart !== Infinity ? this.firstStart : this.firstEventTime !== Infinity ? this.firstEventTime : null;
        const written = this.zero === this.zero ? this.zero : 0;
        if (trueZero !== null && trueZero !== written) {
          const shift = written - trueZero;
          db.prepare('UPDATE tasks SET start_s = start_s + @shift, end_s = end_s + @shift WHERE run_pk = @pk').run({ shift, pk: this.pk });
          db.prepare('UPDATE event_rows SET time_s = time_s + @shift WHERE run_pk = @pk').run({ shift, pk: this.pk });
          db.prepare(`UPDATE event_times SET ${timeColumns().map((t) => `${t} = ${t} + @shift`).join(', ')} WHERE run_pk = @pk`).run({ shift, pk: this.pk });
        }
        epoch = trueZero;
      }

      const { header, options, replaced } = this;
      const capacity = header.capacity;
      const counts = this.counts.counts();
      db.prepare(
        `UPDATE runs SET label = ?, mode = ?, workflow = ?, content_hash = ?, epoch = ?, scheduled = ?,
                nodes = ?, cores_per_node = ?, gpus_per_node = ?, cores = ?, gpus = ?,
                tasks = ?, executed = ?, incomplete = ?, makespan_s = ?, outcomes = ?, warnings = ?
          WHERE pk = ?`,
      ).run(
        options.label ?? replaced?.label ?? header.label ?? this.id,
        options.mode ?? replaced?.mode ?? header.mode ?? 'unknown',
        options.workflow ?? replaced?.workflow ?? header.workflow,
        contentHash,
        epoch,
        header.scheduled ? 1 : 0,
        capacity.nodes,
        capacity.coresPerNode,
        capacity.gpusPerNode,
        capacity.cores,
        capacity.gpus,
        counts.tasks,
        counts.executed,
        counts.incomplete,
        counts.makespanS,
        JSON.stringify(this.outcomes.result()),
        JSON.stringify(warnings),
        this.pk,
      );
      const provenance = options.provenance ?? replaced?.provenance;
      if (provenance) writeProvenance(db, this.pk, provenance);
      const types = options.retype ? retypeTasks(db, this.pk, options.retype) : this.types.size;
      if (!options.retype && options.typeFrom) db.prepare('UPDATE runs SET type_from = ? WHERE pk = ?').run(options.typeFrom, this.pk);
      db.exec('COMMIT');
      this.open = false;
      this.checkKeysAgain();
      return { status: replaced ? 'replaced' : 'stored', run: findRunById(db, this.id)!, notes: this.notes, types };
    } catch (error) {
      this.abandon();
      throw error;
    }
  }

  async rollback(): Promise<void> {
    this.abandon();
  }

  /** Abandons the run: nothing of it stays. */
  abandon(): void {
    if (!this.open) return;
    this.open = false;
    if (this.db.inTransaction) this.db.exec('ROLLBACK');
    this.checkKeysAgain();
  }

  /** Foreign keys checked again on this connection once the transaction is over (see uncheckedKeys). */
  private checkKeysAgain(): void {
    if (!this.keysOff) return;
    this.keysOff = false;
    this.db.pragma('foreign_keys = ON');
  }

  private assertOpen(): void {
    if (!this.open) throw new Error('RunWriter: the run was already committed or rolled back');
  }
}

/**
 * Turns SQLite's foreign-key checks off for a transaction that only adds a run, and says whether it
 * did. Every row such a transaction writes (tasks, events, details, edges, metadata) references the
 * run row it inserted first, so the check SQLite makes of each row, a lookup in runs, cannot fail;
 * it cost 5 to 15% of inserting a task or event row (docs/benchmark.md, RADICAL-Pilot round 3). A
 * transaction that replaces a run keeps them on: it deletes, and the run's rows go by ON DELETE
 * CASCADE. The pragma does nothing inside a transaction, hence before BEGIN, and it is set back
 * after COMMIT or ROLLBACK; a connection already in a transaction is left as it is.
 */
function uncheckedKeys(db: Db, options: WriteOptions): boolean {
  if (options.replace || db.inTransaction || db.pragma('foreign_keys', { simple: true }) !== 1) return false;
  db.pragma('foreign_keys = OFF');
  return true;
}

/** The suggested id if free, else the first free of id-2, id-3, ... */
function freeId(db: Db, id: string): string {
  const taken = db.prepare('SELECT 1 FROM runs WHERE id = ?').pluck();
  if (!taken.get(id)) return id;
  for (let n = 2; ; n++) {
    const candidate = `${id}-${n}`;
    if (!taken.get(candidate)) return candidate;
  }
}
