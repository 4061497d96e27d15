/**
 * Reading and changing stored runs (not their tasks): listing, finding a run by id or label,
 * editing metadata, deleting.
 */
import { distance } from 'fastest-levenshtein';
import { InputError } from '../errors.js';
import type { Db } from './database.js';
import type { Capacity } from '../run/capacity.js';
import type { RunMode, StoredRun } from '../run/stored-run.js';

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

/**
 * The runs a reference names: a run id names one run; a label names every run that carries it
 * (repeated runs of one benchmark share a label). Throws when nothing matches.
 */
export function resolveRuns(db: Db, ref: string): StoredRun[] {
  const byId = findRunById(db, ref);
  if (byId) return [byId];
  const byLabel = findRunsByLabel(db, ref);
  if (byLabel.length > 0) return byLabel;
  throw new InputError(`no run with id or label "${ref}"${suggestion(db, ref)}`);
}

/** Suffix naming the most recently imported run carrying a label: `nightly@latest`. */
export const LATEST_SUFFIX = '@latest';

/**
 * Exactly one run: by id, by a label only one run carries, or `LABEL@latest` for the most recently
 * imported run carrying LABEL (repeated runs share a label; a report or a comparison wants one).
 */
export function resolveRun(db: Db, ref: string): StoredRun {
  if (ref.endsWith(LATEST_SUFFIX) && !findRunById(db, ref) && findRunsByLabel(db, ref).length === 0) {
    const label = ref.slice(0, -LATEST_SUFFIX.length);
    const runs = findRunsByLabel(db, label);
    if (runs.length === 0) throw new InputError(`no run with label "${label}"${suggestion(db, label)}`);
    return runs[runs.length - 1];
  }
  const runs = resolveRuns(db, ref);
  if (runs.length > 1) {
    const ids = runs.map((run) => run.id);
    const shown = ids.length > 5 ? [...ids.slice(0, 5), '...'] : ids;
    throw new InputError(`label "${ref}" is carried by ${runs.length} runs (${shown.join(', ')}): name one by its id, or "${ref}${LATEST_SUFFIX}" for the latest`);
  }
  return runs[0];
}

/** "did you mean" for a mistyped reference: names within a few edits, or containing it. */
function suggestion(db: Db, ref: string): string {
  const names = db.prepare('SELECT id AS name FROM runs UNION SELECT label FROM runs').pluck().all() as string[];
  if (names.length === 0) return ': the database holds no runs yet (see asyncscope ingest)';
  const lower = ref.toLowerCase();
  const close = names.filter((name) => {
    const other = name.toLowerCase();
    return other.includes(lower) || distance(other, lower) <= Math.max(1, Math.floor(lower.length / 4));
  });
  if (close.length > 0 && close.length <= 5) return ` (did you mean ${close.map((n) => `"${n}"`).join(' or ')}?)`;
  return ' (see asyncscope runs)';
}

/** Deletes a run with its tasks and events (foreign keys cascade). */
export function deleteRun(db: Db, run: StoredRun): void {
  db.prepare('DELETE FROM runs WHERE pk = ?').run(run.pk);
}

export interface RunEdit {
  label?: string;
  mode?: RunMode;
  workflow?: string | null;
  capacity?: Partial<Capacity>;
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

/** Task counts per type of one run, for `runs show`. */
export interface TypeCount {
  type: string;
  tasks: number;
  executed: number;
  incomplete: number;
  cores: string;
  gpus: string;
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

/** "4", "4-16", or "?" when unknown: resources per task of a group. */
export function range(min: number | null, max: number | null): string {
  if (min === null || max === null) return '?';
  return min === max ? `${min}` : `${min}-${max}`;
}
