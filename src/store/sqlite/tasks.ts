/**
 * Reading a stored run's tasks, profile events and task dependencies back into columns.
 * Rows are read in raw (array) mode: at a million tasks, building one object per row would
 * cost more than the query.
 */
import { EdgeTable } from '../../run/edge-table.js';
import { EventTable } from '../../run/event-table.js';
import type { StoredRun } from '../../run/stored-run.js';
import type { TaskColumns, TextColumn } from '../../run/task-columns.js';
import { isNumeric, TASK_FIELDS } from '../../run/task-fields.js';
import { TaskTable } from '../../run/task-table.js';
import type { EventFilter, EventVocabulary } from '../store.js';
import type { Db } from './database.js';
import { timeColumns } from './schema.js';

const num = (value: unknown): number => (value === null ? NaN : (value as number));

/** All tasks of a run in stored order, times in seconds from the run's time zero. */
export function loadTasks(db: Db, run: Pick<StoredRun, 'pk'>): TaskTable {
  const table = new TaskTable();
  const rows = db.prepare(`SELECT ${TASK_FIELDS.map((field) => field.column).join(', ')} FROM tasks WHERE run_pk = ? ORDER BY idx`).raw();
  // Text and number columns apart: each loop then pushes into arrays of one kind, which V8 keeps fast.
  const text = TASK_FIELDS.flatMap((field, k) => (isNumeric(field) ? [] : [k]));
  const numbers = TASK_FIELDS.flatMap((field, k) => (isNumeric(field) ? [k] : []));
  const textColumns = text.map((k) => table[TASK_FIELDS[k].name] as unknown[]);
  const numberColumns = numbers.map((k) => table[TASK_FIELDS[k].name] as number[]);
  for (const row of rows.iterate(run.pk) as IterableIterator<unknown[]>) {
    for (let j = 0; j < text.length; j++) textColumns[j].push(row[text[j]]);
    for (let j = 0; j < numbers.length; j++) numberColumns[j].push(num(row[numbers[j]]));
  }
  return table;
}

/**
 * Start, end, cores and GPUs of every task (stored order, NaN for NULL) and only the text
 * columns named.
 *
 * Why not `SELECT ... iterate()`: at a million tasks, building one JavaScript row per task costs
 * about a microsecond each, most of an analysis' time budget. Instead SQLite feeds the values
 * to a small aggregate function that writes them straight into typed arrays at the task's
 * index (so row order does not matter), which is two to three times faster.
 */
export function loadTaskColumns(db: Db, run: Pick<StoredRun, 'pk' | 'tasks'>, text: readonly TextColumn[]): TaskColumns {
  const wanted = new Set(text);
  const names: TextColumn[] = (['type', 'stage', 'pipeline'] as const).filter((column) => wanted.has(column));
  const sink = new ColumnSink(Math.max(run.tasks, 0), names.length);
  registerCollector(db);
  collecting = sink;
  try {
    db.prepare(`SELECT ${COLLECT}(idx, start_s, end_s, cores, gpus${names.map((name) => `, ${name}`).join('')}) FROM tasks WHERE run_pk = ?`).get(run.pk);
  } finally {
    collecting = null;
  }
  const columns: Record<TextColumn, (string | null)[]> = { type: [], stage: [], pipeline: [] };
  names.forEach((name, k) => (columns[name] = sink.textColumn(k)));
  const n = sink.length;
  return {
    length: n,
    start: sink.start.subarray(0, n),
    end: sink.end.subarray(0, n),
    cores: sink.cores.subarray(0, n),
    gpus: sink.gpus.subarray(0, n),
    type: columns.type as string[],
    stage: columns.stage,
    pipeline: columns.pipeline,
  };
}

const COLLECT = 'asyncscope_collect_task_columns';
const registered = new WeakSet<Db>();
/** The sink the aggregate writes into; set only while `loadTaskColumns` runs its query (better-sqlite3 is synchronous). */
let collecting: ColumnSink | null = null;

function registerCollector(db: Db): void {
  if (registered.has(db)) return;
  const step = (_total: number, idx: number, start: unknown, end: unknown, cores: unknown, gpus: unknown, t0: unknown, t1: unknown, t2: unknown) => {
    collecting?.add(idx, start, end, cores, gpus, t0, t1, t2);
  };
  db.aggregate(COLLECT, { varargs: true, start: 0, step: step as unknown as (total: number, next: number) => void });
  registered.add(db);
}

/** Typed columns growing as task indexes arrive; text values dictionary-encoded. */
class ColumnSink {
  start: Float64Array;
  end: Float64Array;
  cores: Float64Array;
  gpus: Float64Array;
  length = 0;
  private readonly codes: Int32Array[] = [];
  private readonly dictionaries: Map<string | null, number>[] = [];
  private readonly values: (string | null)[][] = [];

  constructor(
    capacity: number,
    private readonly textCount: number,
  ) {
    this.start = new Float64Array(capacity).fill(NaN);
    this.end = new Float64Array(capacity).fill(NaN);
    this.cores = new Float64Array(capacity).fill(NaN);
    this.gpus = new Float64Array(capacity).fill(NaN);
    for (let k = 0; k < textCount; k++) {
      this.codes.push(new Int32Array(capacity).fill(-1));
      this.dictionaries.push(new Map());
      this.values.push([]);
    }
  }

  add(idx: number, start: unknown, end: unknown, cores: unknown, gpus: unknown, t0: unknown, t1: unknown, t2: unknown): void {
    if (idx >= this.start.length) this.grow(idx + 1);
    this.start[idx] = num(start);
    this.end[idx] = num(end);
    this.cores[idx] = num(cores);
    this.gpus[idx] = num(gpus);
    if (this.textCount > 0) this.code(0, idx, t0 as string | null);
    if (this.textCount > 1) this.code(1, idx, t1 as string | null);
    if (this.textCount > 2) this.code(2, idx, t2 as string | null);
    if (idx >= this.length) this.length = idx + 1;
  }

  /** The k-th text column as strings (null for NULL and for indexes no row had). */
  textColumn(k: number): (string | null)[] {
    const codes = this.codes[k];
    const values = this.values[k];
    const out = new Array<string | null>(this.length);
    for (let i = 0; i < this.length; i++) out[i] = codes[i] === -1 ? null : values[codes[i]];
    return out;
  }

  private code(k: number, idx: number, value: string | null): void {
    const dictionary = this.dictionaries[k];
    let code = dictionary.get(value);
    if (code === undefined) {
      code = this.values[k].length;
      dictionary.set(value, code);
      this.values[k].push(value);
    }
    this.codes[k][idx] = code;
  }

  private grow(atLeast: number): void {
    const size = Math.max(atLeast, this.start.length * 2, 16);
    const bigger = (column: Float64Array, fill: number) => {
      const next = new Float64Array(size).fill(fill);
      next.set(column);
      return next;
    };
    this.start = bigger(this.start, NaN);
    this.end = bigger(this.end, NaN);
    this.cores = bigger(this.cores, NaN);
    this.gpus = bigger(this.gpus, NaN);
    for (let k = 0; k < this.textCount; k++) {
      const next = new Int32Array(size).fill(-1);
      next.set(this.codes[k]);
      this.codes[k] = next;
    }
  }
}

/** The uid of every task of a run, by task index. */
export function loadTaskUids(db: Db, run: Pick<StoredRun, 'pk'>): string[] {
  return db.prepare('SELECT uid FROM tasks WHERE run_pk = ? ORDER BY idx').pluck().all(run.pk) as string[];
}

/** The time of the run's last profile event (seconds from time zero), or null when it has none. */
export function lastEventTime(db: Db, run: Pick<StoredRun, 'pk'>): number | null {
  const rows = db.prepare('SELECT MAX(time_s) FROM event_rows WHERE run_pk = ?').pluck().get(run.pk) as number | null;
  // MAX per column: SQLite's max(a, b, ...) of a row is NULL when one of them is (a shorter pattern's columns).
  const columns = db.prepare(`SELECT ${timeColumns().map((t) => `MAX(${t})`).join(', ')} FROM event_times WHERE run_pk = ?`).raw().get(run.pk) as (number | null)[];
  let last = rows;
  for (const time of columns) if (time !== null && (last === null || time > last)) last = time;
  return last;
}

/** A run's event patterns (event_patterns): by pattern number, its events' names and states in seq order. */
function loadPatterns(db: Db, run: Pick<StoredRun, 'pk'>): Map<number, { event: string[]; state: (string | null)[] }> {
  const patterns = new Map<number, { event: string[]; state: (string | null)[] }>();
  for (const [pattern, event, state] of db
    .prepare('SELECT pattern, event, state FROM event_patterns WHERE run_pk = ? ORDER BY pattern, seq')
    .raw()
    .iterate(run.pk) as IterableIterator<[number, string, string | null]>) {
    let at = patterns.get(pattern);
    if (at === undefined) patterns.set(pattern, (at = { event: [], state: [] }));
    at.event.push(event);
    at.state.push(state);
  }
  return patterns;
}

/**
 * Profile events of a run, by task then time. `names` restricts them to some event names
 * (`exec_start`, ...); `states` adds the events that carry one of those states.
 *
 * A task's events are either rows of event_rows or one row of event_times with its pattern
 * (schema migration 6): both are read here in task order and merged, which the `events` view would
 * do too, at a million tasks several times slower (its CASE per event and the sort).
 */
export function loadEvents(
  db: Db,
  run: Pick<StoredRun, 'pk'>,
  filter: EventFilter = {},
): EventTable {
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
  const rows = new EventTable();
  for (const row of db
    .prepare(`SELECT task_idx, event, state, time_s FROM event_rows WHERE run_pk = ?${where} ORDER BY task_idx, seq`)
    .raw()
    .iterate(...params) as IterableIterator<unknown[]>) {
    rows.push(row[0] as number, row[1] as string, row[2] as string | null, row[3] as number);
  }

  // Which events of each pattern the filter keeps (by seq); patterns keeping none are not read.
  const names = filter.names && filter.names.length > 0 ? new Set(filter.names) : null;
  const states = filter.states && filter.states.length > 0 ? new Set(filter.states) : null;
  const kept = new Map<number, { seq: number[]; event: string[]; state: (string | null)[] }>();
  let width = 0;
  for (const [pattern, { event, state }] of loadPatterns(db, run)) {
    const at = { seq: [] as number[], event: [] as string[], state: [] as (string | null)[] };
    for (let seq = 0; seq < event.length; seq++) {
      const keep = (names === null && states === null) || names?.has(event[seq]) === true || (state[seq] !== null && states?.has(state[seq]!) === true);
      if (!keep) continue;
      at.seq.push(seq);
      at.event.push(event[seq]);
      at.state.push(state[seq]);
      width = Math.max(width, seq + 1);
    }
    if (at.seq.length > 0) kept.set(pattern, at);
  }
  if (kept.size === 0) return rows;

  const table = new EventTable();
  let r = 0; // the next row of `rows` to merge in
  const patternList = [...kept.keys()].join(', ');
  for (const row of db
    .prepare(`SELECT task_idx, pattern, ${timeColumns().slice(0, width).join(', ')} FROM event_times WHERE run_pk = ? AND pattern IN (${patternList}) ORDER BY task_idx`)
    .raw()
    .iterate(run.pk) as IterableIterator<unknown[]>) {
    const task = row[0] as number;
    for (; r < rows.length && rows.task[r] < task; r++) table.push(rows.task[r], rows.event[r], rows.state[r], rows.time[r]);
    const at = kept.get(row[1] as number)!;
    for (let e = 0; e < at.seq.length; e++) table.push(task, at.event[e], at.state[e], row[2 + at.seq[e]] as number);
  }
  for (; r < rows.length; r++) table.push(rows.task[r], rows.event[r], rows.state[r], rows.time[r]);
  return table;
}

/** Distinct event names and states of a run, with how many tasks have each (for error messages and help). */
export function eventVocabulary(db: Db, run: Pick<StoredRun, 'pk'>): EventVocabulary {
  const events = new Map<string, number>();
  const states = new Map<string, number>();
  const add = (counts: Map<string, number>, key: string, n: number): void => {
    counts.set(key, (counts.get(key) ?? 0) + n);
  };
  for (const row of db
    .prepare('SELECT event, COUNT(DISTINCT task_idx) AS n FROM event_rows WHERE run_pk = ? GROUP BY event')
    .all(run.pk) as { event: string; n: number }[]) {
    add(events, row.event, row.n);
  }
  for (const row of db
    .prepare('SELECT state, COUNT(DISTINCT task_idx) AS n FROM event_rows WHERE run_pk = ? AND state IS NOT NULL GROUP BY state')
    .all(run.pk) as { state: string; n: number }[]) {
    add(states, row.state, row.n);
  }
  // A task is in event_rows or in event_times, never both: the counts add up.
  const tasksOf = new Map(db.prepare('SELECT pattern, COUNT(*) FROM event_times WHERE run_pk = ? GROUP BY pattern').raw().all(run.pk) as [number, number][]);
  for (const [pattern, { event, state }] of loadPatterns(db, run)) {
    const n = tasksOf.get(pattern) ?? 0;
    if (n === 0) continue;
    for (const name of new Set(event)) add(events, name, n);
    for (const name of new Set(state)) if (name !== null) add(states, name, n);
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
