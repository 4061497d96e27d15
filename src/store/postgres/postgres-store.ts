/**
 * The store in a PostgreSQL database (node-postgres, one connection per store): a store a team
 * shares between CI runners and people. The Store interface over the queries of queries.ts and
 * the run writer; docs/store.md says what each method promises.
 */
import type { RunHeader } from '../../run/parsed-run.js';
import type { RunFilter } from '../../run/run-filter.js';
import type { StoredRun } from '../../run/stored-run.js';
import type { Retype } from '../../run/task-details.js';
import type { TextColumn } from '../../run/task-columns.js';
import { resolveRun, resolveRuns } from '../resolve-runs.js';
import type { EventFilter, OpenOptions, RunEdit, RunWrite, SaveResult, Store, WriteOptions } from '../store.js';
import { openConnection, type Connection } from './database.js';
import { redactLocation } from './location.js';
import * as q from './queries.js';
import { PostgresRunWriter } from './run-writer.js';
import { loadTaskDetails, loadTaskRanks, retypeTasksIn } from './task-details.js';

export class PostgresStore implements Store {
  /** A run being written holds the connection's transaction: nothing else may use it meanwhile. */
  private writing = false;

  private constructor(
    /** The URL without its password. */
    readonly location: string,
    /** The connection: for this backend's own code and tests, not for callers of Store. */
    readonly db: Connection,
    /** The schema version before opening (an opening for writing migrates). */
    readonly versionBefore: number,
    readonly version: number,
  ) {}

  static async open(location: string, options: OpenOptions): Promise<PostgresStore> {
    const opened = await openConnection(location, { readOnly: options.access === 'read', migrations: options.migrations });
    return new PostgresStore(redactLocation(location), opened.client, opened.before, opened.version);
  }

  private idle(): Connection {
    if (this.writing) throw new Error('PostgresStore: the store is in use by a run being written');
    return this.db;
  }

  listRuns() {
    return q.listRuns(this.idle());
  }

  findRunById(id: string) {
    return q.findRunById(this.idle(), id);
  }

  findRunByHash(hash: string) {
    return q.findRunByHash(this.idle(), hash);
  }

  findRunsByLabel(label: string) {
    return q.findRunsByLabel(this.idle(), label);
  }

  findRuns(filter: RunFilter, label?: string) {
    return q.findRuns(this.idle(), filter, label);
  }

  runNames() {
    return q.runNames(this.idle());
  }

  resolveRuns(ref: string) {
    return resolveRuns(this, ref);
  }

  resolveRun(ref: string) {
    return resolveRun(this, ref);
  }

  typeCounts(run: StoredRun) {
    return q.typeCounts(this.idle(), run);
  }

  editRun(run: StoredRun, edit: RunEdit) {
    return q.editRun(this.idle(), run, edit);
  }

  retypeTasks(run: Pick<StoredRun, 'pk'>, retype: Retype) {
    const db = this.idle();
    return q.inTransaction(db, () => retypeTasksIn(db, run.pk, retype));
  }

  loadTaskDetails(run: Pick<StoredRun, 'pk'>) {
    return loadTaskDetails(this.idle(), run);
  }

  loadTaskRanks(run: Pick<StoredRun, 'pk' | 'tasks'>) {
    return loadTaskRanks(this.idle(), run);
  }

  deleteRuns(runs: readonly StoredRun[]) {
    return q.deleteRuns(this.idle(), runs);
  }

  loadTasks(run: Pick<StoredRun, 'pk'>) {
    return q.loadTasks(this.idle(), run);
  }

  loadTaskColumns(run: Pick<StoredRun, 'pk' | 'tasks'>, text: readonly TextColumn[]) {
    return q.loadTaskColumns(this.idle(), run, text);
  }

  loadTaskUids(run: Pick<StoredRun, 'pk'>) {
    return q.loadTaskUids(this.idle(), run);
  }

  loadEvents(run: Pick<StoredRun, 'pk'>, filter?: EventFilter) {
    return q.loadEvents(this.idle(), run, filter);
  }

  eventVocabulary(run: Pick<StoredRun, 'pk'>) {
    return q.eventVocabulary(this.idle(), run);
  }

  lastEventTime(run: Pick<StoredRun, 'pk'>) {
    return q.lastEventTime(this.idle(), run);
  }

  loadEdges(run: Pick<StoredRun, 'pk'>) {
    return q.loadEdges(this.idle(), run);
  }

  async beginRun(header: RunHeader, options: WriteOptions, knownHash?: string): Promise<RunWrite | SaveResult> {
    const db = this.idle();
    this.writing = true;
    return PostgresRunWriter.begin(db, header, options, knownHash, () => (this.writing = false));
  }

  async close(): Promise<void> {
    await this.db.end().catch(() => {});
  }
}
