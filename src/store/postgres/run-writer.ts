/**
 * Writing one run into PostgreSQL, in one transaction: the run's row first, then its tasks with
 * COPY while the importer is still reading them, its events and dependencies with COPY at commit.
 * A failure anywhere, or a process killed half-way (the server rolls back a transaction whose
 * connection is gone), leaves the store as it was.
 *
 * Many processes may write at once, each its own transaction: they do not wait for each other
 * while copying. Only the last step is serialised, under an advisory lock held until COMMIT:
 * whether another run already holds the content (then nothing of this one is kept: content
 * dedupe across processes), the run's final id (the suggested one if free, else -2, -3, ...),
 * and what `replace` removes. Until then the run carries a placeholder id and content hash, so
 * that two writers never wait for each other on the unique columns.
 *
 * Times are written relative to a provisional zero and shifted at commit when an earlier start
 * turned up, as the SQLite writer does (sqlite/run-writer.ts).
 */
import crypto from 'node:crypto';
import type { RunHeader } from '../../run/parsed-run.js';
import type { StoredRun } from '../../run/stored-run.js';
import { TaskCounter } from '../../run/task-counts.js';
import { isNumeric, TASK_FIELDS, type PushTask } from '../../run/task-fields.js';
import { OutcomeCounter, type Outcome } from '../../run/outcome.js';
import { freeRunId } from '../run-row.js';
import { EdgeTable } from '../../run/edge-table.js';
import type { ResolvedParents, RunWrite, SaveResult, WriteOptions } from '../store.js';
import { CopyIn, copyNumber, copyText } from './copy.js';
import { LOCK_NAMING, type Connection } from './database.js';
import { retypeTasksIn } from './task-details.js';
import { findRunByHash, findRunById, writeProvenance } from './queries.js';

const TASK_COLUMNS = ['run_pk', 'idx', ...TASK_FIELDS.map((field) => field.column)];
const [TEXT, NUMBER, TIME] = [0, 1, 2];
const KINDS = TASK_FIELDS.map((field) => (!isNumeric(field) ? TEXT : field.kind === 'time' ? TIME : NUMBER));
const fieldIndex = (name: string) => TASK_FIELDS.findIndex((field) => field.name === name);
const [START, END, OUTCOME] = [fieldIndex('start'), fieldIndex('end'), fieldIndex('outcome')];

export class PostgresRunWriter implements RunWrite {
  private readonly tasks: CopyIn;
  private readonly events: CopyIn;
  private readonly edges: CopyIn;
  private readonly details: CopyIn;
  private readonly counts = new TaskCounter();
  private readonly outcomes = new OutcomeCounter();
  private zero: number;
  private firstStart = Infinity;
  private lastEventTask = -1;
  private eventSeq = 0;
  private firstEventTime = Infinity;
  private open = true;
  private readonly prefix: string;
  /**
   * The ids of the tasks written so far, and the run's dependencies, kept for `addParent` /
   * `resolveParents` (tables that name parents by id) and `taskUid`. The ids are the importer's
   * own strings (no copy), and the dependencies wait in memory for their COPY at commit anyway.
   */
  private readonly uids: string[] = [];
  private readonly edgeList = new EdgeTable();
  private readonly edgeKeys = new Set<string>();
  private parentRefs: { child: number[]; uid: string[]; line: number[] } | null = null;

  private constructor(
    private readonly db: Connection,
    private readonly pk: number,
    private readonly header: RunHeader,
    private readonly options: WriteOptions,
    /** Called once the transaction is over (committed or not): the store may be used again. */
    private readonly release: () => void,
  ) {
    this.zero = options.epoch === undefined ? NaN : 0;
    this.prefix = `${pk}\t`;
    this.tasks = new CopyIn(db, 'tasks', TASK_COLUMNS, true);
    // Every event a row of event_rows: COPY's cost per row is small, so the PostgreSQL store leaves
    // event_times (SQLite's compact form, store/sqlite/event-patterns.ts) empty.
    this.events = new CopyIn(db, 'event_rows', ['run_pk', 'task_idx', 'seq', 'event', 'state', 'time_s'], false);
    this.edges = new CopyIn(db, 'task_edges', ['run_pk', 'parent_idx', 'child_idx'], false);
    this.details = new CopyIn(db, 'task_details', ['run_pk', 'task_idx', 'trace_type', 'executable', 'stage_name', 'ranks'], false);
  }

  static async begin(db: Connection, header: RunHeader, options: WriteOptions, knownHash: string | undefined, release: () => void): Promise<PostgresRunWriter | SaveResult> {
    try {
      if (knownHash !== undefined && !options.replace) {
        const existing = await findRunByHash(db, knownHash);
        if (existing) {
          release();
          return { status: 'existing', run: existing, notes: [] };
        }
      }
      await db.query('BEGIN');
    } catch (error) {
      release();
      throw error;
    }
    try {
      const placeholder = `pending:${crypto.randomUUID()}`;
      const { rows } = await db.query<{ pk: number }>(
        `INSERT INTO runs (id, label, mode, format, source, content_hash, imported_at, tasks, executed, incomplete)
         VALUES ($1, $2, 'unknown', $3, $4, $1, $5, 0, 0, 0) RETURNING pk`,
        [placeholder, header.id, header.format, header.source, (options.now ?? new Date()).toISOString()],
      );
      return new PostgresRunWriter(db, rows[0].pk, header, options, release);
    } catch (error) {
      await db.query('ROLLBACK').catch(() => {});
      release();
      throw error;
    }
  }

  startsFrom(time: number): void {
    if (this.zero !== this.zero && this.counts.tasks === 0) this.zero = time;
  }

  /**
   * Generic over TASK_FIELDS (a field added there needs nothing here): text fields as text,
   * numbers as numbers, times relative to the provisional zero.
   */
  readonly pushValues: PushTask<number> = (...task) => {
    const start = task[START] as number;
    const end = task[END] as number;
    const idx = this.counts.tasks;
    this.counts.add(start, end);
    this.outcomes.add(task[OUTCOME] as Outcome | null);
    if (start === start) {
      if (this.zero !== this.zero) this.zero = start;
      if (start < this.firstStart) this.firstStart = start;
    }
    let line = this.prefix + idx;
    for (let k = 0; k < task.length; k++) {
      const value = task[k];
      const kind = KINDS[k];
      line += '\t' + (kind === TEXT ? copyText(value as string | null) : copyNumber(kind === TIME ? (value as number) - this.zero : (value as number)));
    }
    this.tasks.row(line);
    this.uids.push(task[0]);
    return idx;
  };

  addEvent(task: number, event: string, state: string | null, time: number): void {
    this.eventSeq = task === this.lastEventTask ? this.eventSeq + 1 : 0;
    this.lastEventTask = task;
    if (time < this.firstEventTime) this.firstEventTime = time;
    const relative = time - (this.zero === this.zero ? this.zero : 0);
    this.events.row(`${this.prefix}${task}\t${this.eventSeq}\t${copyText(event)}\t${copyText(state)}\t${copyNumber(relative)}`);
  }

  addEdge(parent: number, child: number): void {
    // The same dependency twice (stated by both tasks) is kept once, as the primary key wants.
    const key = `${parent},${child}`;
    if (this.edgeKeys.has(key)) return;
    this.edgeKeys.add(key);
    this.edgeList.push(parent, child);
    this.edges.row(`${this.prefix}${parent}\t${child}`);
  }

  /** A dependency by the parent's task id, which may come later in the trace (see RunWrite). */
  addParent(child: number, parentUid: string, line: number): void {
    this.parentRefs ??= { child: [], uid: [], line: [] };
    this.parentRefs.child.push(child);
    this.parentRefs.uid.push(parentUid);
    this.parentRefs.line.push(line);
  }

  async resolveParents(): Promise<ResolvedParents> {
    const tasks = this.counts.tasks;
    const refs = this.parentRefs;
    if (refs === null) return { edges: this.edgeList, tasks };
    this.parentRefs = null;
    const indexOf = new Map<string, number>();
    this.uids.forEach((uid, idx) => indexOf.set(uid, idx));
    let unknown: { uid: string; line: number } | undefined;
    for (let k = 0; k < refs.uid.length; k++) {
      if (!indexOf.has(refs.uid[k]) && (unknown === undefined || refs.line[k] < unknown.line)) unknown = { uid: refs.uid[k], line: refs.line[k] };
    }
    if (unknown !== undefined) return { unknown };
    for (let k = 0; k < refs.uid.length; k++) this.addEdge(indexOf.get(refs.uid[k])!, refs.child[k]);
    return { edges: this.edgeList, tasks };
  }

  async taskUid(idx: number): Promise<string | undefined> {
    return this.uids[idx];
  }

  /** What the trace says of task `task` besides its row (task_details), with the type the trace gave it. */
  addDetails(task: number, traceType: string, executable: string | null, stageName: string | null, ranks: number): void {
    this.details.row(`${this.prefix}${task}\t${copyText(traceType)}\t${copyText(executable)}\t${copyText(stageName)}\t${copyNumber(ranks)}`);
  }

  async commit(contentHash: string, warnings: readonly string[]): Promise<SaveResult> {
    if (!this.open) throw new Error('PostgresRunWriter: the run was already committed or rolled back');
    const db = this.db;
    try {
      await this.tasks.send();
      await this.events.send();
      await this.edges.send();
      await this.details.send();

      let epoch: number | null;
      if (this.options.epoch !== undefined) {
        epoch = this.options.epoch;
      } else {
        const trueZero = this.firstStart !== Infinity ? this.firstStart : this.firstEventTime !== Infinity ? this.firstEventTime : null;
        const written = this.zero === this.zero ? this.zero : 0;
        if (trueZero !== null && trueZero !== written) {
          const shift = written - trueZero;
          await db.query('UPDATE tasks SET start_s = start_s + $1, end_s = end_s + $1 WHERE run_pk = $2', [shift, this.pk]);
          await db.query('UPDATE event_rows SET time_s = time_s + $1 WHERE run_pk = $2', [shift, this.pk]);
        }
        epoch = trueZero;
      }

      // From here to COMMIT, one writer at a time (see the header).
      await db.query('SELECT pg_advisory_xact_lock($1)', [LOCK_NAMING]);
      const { header, options } = this;
      const notes: string[] = [];
      let replaced: StoredRun | undefined;
      let id = header.id;
      if (options.replace) {
        const sameId = await findRunById(db, id);
        if (sameId) {
          await db.query('DELETE FROM runs WHERE pk = $1', [sameId.pk]);
          notes.push(`replaced run ${sameId.id}`);
          replaced = sameId;
        }
      }
      const sameContent = await findRunByHash(db, contentHash);
      if (sameContent && !options.replace) {
        await this.finish('ROLLBACK');
        return { status: 'existing', run: sameContent, notes: [] };
      }
      if (sameContent) {
        await db.query('DELETE FROM runs WHERE pk = $1', [sameContent.pk]);
        notes.push(`replaced run ${sameContent.id}`);
        replaced ??= sameContent;
      }
      if (!options.replace) {
        id = await freeRunId(header.id, async (candidate) => (await db.query('SELECT 1 FROM runs WHERE id = $1', [candidate])).rowCount! > 0);
        if (id !== header.id) notes.push(`a different run already has id ${header.id}; stored as ${id}`);
      }

      const capacity = header.capacity;
      const counts = this.counts.counts();
      await db.query(
        `UPDATE runs SET id = $1, label = $2, mode = $3, workflow = $4, content_hash = $5, epoch = $6, scheduled = $7,
                nodes = $8, cores_per_node = $9, gpus_per_node = $10, cores = $11, gpus = $12,
                tasks = $13, executed = $14, incomplete = $15, makespan_s = $16, outcomes = $17, warnings = $18
          WHERE pk = $19`,
        [
          id,
          options.label ?? replaced?.label ?? header.label ?? id,
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
        ],
      );
      const provenance = options.provenance ?? replaced?.provenance;
      if (provenance) await writeProvenance(db, this.pk, provenance);
      if (options.retype) await retypeTasksIn(db, this.pk, options.retype);
      else if (options.typeFrom) await db.query('UPDATE runs SET type_from = $1 WHERE pk = $2', [options.typeFrom, this.pk]);
      const run = (await findRunById(db, id))!;
      await this.finish('COMMIT');
      return { status: replaced ? 'replaced' : 'stored', run, notes };
    } catch (error) {
      await this.rollback();
      throw error;
    }
  }

  async rollback(): Promise<void> {
    if (!this.open) return;
    await this.tasks.abort();
    await this.finish('ROLLBACK');
  }

  private async finish(statement: 'COMMIT' | 'ROLLBACK'): Promise<void> {
    this.open = false;
    try {
      await this.db.query(statement);
    } catch (error) {
      if (statement === 'COMMIT') throw error;
    } finally {
      this.release();
    }
  }
}
