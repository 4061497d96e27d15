/**
 * Reading and changing stored runs and reading what they hold, on PostgreSQL: the queries of
 * sqlite/runs.ts and sqlite/tasks.ts in PostgreSQL's spelling ($n parameters, COUNT FILTER for
 * SQLite's sums of booleans, COLLATE "C" where text is ordered, so that the order is SQLite's
 * byte order whatever the database's locale). Rows come as arrays where there are many of them.
 */
import { EdgeTable } from '../../run/edge-table.js';
import { EventTable } from '../../run/event-table.js';
import type { Provenance } from '../../run/provenance.js';
import type { RunFilter, WhereField } from '../../run/run-filter.js';
import { range, type StoredRun, type TypeCount } from '../../run/stored-run.js';
import type { TaskColumns, TextColumn } from '../../run/task-columns.js';
import { isNumeric, TASK_FIELDS } from '../../run/task-fields.js';
import { TaskTable } from '../../run/task-table.js';
import { fromRow, runEditColumns, type RunRow } from '../run-row.js';
import type { EventFilter, EventVocabulary, RunEdit } from '../store.js';
import type { Connection } from './database.js';

const num = (value: unknown): number => (value === null ? NaN : (value as number));

/** Runs from a query of `runs`, with their --meta pairs. */
async function runs(db: Connection, where: string, params: unknown[]): Promise<StoredRun[]> {
  const found = (await db.query<RunRow>(`SELECT * FROM runs ${where}`, params)).rows.map(fromRow);
  if (found.length === 0) return found;
  const byPk = new Map(found.map((run) => [run.pk, run]));
  const meta = await db.query<{ run_pk: number; key: string; value: string }>(
    'SELECT run_pk, key, value FROM run_meta WHERE run_pk = ANY($1::bigint[]) ORDER BY run_pk, key COLLATE "C"',
    [found.map((run) => run.pk)],
  );
  for (const m of meta.rows) byPk.get(m.run_pk)!.provenance.meta[m.key] = m.value;
  return found;
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
export function findRuns(db: Connection, filter: RunFilter, label?: string): Promise<StoredRun[]> {
  const conditions: string[] = [];
  const values: unknown[] = [];
  const param = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  if (label !== undefined) conditions.push(`label = ${param(label)}`);
  if (filter.since !== null) conditions.push(`imported_at >= ${param(filter.since)}`);
  for (const w of filter.where) {
    if ('meta' in w) {
      conditions.push(`EXISTS (SELECT 1 FROM run_meta m WHERE m.run_pk = runs.pk AND m.key = ${param(w.meta)} AND m.value = ${param(w.value)})`);
    } else if (w.field === 'commit') {
      // A prefix, ignoring case; LIKE's wildcards in the value are escaped.
      conditions.push(`LOWER(commit_sha) LIKE ${param(`${w.value.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`)} ESCAPE '\\'`);
    } else {
      conditions.push(`${WHERE_COLUMN[w.field]} = ${param(w.value)}`);
    }
  }
  return runs(db, `${conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''} ORDER BY pk`, values);
}

/** Sets (a string) or removes (null) --meta pairs of a run. */
export async function writeMeta(db: Connection, pk: number, meta: Readonly<Record<string, string | null>>): Promise<void> {
  for (const [key, value] of Object.entries(meta)) {
    if (value === null) await db.query('DELETE FROM run_meta WHERE run_pk = $1 AND key = $2', [pk, key]);
    else await db.query('INSERT INTO run_meta (run_pk, key, value) VALUES ($1, $2, $3) ON CONFLICT (run_pk, key) DO UPDATE SET value = excluded.value', [pk, key, value]);
  }
}

/** Writes a run's provenance (at ingest, inside the run's transaction). */
export async function writeProvenance(db: Connection, pk: number, provenance: Provenance): Promise<void> {
  await db.query('UPDATE runs SET commit_sha = $1, commit_title = $2, branch = $3, ci = $4, job_url = $5, host = $6, asyncscope_version = $7 WHERE pk = $8', [
    provenance.commit,
    provenance.commit_title,
    provenance.branch,
    provenance.ci,
    provenance.job_url,
    provenance.host,
    provenance.asyncscope_version,
    pk,
  ]);
  await writeMeta(db, pk, provenance.meta);
}

export function listRuns(db: Connection): Promise<StoredRun[]> {
  return runs(db, 'ORDER BY pk', []);
}

export async function findRunById(db: Connection, id: string): Promise<StoredRun | undefined> {
  return (await runs(db, 'WHERE id = $1', [id]))[0];
}

export async function findRunByHash(db: Connection, hash: string): Promise<StoredRun | undefined> {
  return (await runs(db, 'WHERE content_hash = $1', [hash]))[0];
}

export function findRunsByLabel(db: Connection, label: string): Promise<StoredRun[]> {
  return runs(db, 'WHERE label = $1 ORDER BY pk', [label]);
}

export async function runNames(db: Connection): Promise<string[]> {
  return (await db.query<{ name: string }>('SELECT name FROM (SELECT id AS name FROM runs UNION SELECT label FROM runs) AS names ORDER BY name COLLATE "C"')).rows.map((row) => row.name);
}

/** Runs `work` in a transaction: all of it, or (on any error) none. */
export async function inTransaction<T>(db: Connection, work: () => Promise<T>): Promise<T> {
  await db.query('BEGIN');
  try {
    const result = await work();
    await db.query('COMMIT');
    return result;
  } catch (error) {
    await db.query('ROLLBACK').catch(() => {});
    throw error;
  }
}

/** Deletes runs with their tasks, events and dependencies (foreign keys cascade), all or none. */
export async function deleteRuns(db: Connection, toDelete: readonly StoredRun[]): Promise<void> {
  await inTransaction(db, async () => {
    await db.query('DELETE FROM runs WHERE pk = ANY($1::bigint[])', [toDelete.map((run) => run.pk)]);
  });
}

export async function editRun(db: Connection, run: StoredRun, edit: RunEdit): Promise<StoredRun> {
  const sets = runEditColumns(edit);
  await inTransaction(db, async () => {
    if (sets.length > 0) {
      await db.query(`UPDATE runs SET ${sets.map(([column], k) => `${column} = $${k + 1}`).join(', ')} WHERE pk = $${sets.length + 1}`, [
        ...sets.map(([, value]) => value),
        run.pk,
      ]);
    }
    await writeMeta(db, run.pk, edit.provenance?.meta ?? {});
  });
  return (await findRunById(db, run.id))!;
}

export async function typeCounts(db: Connection, run: StoredRun): Promise<TypeCount[]> {
  const { rows } = await db.query<{
    type: string;
    tasks: number;
    executed: number;
    incomplete: number;
    min_cores: number | null;
    max_cores: number | null;
    min_gpus: number | null;
    max_gpus: number | null;
  }>(
    `SELECT type,
            COUNT(*) AS tasks,
            COUNT(*) FILTER (WHERE start_s IS NOT NULL AND end_s IS NOT NULL) AS executed,
            COUNT(*) FILTER (WHERE start_s IS NOT NULL AND end_s IS NULL) AS incomplete,
            MIN(cores) AS min_cores, MAX(cores) AS max_cores,
            MIN(gpus) AS min_gpus, MAX(gpus) AS max_gpus
       FROM tasks WHERE run_pk = $1 GROUP BY type ORDER BY MIN(COALESCE(start_s, 1e300)), type COLLATE "C"`,
    [run.pk],
  );
  return rows.map((row) => ({
    type: row.type,
    tasks: row.tasks,
    executed: row.executed,
    incomplete: row.incomplete,
    cores: range(row.min_cores, row.max_cores),
    gpus: range(row.min_gpus, row.max_gpus),
  }));
}

async function arrays(db: Connection, text: string, values: unknown[]): Promise<unknown[][]> {
  return (await db.query<unknown[]>({ text, values, rowMode: 'array' })).rows;
}

export async function loadTasks(db: Connection, run: Pick<StoredRun, 'pk'>): Promise<TaskTable> {
  const table = new TaskTable();
  const rows = await arrays(db, `SELECT ${TASK_FIELDS.map((field) => field.column).join(', ')} FROM tasks WHERE run_pk = $1 ORDER BY idx`, [run.pk]);
  const text = TASK_FIELDS.flatMap((field, k) => (isNumeric(field) ? [] : [k]));
  const numbers = TASK_FIELDS.flatMap((field, k) => (isNumeric(field) ? [k] : []));
  const textColumns = text.map((k) => table[TASK_FIELDS[k].name] as unknown[]);
  const numberColumns = numbers.map((k) => table[TASK_FIELDS[k].name] as number[]);
  for (const row of rows) {
    for (let j = 0; j < text.length; j++) textColumns[j].push(row[text[j]]);
    for (let j = 0; j < numbers.length; j++) numberColumns[j].push(num(row[numbers[j]]));
  }
  return table;
}

export async function loadTaskColumns(db: Connection, run: Pick<StoredRun, 'pk' | 'tasks'>, text: readonly TextColumn[]): Promise<TaskColumns> {
  const wanted = new Set(text);
  const names: TextColumn[] = (['type', 'stage', 'pipeline'] as const).filter((column) => wanted.has(column));
  const rows = await arrays(db, `SELECT start_s, end_s, cores, gpus${names.map((name) => `, ${name}`).join('')} FROM tasks WHERE run_pk = $1 ORDER BY idx`, [run.pk]);
  const n = rows.length;
  const start = new Float64Array(n);
  const end = new Float64Array(n);
  const cores = new Float64Array(n);
  const gpus = new Float64Array(n);
  const columns: Record<TextColumn, (string | null)[]> = { type: [], stage: [], pipeline: [] };
  const picked = names.map((name) => (columns[name] = new Array<string | null>(n)));
  for (let i = 0; i < n; i++) {
    const row = rows[i];
    start[i] = num(row[0]);
    end[i] = num(row[1]);
    cores[i] = num(row[2]);
    gpus[i] = num(row[3]);
    for (let k = 0; k < picked.length; k++) picked[k][i] = row[4 + k] as string | null;
  }
  return { length: n, start, end, cores, gpus, type: columns.type as string[], stage: columns.stage, pipeline: columns.pipeline };
}

export async function loadTaskUids(db: Connection, run: Pick<StoredRun, 'pk'>): Promise<string[]> {
  return (await arrays(db, 'SELECT uid FROM tasks WHERE run_pk = $1 ORDER BY idx', [run.pk])).map((row) => row[0] as string);
}

export async function lastEventTime(db: Connection, run: Pick<StoredRun, 'pk'>): Promise<number | null> {
  return ((await arrays(db, 'SELECT MAX(time_s) FROM events WHERE run_pk = $1', [run.pk]))[0][0] as number | null) ?? null;
}

export async function loadEvents(db: Connection, run: Pick<StoredRun, 'pk'>, filter: EventFilter = {}): Promise<EventTable> {
  const table = new EventTable();
  const conditions: string[] = [];
  const params: unknown[] = [run.pk];
  if (filter.names && filter.names.length > 0) {
    params.push([...filter.names]);
    conditions.push(`event = ANY($${params.length}::text[])`);
  }
  if (filter.states && filter.states.length > 0) {
    params.push([...filter.states]);
    conditions.push(`state = ANY($${params.length}::text[])`);
  }
  const where = conditions.length > 0 ? ` AND (${conditions.join(' OR ')})` : '';
  for (const row of await arrays(db, `SELECT task_idx, event, state, time_s FROM events WHERE run_pk = $1${where} ORDER BY task_idx, seq`, params)) {
    table.push(row[0] as number, row[1] as string, row[2] as string | null, row[3] as number);
  }
  return table;
}

export async function eventVocabulary(db: Connection, run: Pick<StoredRun, 'pk'>): Promise<EventVocabulary> {
  const events = new Map<string, number>();
  const states = new Map<string, number>();
  for (const row of await arrays(db, 'SELECT event, COUNT(DISTINCT task_idx) FROM events WHERE run_pk = $1 GROUP BY event ORDER BY event COLLATE "C"', [run.pk])) {
    events.set(row[0] as string, row[1] as number);
  }
  for (const row of await arrays(db, 'SELECT state, COUNT(DISTINCT task_idx) FROM events WHERE run_pk = $1 AND state IS NOT NULL GROUP BY state ORDER BY state COLLATE "C"', [run.pk])) {
    states.set(row[0] as string, row[1] as number);
  }
  return { events, states };
}

export async function loadEdges(db: Connection, run: Pick<StoredRun, 'pk'>): Promise<EdgeTable> {
  const table = new EdgeTable();
  for (const row of await arrays(db, 'SELECT parent_idx, child_idx FROM task_edges WHERE run_pk = $1 ORDER BY child_idx, parent_idx', [run.pk])) {
    table.push(row[0] as number, row[1] as number);
  }
  return table;
}
