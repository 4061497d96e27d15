/**
 * The `task_details` table on PostgreSQL (docs/schema.md; sqlite/task-details.ts is SQLite's):
 * changing a run's task types by a rule (`ingest --type-from`, `runs edit --type-from`), and the
 * tasks' ranks. The rule is JavaScript, so the types are computed here and written back in batches.
 */
import type { StoredRun } from '../../run/stored-run.js';
import { StoredTaskDetails, type Retype } from '../../run/task-details.js';
import type { Connection } from './database.js';

const BATCH = 50_000;

/**
 * Sets the types of a run's tasks by a rule, in the caller's transaction. Every task first gets a
 * details row keeping the type its trace gave, unless it has one. Returns the number of distinct
 * types the run then has.
 */
export async function retypeTasksIn(db: Connection, runPk: number, retype: Retype): Promise<number> {
  await db.query('INSERT INTO task_details (run_pk, task_idx, trace_type) SELECT run_pk, idx, type FROM tasks WHERE run_pk = $1 ON CONFLICT DO NOTHING', [runPk]);
  const { rows } = await db.query<{ idx: number; uid: string; name: string | null; stage: string | null; trace_type: string; executable: string | null; stage_name: string | null }>(
    `SELECT t.idx, t.uid, t.name, t.stage, d.trace_type, d.executable, d.stage_name
       FROM tasks AS t JOIN task_details AS d ON d.run_pk = t.run_pk AND d.task_idx = t.idx
      WHERE t.run_pk = $1 ORDER BY t.idx`,
    [runPk],
  );
  for (let from = 0; from < rows.length; from += BATCH) {
    const batch = rows.slice(from, from + BATCH);
    const idx = batch.map((row) => row.idx);
    const type = batch.map((row) =>
      retype.typeOf({ uid: row.uid, name: row.name, stage: row.stage, traceType: row.trace_type, executable: row.executable, stageName: row.stage_name }),
    );
    await db.query(
      `UPDATE tasks SET type = v.type FROM (SELECT unnest($2::integer[]) AS idx, unnest($3::text[]) AS type) AS v
        WHERE tasks.run_pk = $1 AND tasks.idx = v.idx`,
      [runPk, idx, type],
    );
  }
  await db.query('UPDATE runs SET type_from = $1 WHERE pk = $2', [retype.rule, runPk]);
  const count = await db.query<{ n: string | number }>('SELECT COUNT(DISTINCT type) AS n FROM tasks WHERE run_pk = $1', [runPk]);
  return Number(count.rows[0].n);
}

/** Ranks of every task by index (1 where the trace does not say). */
export async function loadTaskRanks(db: Connection, run: Pick<StoredRun, 'pk' | 'tasks'>): Promise<Int32Array> {
  const ranks = new Int32Array(run.tasks).fill(1);
  const { rows } = await db.query<{ task_idx: number; ranks: number }>('SELECT task_idx, ranks FROM task_details WHERE run_pk = $1 AND ranks > 1', [run.pk]);
  for (const row of rows) if (row.task_idx < ranks.length) ranks[row.task_idx] = row.ranks;
  return ranks;
}

/** Every details row of a run, by task index (NULL ranks as NaN). */
export async function loadTaskDetails(db: Connection, run: Pick<StoredRun, 'pk'>): Promise<StoredTaskDetails> {
  const details = new StoredTaskDetails();
  const { rows } = await db.query<{ task_idx: number; trace_type: string; executable: string | null; stage_name: string | null; ranks: number | null }>(
    'SELECT task_idx, trace_type, executable, stage_name, ranks FROM task_details WHERE run_pk = $1 ORDER BY task_idx',
    [run.pk],
  );
  for (const row of rows) details.add(row.task_idx, row.trace_type, row.executable, row.stage_name, row.ranks ?? NaN);
  return details;
}
