/**
 * Writing events by pattern: most tasks of a trace have the same events, by name and state, in
 * the same order (a Slurm job: submit, eligible, start, batch_start, ..., end), and only their
 * times differ. A pattern seen often enough is stored once per run (event_patterns), and each of
 * its tasks is then one row of event_times, its times in columns t0, t1, ... (schema migration 6).
 * SQLite's cost is per row: nine million event rows took 4.8 s of CPU, the million rows of nine
 * times 1.7 (docs/benchmark.md, "Events by pattern"). One statement inserts many tasks, with the
 * run bound once per statement (a named parameter) and the pattern written in the SQL, so a task
 * binds its index and its times.
 *
 * Tasks whose pattern is rare (seen fewer than PROMOTE_AFTER times so far), too long or one
 * pattern too many are written a row per event to event_rows through `rows`. A task is stored
 * whole in one place or the other; the `events` view shows both as rows.
 */
import type Database from 'better-sqlite3';
import type { BatchInserter } from './batch-insert.js';
import type { Db } from './database.js';
import { EVENT_TIME_COLUMNS, timeColumns } from './schema.js';

/** Tasks of one pattern seen before it is stored as a pattern (small traces never pay for one). */
const PROMOTE_AFTER = 64;
const MAX_PATTERNS = 16;
/** Bound values per statement, as BatchInserter. */
const MAX_PARAMETERS = 4000;

interface PatternNode {
  /** By event name, then by state: the next node. */
  next: Map<string, Map<string | null, PatternNode>>;
  /** Tasks seen with exactly the events down to this node. */
  seen: number;
  pattern: Pattern | null;
}

interface Pattern {
  /** Its number in event_patterns. */
  id: number;
  /** How many events its tasks have. */
  count: number;
  /** Inserts a full `params` of tasks into event_times. */
  statement: Database.Statement;
  /** Each task's index then its times, task after task. */
  params: unknown[];
  offset: number;
}

export class EventPatterns {
  private readonly root: PatternNode = node();
  private patterns = 0;
  /** The task being gathered: its events so far, `count` of them (the arrays keep their size from task to task). */
  private task = -1;
  private readonly names: string[] = [];
  private readonly states: (string | null)[] = [];
  private readonly times: number[] = [];
  private count = 0;
  private readonly made: Pattern[] = [];
  private lastNode: PatternNode = this.root;
  private lastNames: string[] = [];
  private lastStates: (string | null)[] = [];

  constructor(
    private readonly db: Db,
    private readonly runPk: number,
    /** The row-by-row inserter of event_rows (run_pk, task_idx, seq, event, state, time_s). */
    private readonly rows: BatchInserter,
  ) {}

  /** Adds an event: `seq` 0 begins a task (the previous task's events are then written). */
  add(task: number, seq: number, event: string, state: string | null, time: number): void {
    if (seq === 0) this.endTask();
    this.task = task;
    const n = this.count++;
    this.names[n] = event;
    this.states[n] = state;
    this.times[n] = time;
  }

  /** Writes everything held: the last task, and the tasks of patterns not yet a full statement. */
  flush(): void {
    this.endTask();
    for (const pattern of this.made) {
      if (pattern.offset === 0) continue;
      const tasks = pattern.offset / (1 + pattern.count);
      this.insertStatement(pattern.id, pattern.count, tasks).run({ run: this.runPk }, pattern.params.slice(0, pattern.offset));
      pattern.offset = 0;
    }
    this.rows.flush();
  }

  private endTask(): void {
    const count = this.count;
    if (count === 0) return;
    const task = this.task;
    // Consecutive tasks mostly have the previous task's pattern: compared (the same strings, mostly
    // by reference) before walking the tree by name and state.
    const at = this.sameAsLast() ? this.lastNode : this.find();
    const pattern = at.pattern ?? (++at.seen >= PROMOTE_AFTER ? this.makePattern(at) : null);
    // A time that is no number goes the row way, where event_rows' NOT NULL refuses it as before.
    if (pattern !== null && this.timesAreNumbers()) {
      const p = pattern.params;
      let k = pattern.offset;
      p[k++] = task;
      for (let e = 0; e < count; e++) p[k++] = this.times[e];
      pattern.offset = k;
      if (k === p.length) {
        pattern.statement.run({ run: this.runPk }, p);
        pattern.offset = 0;
      }
    } else {
      for (let e = 0; e < count; e++) this.row(task, e, this.names[e], this.states[e], this.times[e]);
    }
    this.count = 0;
  }

  /** The node of the events gathered, made on the way when new; remembered as the last one. */
  private find(): PatternNode {
    let at = this.root;
    for (let e = 0; e < this.count; e++) {
      let byState = at.next.get(this.names[e]);
      if (byState === undefined) {
        byState = new Map();
        at.next.set(this.names[e], byState);
      }
      let child = byState.get(this.states[e]);
      if (child === undefined) {
        child = node();
        byState.set(this.states[e], child);
      }
      at = child;
    }
    this.lastNode = at;
    this.lastNames = this.names.slice(0, this.count);
    this.lastStates = this.states.slice(0, this.count);
    return at;
  }

  private timesAreNumbers(): boolean {
    for (let e = 0; e < this.count; e++) if (this.times[e] !== this.times[e]) return false;
    return true;
  }

  private sameAsLast(): boolean {
    const names = this.names;
    const states = this.states;
    if (this.count !== this.lastNames.length) return false;
    for (let e = 0; e < this.count; e++) if (names[e] !== this.lastNames[e] || states[e] !== this.lastStates[e]) return false;
    return true;
  }

  private row(task: number, seq: number, event: string, state: string | null, time: number): void {
    const p = this.rows.params;
    let k = this.rows.slot();
    p[k++] = this.runPk;
    p[k++] = task;
    p[k++] = seq;
    p[k++] = event;
    p[k++] = state;
    p[k] = time;
    this.rows.done();
  }

  /** Stores the pattern of the events just gathered; null when there are too many patterns or events. */
  private makePattern(at: PatternNode): Pattern | null {
    const count = this.count;
    if (this.patterns >= MAX_PATTERNS || count > EVENT_TIME_COLUMNS) return null;
    const id = this.patterns++;
    const insert = this.db.prepare('INSERT INTO event_patterns (run_pk, pattern, seq, event, state) VALUES (?, ?, ?, ?, ?)');
    for (let e = 0; e < count; e++) insert.run(this.runPk, id, e, this.names[e], this.states[e]);
    const tasks = Math.max(1, Math.floor(MAX_PARAMETERS / (1 + count)));
    const pattern: Pattern = { id, count, statement: this.insertStatement(id, count, tasks), params: new Array<unknown>(tasks * (1 + count)).fill(null), offset: 0 };
    at.pattern = pattern;
    this.made.push(pattern);
    return pattern;
  }

  /** Inserts `tasks` tasks of pattern `id` (their index and `count` times each) into event_times. */
  private insertStatement(id: number, count: number, tasks: number): Database.Statement {
    const row = `(@run, ?, ${id}${', ?'.repeat(count)})`;
    return this.db.prepare(`INSERT INTO event_times (run_pk, task_idx, pattern, ${timeColumns().slice(0, count).join(', ')}) VALUES ${Array<string>(tasks).fill(row).join(', ')}`);
  }
}

function node(): PatternNode {
  return { next: new Map(), seen: 0, pattern: null };
}
