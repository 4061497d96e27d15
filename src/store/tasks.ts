/**
 * Reading a stored run's tasks, profile events and task dependencies back into columns.
 * Rows are read in raw (array) mode: at a million tasks, building one object per row would
 * cost more than the query.
 */
import type { Db } from './database.js';
import { EdgeTable, EventTable, TaskTable } from './records.js';
import type { StoredRun } from './runs.js';

const num = (value: unknown): number => (value === null ? NaN : (value as number));

/** All tasks of a run in stored order, times in seconds from the run's time zero. */
export function loadTasks(db: Db, run: Pick<StoredRun, 'pk'>): TaskTable {
  const table = new TaskTable();
  const rows = db
    .prepare(
      `SELECT uid, name, type, stage, pipeline, state, node, cores, gpus, start_s, end_s, runtime_s
         FROM tasks WHERE run_pk = ? ORDER BY idx`,
    )
    .raw();
  for (const row of rows.iterate(run.pk) as IterableIterator<unknown[]>) {
    table.uid.push(row[0] as string);
    table.name.push(row[1] as string | null);
    table.type.push(row[2] as string);
    table.stage.push(row[3] as string | null);
    table.pipeline.push(row[4] as string | null);
    table.state.push(row[5] as string | null);
    table.node.push(row[6] as string | null);
    table.cores.push(num(row[7]));
    table.gpus.push(num(row[8]));
    table.start.push(num(row[9]));
    table.end.push(num(row[10]));
    table.runtime.push(num(row[11]));
  }
  return table;
}

/**
 * Profile events of a run, by task then time. `names` restricts them to some event names
 * (`exec_start`, ...); `states` adds the events that carry one of those states.
 */
export function loadEvents(
  db: Db,
  run: Pick<StoredRun, 'pk'>,
  filter: { names?: readonly string[]; states?: readonly string[] } = {},
): EventTable {
  const table = new EventTable();
  const conditions: string[] = [];
  const params: unknown[] = [run.pk];
  if (filter.names && filter.names.length > 0) {
    conditions.push(`event IN (${filter.names.map(() => '?').join(', ')})`);
    params.push(...filter.names);
  }
  if (filter.states && filter.states.length > 0) {
    conditions.push(`state IN (${filter.states.map(() => '?').join(', ')})`);
    params.push(...filter.states);
  }
  const where = conditions.length > 0 ? ` AND (${conditions.join(' OR ')})` : '';
  const rows = db
    .prepare(`SELECT task_idx, event, state, time_s FROM events WHERE run_pk = ?${where} ORDER BY task_idx, seq`)
    .raw();
  for (const row of rows.iterate(...params) as IterableIterator<unknown[]>) {
    table.push(row[0] as number, row[1] as string, row[2] as string | null, row[3] as number);
  }
  return table;
}

/** Distinct event names and states of a run, with how many tasks have each (for error messages and help). */
export function eventVocabulary(db: Db, run: Pick<StoredRun, 'pk'>): { events: Map<string, number>; states: Map<string, number> } {
  const events = new Map<string, number>();
  const states = new Map<string, number>();
  for (const row of db
    .prepare('SELECT event, COUNT(DISTINCT task_idx) AS n FROM events WHERE run_pk = ? GROUP BY event')
    .all(run.pk) as { event: string; n: number }[]) {
    events.set(row.event, row.n);
  }
  for (const row of db
    .prepare('SELECT state, COUNT(DISTINCT task_idx) AS n FROM events WHERE run_pk = ? AND state IS NOT NULL GROUP BY state')
    .all(run.pk) as { state: string; n: number }[]) {
    states.set(row.state, row.n);
  }
  return { events, states };
}

/** Task-level dependencies of a run (WfCommons instances carry them), as task indexes. */
export function loadEdges(db: Db, run: Pick<StoredRun, 'pk'>): EdgeTable {
  const table = new EdgeTable();
  const rows = db.prepare('SELECT parent_idx, child_idx FROM task_edges WHERE run_pk = ? ORDER BY child_idx, parent_idx').raw();
  for (const row of rows.iterate(run.pk) as IterableIterator<number[]>) table.push(row[0], row[1]);
  return table;
}
