/**
 * Reading and changing stored runs (not their tasks): listing, finding a run by id, label or
 * content, editing metadata, deleting.
 */
import type { OutcomeCounts } from '../../run/outcome.js';
import { range, type RunMode, type StoredRun, type TypeCount } from '../../run/stored-run.js';
import type { RunEdit } from '../store.js';
import type { Db } from './database.js';

interface RunRow {
  pk: number;
  id: string;
  label: string;
  mode: RunMode;
  workflow: string | null;
  format: string;
  source: string;
  content_hash: string;
  imported_at: string;
  epoch: number | null;
  scheduled: number;
  nodes: number | null;
  cores_per_node: number | null;
  gpus_per_node: number | null;
  cores: number | null;
  gpus: number | null;
  tasks: number;
  executed: number;
  incomplete: number;
  makespan_s: number | null;
  outcomes: string;
  warnings: string;
}

function fromRow(row: RunRow): StoredRun {
  return {
    pk: row.pk,
    id: row.id,
    label: row.label,
    mode: row.mode,
    workflow: row.workflow,
    format: row.format,
    source: row.source,
    contentHash: row.content_hash,
    importedAt: row.imported_at,
    epoch: row.epoch,
    scheduled: row.scheduled === 1,
    capacity: {
      nodes: row.nodes,
      coresPerNode: row.cores_per_node,
      gpusPerNode: row.gpus_per_node,
      cores: row.cores,
      gpus: row.gpus,
    },
    tasks: row.tasks,
    executed: row.executed,
    incomplete: row.incomplete,
    makespanS: row.makespan_s,
    outcomes: JSON.parse(row.outcomes) as OutcomeCounts,
    warnings: JSON.parse(row.warnings) as string[],
  };
}

/** Every stored run, oldest import first. */
export function listRuns(db: Db): StoredRun[] {
  return (db.prepare('SELECT * FROM runs ORDER BY pk').all() as RunRow[]).map(fromRow);
}

export function findRunById(db: Db, id: string): StoredRun | undefined {
  const row = db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as RunRow | undefined;
  return row && fromRow(row);
}

export function findRunByHash(db: Db, hash: string): StoredRun | undefined {
  const row = db.prepare('SELECT * FROM runs WHERE content_hash = ?').get(hash) as RunRow | undefined;
  return row && fromRow(row);
}

export function findRunsByLabel(db: Db, label: string): StoredRun[] {
  return (db.prepare('SELECT * FROM runs WHERE label = ? ORDER BY pk').all(label) as RunRow[]).map(fromRow);
}

/** Every run id and label (for "did you mean"). */
export function runNames(db: Db): string[] {
  return db.prepare('SELECT id AS name FROM runs UNION SELECT label FROM runs').pluck().all() as string[];
}

/** Deletes runs with their tasks and events (foreign keys cascade), in one transaction. */
export function deleteRuns(db: Db, runs: readonly StoredRun[]): void {
  const remove = db.prepare('DELETE FROM runs WHERE pk = ?');
  db.transaction(() => runs.forEach((run) => remove.run(run.pk)))();
}

/** Changes a run's metadata; returns the run as now stored. */
export function editRun(db: Db, run: StoredRun, edit: RunEdit): StoredRun {
  const sets: string[] = [];
  const values: unknown[] = [];
  const set = (column: string, value: unknown) => {
    sets.push(`${column} = ?`);
    values.push(value);
  };
  if (edit.label !== undefined) set('label', edit.label);
  if (edit.mode !== undefined) set('mode', edit.mode);
  if (edit.workflow !== undefined) set('workflow', edit.workflow);
  const capacity = edit.capacity ?? {};
  if (capacity.nodes !== undefined) set('nodes', capacity.nodes);
  if (capacity.coresPerNode !== undefined) set('cores_per_node', capacity.coresPerNode);
  if (capacity.gpusPerNode !== undefined) set('gpus_per_node', capacity.gpusPerNode);
  if (capacity.cores !== undefined) set('cores', capacity.cores);
  if (capacity.gpus !== undefined) set('gpus', capacity.gpus);
  if (sets.length > 0) db.prepare(`UPDATE runs SET ${sets.join(', ')} WHERE pk = ?`).run(...values, run.pk);
  return findRunById(db, run.id)!;
}

export function typeCounts(db: Db, run: StoredRun): TypeCount[] {
  const rows = db
    .prepare(
      `SELECT type,
              COUNT(*) AS tasks,
              SUM(start_s IS NOT NULL AND end_s IS NOT NULL) AS executed,
              SUM(start_s IS NOT NULL AND end_s IS NULL) AS incomplete,
              MIN(cores) AS min_cores, MAX(cores) AS max_cores,
              MIN(gpus) AS min_gpus, MAX(gpus) AS max_gpus
         FROM tasks WHERE run_pk = ? GROUP BY type ORDER BY MIN(COALESCE(start_s, 1e300)), type`,
    )
    .all(run.pk) as {
    type: string;
    tasks: number;
    executed: number;
    incomplete: number;
    min_cores: number | null;
    max_cores: number | null;
    min_gpus: number | null;
    max_gpus: number | null;
  }[];
  return rows.map((row) => ({
    type: row.type,
    tasks: row.tasks,
    executed: row.executed,
    incomplete: row.incomplete,
    cores: range(row.min_cores, row.max_cores),
    gpus: range(row.min_gpus, row.max_gpus),
  }));
}
