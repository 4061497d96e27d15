/**
 * The store in one SQLite file (better-sqlite3): the Store interface over the queries of runs.ts
 * and tasks.ts and the run writer. better-sqlite3 is synchronous; the promises the interface asks
 * for resolve at once.
 */
import type { RunHeader } from '../../run/parsed-run.js';
import type { Retype } from '../../run/task-details.js';
import type { StoredRun } from '../../run/stored-run.js';
import type { TextColumn } from '../../run/task-columns.js';
import { resolveRun, resolveRuns } from '../resolve-runs.js';
import type { EventFilter, OpenOptions, RunEdit, RunWrite, SaveResult, Store, WriteOptions } from '../store.js';
import { openDatabase, useWal, type Db } from './database.js';
import { RunWriter } from './run-writer.js';
import type { RunFilter } from '../../run/run-filter.js';
import { deleteRuns, editRun, findRunByHash, findRunById, findRuns, findRunsByLabel, listRuns, runNames, typeCounts } from './runs.js';
import { loadTaskDetails, loadTaskRanks, retypeTasks } from './task-details.js';
import { eventVocabulary, lastEventTime, loadEdges, loadEvents, loadTaskColumns, loadTasks, loadTaskUids } from './tasks.js';

export class SqliteStore implements Store {
  private constructor(
    readonly location: string,
    /** The better-sqlite3 connection: for the SQLite backend's own code and tests, not for callers of Store. */
    readonly db: Db,
    /** Created by a bulk write, still in the rollback journal: switched to WAL at close. */
    private walAtClose: boolean,
  ) {}

  /** Opens `file` (`:memory:` for a store in memory, always writable). */
  static open(file: string, options: OpenOptions): SqliteStore {
    const write = options.access === 'write';
    const { db, created } = openDatabase(file, {
      readOnly: !write,
      create: write && options.create === true,
      bulkWriteIfNew: write && options.bulkWrite === true,
      migrations: options.migrations,
    });
    return new SqliteStore(file, db, created && write && options.bulkWrite === true);
  }

  async listRuns() {
    return listRuns(this.db);
  }

  async findRunById(id: string) {
    return findRunById(this.db, id);
  }

  async findRunByHash(hash: string) {
    return findRunByHash(this.db, hash);
  }

  async findRunsByLabel(label: string) {
    return findRunsByLabel(this.db, label);
  }

  async findRuns(filter: RunFilter, label?: string) {
    return findRuns(this.db, filter, label);
  }

  async runNames() {
    return runNames(this.db);
  }

  resolveRuns(ref: string) {
    return resolveRuns(this, ref);
  }

  resolveRun(ref: string) {
    return resolveRun(this, ref);
  }

  async typeCounts(run: StoredRun) {
    return typeCounts(this.db, run);
  }

  async editRun(run: StoredRun, edit: RunEdit) {
    return editRun(this.db, run, edit);
  }

  async deleteRuns(runs: readonly StoredRun[]) {
    deleteRuns(this.db, runs);
  }

  async retypeTasks(run: Pick<StoredRun, 'pk'>, retype: Retype) {
    return retypeTasks(this.db, run.pk, retype);
  }

  async loadTasks(run: Pick<StoredRun, 'pk'>) {
    return loadTasks(this.db, run);
  }

  async loadTaskColumns(run: Pick<StoredRun, 'pk' | 'tasks'>, text: readonly TextColumn[]) {
    return loadTaskColumns(this.db, run, text);
  }

  async loadTaskUids(run: Pick<StoredRun, 'pk'>) {
    return loadTaskUids(this.db, run);
  }

  async loadEvents(run: Pick<StoredRun, 'pk'>, filter?: EventFilter) {
    return loadEvents(this.db, run, filter);
  }

  async eventVocabulary(run: Pick<StoredRun, 'pk'>) {
    return eventVocabulary(this.db, run);
  }

  async lastEventTime(run: Pick<StoredRun, 'pk'>) {
    return lastEventTime(this.db, run);
  }

  async loadEdges(run: Pick<StoredRun, 'pk'>) {
    return loadEdges(this.db, run);
  }

  async loadTaskDetails(run: Pick<StoredRun, 'pk'>) {
    return loadTaskDetails(this.db, run);
  }

  async loadTaskRanks(run: Pick<StoredRun, 'pk' | 'tasks'>) {
    return loadTaskRanks(this.db, run);
  }

  async beginRun(header: RunHeader, options: WriteOptions, knownHash?: string): Promise<RunWrite | SaveResult> {
    return RunWriter.begin(this.db, header, options, knownHash);
  }

  async close(): Promise<void> {
    if (!this.db.open) return;
    if (this.walAtClose) {
      this.walAtClose = false;
      // The ingest that created the file wrote it with the rollback journal (see openDatabase). If
      // another process is using it right now, that process has turned it to WAL or will when it
      // opens it, so being busy here is no failure.
      try {
        useWal(this.db);
      } catch (error) {
        if ((error as { code?: string }).code !== 'SQLITE_BUSY') throw error;
      }
    }
    this.db.close();
  }
}
