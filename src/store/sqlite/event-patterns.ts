/**
 * Writing events by pattern: most tasks of a trace have the same events, by name and state, in
 * the same order (a Slurm job: submit, eligible, start, batch_start, ..., end), and only their
 * times differ. Binding every row's six values (run, task, seq, name, state, time) cost SQLite
 * more than storing the row: each string is converted and copied twice by the driver. For a
 * pattern seen often enough, one statement inserts many tasks' events with the pattern's names,
 * states and the run bound once per statement (named parameters) and the seq written in the SQL,
 * so a row binds two numbers, its task and its time. A micro-benchmark of 1.6 x 10^6 event rows:
 * 0.55 to 0.75 us a row against 0.81 to 0.84 (docs/benchmark.md, "sacct at 10^6").
 *
 * Rows stored are the same as row by row; tasks whose pattern is rare (or too long, or one
 * pattern too many) are written row by row through `rows`, as are the tasks still buffered at
 * `flush`. The table's key orders the rows whatever order they are inserted in.
 */
import type Database from 'better-sqlite3';
import type { BatchInserter } from './batch-insert.js';
import type { Db } from './database.js';

/** Tasks of one pattern seen before its statement is made (small traces never pay for one). */
const PROMOTE_AFTER = 64;
const MAX_PATTERNS = 16;
const MAX_EVENTS = 32;
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
  names: string[];
  states: (string | null)[];
  statement: Database.Statement;
  /** The values bound once per statement. */
  named: Record<string, unknown>;
  /** Task and time of each row, task after task. */
  params: unknown[];
  offset: number;
}

export class EventPatterns {
  private readonly root: PatternNode = node();
  private patterns = 0;
  /** The task being gathered: its events so far. */
  private task = -1;
  private readonly names: string[] = [];
  private readonly states: (string | null)[] = [];
  private readonly times: number[] = [];
  private readonly made: Pattern[] = [];
  private lastNode: PatternNode = this.root;
  private lastNames: string[] = [];
  private lastStates: (string | null)[] = [];

  constructor(
    private readonly db: Db,
    private readonly runPk: number,
    /** The row-by-row inserter of (run_pk, task_idx, seq, event, state, time_s). */
    private readonly rows: BatchInserter,
  ) {}

  /** Adds an event: `seq` 0 begins a task (the previous task's events are then written). */
  add(task: number, seq: number, event: string, state: string | null, time: number): void {
    if (seq === 0) this.endTask();
    this.task = task;
    this.names.push(event);
    this.states.push(state);
    this.times.push(time);
  }

  /** Writes everything held: the last task, and the tasks of patterns not yet a full statement. */
  flush(): void {
    this.endTask();
    for (const pattern of this.made) {
      const width = 2 * pattern.names.length;
      for (let at = 0; at < pattern.offset; at += width) {
        for (let e = 0; e < pattern.names.length; e++) this.row(pattern.params[at + 2 * e] as number, e, pattern.names[e], pattern.states[e], pattern.params[at + 2 * e + 1] as number);
      }
      pattern.offset = 0;
    }
    this.rows.flush();
  }

  private endTask(): void {
    const count = this.names.length;
    if (count === 0) return;
    const task = this.task;
    // Consecutive tasks mostly have the previous task's pattern: compared (the same strings, mostly
    // by reference) before walking the tree by name and state.
    const at = this.sameAsLast() ? this.lastNode : this.find();
    const pattern = at.pattern ?? (++at.seen >= PROMOTE_AFTER ? this.makePattern(at) : null);
    if (pattern !== null) {
      const p = pattern.params;
      let k = pattern.offset;
      for (let e = 0; e < count; e++) {
        p[k++] = task;
        p[k++] = this.times[e];
      }
      pattern.offset = k;
      if (k === p.length) {
        pattern.statement.run(pattern.named, p);
        pattern.offset = 0;
      }
    } else {
      for (let e = 0; e < count; e++) this.row(task, e, this.names[e], this.states[e], this.times[e]);
    }
    this.names.length = 0;
    this.states.length = 0;
    this.times.length = 0;
  }

  /** The node of the events gathered, made on the way when new; remembered as the last one. */
  private find(): PatternNode {
    let at = this.root;
    for (let e = 0; e < this.names.length; e++) {
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
    this.lastNames = [...this.names];
    this.lastStates = [...this.states];
    return at;
  }

  private sameAsLast(): boolean {
    const names = this.names;
    const states = this.states;
    if (names.length !== this.lastNames.length) return false;
    for (let e = 0; e < names.length; e++) if (names[e] !== this.lastNames[e] || states[e] !== this.lastStates[e]) return false;
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

  /** The statement of the events just gathered; null when there are too many patterns or events. */
  private makePattern(at: PatternNode): Pattern | null {
    const count = this.names.length;
    if (this.patterns >= MAX_PATTERNS || count > MAX_EVENTS) return null;
    this.patterns++;
    const tasks = Math.max(1, Math.floor(MAX_PARAMETERS / (2 * count)));
    const named: Record<string, unknown> = { run: this.runPk };
    const tuples: string[] = [];
    for (let e = 0; e < count; e++) {
      named[`n${e}`] = this.names[e];
      named[`s${e}`] = this.states[e];
      tuples.push(`(@run, ?, ${e}, @n${e}, @s${e}, ?)`);
    }
    const row = tuples.join(', ');
    const statement = this.db.prepare(`INSERT INTO events (run_pk, task_idx, seq, event, state, time_s) VALUES ${Array<string>(tasks).fill(row).join(', ')}`);
    const pattern: Pattern = { names: [...this.names], states: [...this.states], statement, named, params: new Array<unknown>(tasks * 2 * count).fill(null), offset: 0 };
    at.pattern = pattern;
    this.made.push(pattern);
    return pattern;
  }
}

function node(): PatternNode {
  return { next: new Map(), seen: 0, pattern: null };
}
