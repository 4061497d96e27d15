/**
 * The `task_details` table (docs/schema.md): what a trace says of a task besides its row, and
 * changing a run's task types by a rule (`ingest --type-from`, `runs edit --type-from`) in SQL.
 */
import type { StoredRun } from '../../run/stored-run.js';
import { StoredTaskDetails, type Retype } from '../../run/task-details.js';
import type { Db } from './database.js';

const RETYPE_FUNCTION = 'asyncscope_task_type';
/** The rule the SQL function applies; set only while `retypeTasks` runs its statement (better-sqlite3 is synchronous). */
let current: Retype | null = null;
const registered = new WeakSet<Db>();

function register(db: Db): void {
  if (registered.has(db)) return;
  db.function(RETYPE_FUNCTION, { deterministic: true }, (uid: unknown, name: unknown, stage: unknown, traceType: unknown, executable: unknown, stageName: unknown) =>
    current!.typeOf({
      uid: uid as string,
      name: name as string | null,
      stage: stage as string | null,
      traceType: traceType as string,
      executable: executable as string | null,
      stageName: stageName as string | null,
    }),
  );
  registered.add(db);
}

/**
 * Sets the types of a run's tasks by a rule, in the caller's transaction (an ingest's) or in one
 * of its own. Every task first gets a details row keeping the type its trace gave, unless it has
 * one. Returns the number of distinct types the run then has.
 */
export function retypeTasks(db: Db, runPk: number, retype: Retype): number {
  const apply = () => {
    db.prepare('INSERT OR IGNORE INTO task_details (run_pk, task_idx, trace_type) SELECT run_pk, idx, type FROM tasks WHERE run_pk = ?').run(runPk);
    register(db);
    current = retype;
    try {
      db.prepare(
        `UPDATE tasks SET type = ${RETYPE_FUNCTION}(tasks.uid, tasks.name, tasks.stage, d.trace_type, d.executable, d.stage_name)
           FROM task_details AS d
          WHERE tasks.run_pk = ? AND d.run_pk = tasks.run_pk AND d.task_idx = tasks.idx`,
      ).run(runPk);
    } finally {
      current = null;
    }
    db.prepare('UPDATE runs SET type_from = ? WHERE pk = ?').run(retype.rule, runPk);
  };
  if (db.inTransaction) apply();
  else db.transaction(apply).immediate();
  return db.prepare('SELECT COUNT(DISTINCT type) FROM tasks WHERE run_pk = ?').pluck().get(runPk) as number;
}

/** Ranks of every task by index (1 where the trace does not say). */
export function loadTaskRanks(db: Db, run: Pick<StoredRun, 'pk' | 'tasks'>): Int32Array {
  const ranks = new Int32Array(run.tasks).fill(1);
  const rows = db.prepare('SELECT task_idx, ranks FROM task_details WHERE run_pk = ? AND ranks > 1').raw();
  for (const [idx, r] of rows.iterate(run.pk) as IterableIterator<[number, number]>) if (idx < ranks.length) ranks[idx] = r;
  return ranks;
}

/** Every details row of a run, by task index (NULL ranks as NaN). */
export function loadTaskDetails(db: Db, run: Pick<StoredRun, 'pk'>): StoredTaskDetails {
  const details = new StoredTaskDetails();
  const rows = db.prepare('SELECT task_idx, trace_type, executable, stage_name, ranks FROM task_details WHERE run_pk = ? ORDER BY task_idx').raw();
  for (const [idx, traceType, executable, stageName, ranks] of rows.iterate(run.pk) as IterableIterator<[number, string, string | null, string | null, number | null]>) {
    details.add(idx, traceType, executable, stageName, ranks ?? NaN);
  }
  return details;
}
