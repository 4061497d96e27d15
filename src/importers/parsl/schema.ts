/**
 * The two generations of Parsl's monitoring database (parsl/monitoring/db_manager.py), told apart
 * by their tables, since Parsl records no schema version:
 *
 * - older, Parsl <= 1.0: one `task` row per task with its last try folded in (task_time_submitted,
 *   task_time_running, task_time_returned, hostname); earlier tries only in `status`;
 * - newer, Parsl >= 1.1 (commit 496a8eb52, 2020): a `try` table, one row per try with its
 *   task_try_time_launched/running/returned; `task` keeps task_time_invoked and task_time_returned.
 *
 * Columns added later (try.block_id, task.task_fail_cost, ...) are not needed, so any database of
 * either generation reads. traces/parsl/README.md has the full history.
 */
import { TraceError } from '../../errors.js';
import type { ForeignDatabase } from '../../store/foreign-sqlite.js';

export type ParslSchema = 'newer' | 'older';

/** The tables that make a file a Parsl monitoring database (detection). */
export const PARSL_TABLES = ['workflow', 'task', 'status'] as const;

const WORKFLOW = ['run_id', 'workflow_name', 'time_began', 'time_completed'];
const NEWER = {
  task: ['task_id', 'run_id', 'task_depends', 'task_func_name', 'task_time_invoked', 'task_time_returned'],
  try: ['try_id', 'task_id', 'run_id', 'hostname', 'task_try_time_launched', 'task_try_time_running', 'task_try_time_returned', 'task_fail_history'],
  status: ['task_id', 'task_status_name', 'timestamp', 'run_id', 'try_id'],
};
const OLDER = {
  task: ['task_id', 'run_id', 'task_depends', 'task_func_name', 'task_time_submitted', 'task_time_running', 'task_time_returned', 'hostname'],
  status: ['task_id', 'task_status_name', 'timestamp', 'run_id'],
};

/** Whether a database's tables are Parsl's. */
export function looksLikeParsl(tables: readonly string[]): boolean {
  return PARSL_TABLES.every((table) => tables.includes(table));
}

/** Which generation a database is; a TraceError naming what was found when it is neither. */
export function parslSchema(db: ForeignDatabase): ParslSchema {
  const tables = db.tables();
  if (!looksLikeParsl(tables)) {
    throw new TraceError(db.display, `not a Parsl monitoring database: it has no ${PARSL_TABLES.filter((t) => !tables.includes(t)).join(', ')} table (tables: ${shown(tables)})`);
  }
  const lacks = (table: string, columns: readonly string[]) => columns.filter((column) => !db.columns(table).includes(column));
  const workflowLacks = lacks('workflow', WORKFLOW);
  if (db.hasTable('try')) {
    const missing = [
      ...workflowLacks.map((c) => `workflow.${c}`),
      ...Object.entries(NEWER).flatMap(([table, columns]) => lacks(table, columns).map((c) => `${table}.${c}`)),
    ];
    if (missing.length === 0) return 'newer';
    throw unknown(db, `a "try" table as Parsl >= 1.1 writes, but without ${missing.join(', ')}`);
  }
  const missing = [
    ...workflowLacks.map((c) => `workflow.${c}`),
    ...Object.entries(OLDER).flatMap(([table, columns]) => lacks(table, columns).map((c) => `${table}.${c}`)),
  ];
  if (missing.length === 0) return 'older';
  throw unknown(db, `no "try" table (as Parsl <= 1.0) and no ${missing.join(', ')}`);
}

function unknown(db: ForeignDatabase, found: string): TraceError {
  return new TraceError(
    db.display,
    `a Parsl monitoring database of a schema this reader does not know: ${found} (task columns: ${shown(db.columns('task'))}); ` +
      'it reads the schemas of Parsl 1.0 and of Parsl 1.1 to today',
  );
}

function shown(names: readonly string[]): string {
  return names.length > 12 ? `${names.slice(0, 12).join(', ')}, ...` : names.join(', ') || 'none';
}
