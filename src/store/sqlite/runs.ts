/**
 * Reading and changing stored runs (not their tasks): listing, finding a run by id, label or
 * content, editing metadata, deleting.
 */
import type { Provenance } from '../../run/provenance.js';
import type { RunFilter, WhereField } from '../../run/run-filter.js';
import { range, type StoredRun, type TypeCount } from '../../run/stored-run.js';
import { fromRow, type RunRow } from '../run-row.js';
import type { RunEdit } from '../store.js';
import type { Db } from './database.js';

/** Runs from rows, with their --meta pairs. */
function runsOf(db: Db, rows: RunRow[]): StoredRun[] {
  const runs = rows.map(fromRow);
  const byPk = new Map(runs.map((r) => [r.pk, r]));
  const select = db.prepare('SELECT run_pk, key, value FROM run_meta WHERE run_pk IN (SELECT value FROM json_each(?)) ORDER BY run_pk, key');
  // In chunks: one JSON array parameter per query, however many runs.
  for (let i = 0; i < runs.length; i += 1000) {
    const pks = JSON.stringify(runs.slice(i, i + 1000).map((r) => r.pk));
    for (const m of select.all(pks) as { run_pk: number; key: string; value: string }[]) byPk.get(m.run_pk)!.provenance.meta[m.key] = m.value;
  }
  return runs;
}

/** Every stored run, oldest import first. */
export function listRuns(db: Db): StoredRun[] {
  return runsOf(db, db.prepare('SELECT * FROM runs ORDER BY pk').all() as RunRow[]);
}

export function findRunById(db: Db, id: string): StoredRun | undefined {
  const row = db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as RunRow | undefined;
  return row && runsOf(db, [row])[0];
}

export function findRunByHash(db: Db, hash: string): StoredRun | undefined {
  const row = db.prepare('SELECT * FROM runs WHERE content_hash = ?').get(hash) as RunRow | undefined;
  return row && runsOf(db, [row])[0];
}

export function findRunsByLabel(db: Db, label: string): StoredRun[] {
  return runsOf(db, db.prepare('SELECT * FROM runs WHERE label = ? ORDER BY pk').all(label) as RunRow[]);
}

/** The column of each --where field (fixed names: no user text ever becomes SQL). */
const WHERE_COLUMN: Record<WhereField, string> = {
  id: 'id',
  label: 'label',
  mode: 'mode',
  workflow: 'workflow',
  format: 'format',
  commit: 'commit_sha',
  commit_title: 'commit_title',
  branch: 'branch',
  ci: 'ci',
  job_url: 'job_url',
  host: 'host',
  asyncscope_version: 'asyncscope_version',
};

/** The runs matching a filter (and carrying `label`, when given), oldest import first. */
export function findRuns(db: Db, filter: RunFilter, label?: string): StoredRun[] {
  const conditions: string[] = [];
  const values: unknown[] = [];
  if (label !== undefined) {
    conditions.push('label = ?');
    values.push(label);
  }
  if (filter.since !== null) {
    conditions.push('imported_at >= ?');
    values.push(filter.since);
  }
  for (const w of filter.where) {
    if ('meta' in w) {
      conditions.push('EXISTS (SELECT 1 FROM run_meta m WHERE m.run_pk = runs.pk AND m.key = ? AND m.value = ?)');
      values.push(w.meta, w.value);
    } else if (w.field === 'commit') {
      // A prefix, ignoring case; LIKE's wildcards in the value are escaped.
      conditions.push("LOWER(commit_sha) LIKE ? ESCAPE '\\'");
      values.push(`${w.value.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    } else {
      conditions.push(`${WHERE_COLUMN[w.field]} = ?`);
      values.push(w.value);
    }
  }
  const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
  return runsOf(db, db.prepare(`SELECT * FROM runs ${where} ORDER BY pk`).all(...values) as RunRow[]);
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
  const fields = edit.provenance?.fields ?? {};
  const column: Record<string, string> = { commit: 'commit_sha', commit_title: 'commit_title', branch: 'branch', ci: 'ci', job_url: 'job_url', host: 'host' };
  for (const [field, value] of Object.entries(fields)) if (value !== undefined && column[field]) set(column[field], value);
  db.transaction(() => {
    if (sets.length > 0) db.prepare(`UPDATE runs SET ${sets.join(', ')} WHERE pk = ?`).run(...values, run.pk);
    writeMeta(db, run.pk, edit.provenance?.meta ?? {});
  })();
  return findRunById(db, run.id)!;
}

/** Sets (a string) or removes (null) --meta pairs of a run. */
export function writeMeta(db: Db, pk: number, meta: Readonly<Record<string, string | null>>): void {
  const upsert = db.prepare('INSERT INTO run_meta (run_pk, key, value) VALUES (?, ?, ?) ON CONFLICT (run_pk, key) DO UPDATE SET value = excluded.value');
  const remove = db.prepare('DELETE FROM run_meta WHERE run_pk = ? AND key = ?');
  for (const [key, value] of Object.entries(meta)) {
    if (value === null) remove.run(pk, key);
    else upsert.run(pk, key, value);
  }
}

/** Writes a run's provenance (at ingest). */
export function writeProvenance(db: Db, pk: number, provenance: Provenance): void {
  db.prepare('UPDATE runs SET commit_sha = ?, commit_title = ?, branch = ?, ci = ?, job_url = ?, host = ?, asyncscope_version = ? WHERE pk = ?').run(
    provenance.commit,
    provenance.commit_title,
    provenance.branch,
    provenance.ci,
    provenance.job_url,
    provenance.host,
    provenance.asyncscope_version,
    pk,
  );
  writeMeta(db, pk, provenance.meta);
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
