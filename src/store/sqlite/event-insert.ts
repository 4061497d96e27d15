/**
 * Inserting event rows with the fewest values bound from JavaScript. An event row is run, task,
 * seq, event name, state and time; its name and state repeat (a Pegasus task's nine events are
 * nine pairs that every task shares). Each distinct (event, state) pair gets a number, stored once
 * in a TEMP table, and a row binds task, seq, that number and time: SQLite takes the pair's text
 * from the TEMP table (a lookup by integer key) and the run's key is part of the statement.
 * better-sqlite3 turns every bound string into a fresh UTF-8 copy, which SQLite copies again:
 * 2 x 10^6 rows took 1.06 us per row with six values, 0.84 with four (docs/benchmark.md, Pegasus
 * at 10^6). The events table is unchanged.
 *
 * Past MAX_PAIRS distinct pairs (a trace of ever new event names) rows bind their text as before.
 */
import type Database from 'better-sqlite3';
import { BatchInserter } from './batch-insert.js';
import type { Db } from './database.js';

const COLUMNS = 'run_pk, task_idx, seq, event, state, time_s';
/** Values per row: task, seq, pair, time. */
const WIDTH = 4;
const BATCH_ROWS = 1000;
export const MAX_PAIRS = 1 << 16;

export class EventInserter {
  private readonly params = new Array<unknown>(BATCH_ROWS * WIDTH).fill(null);
  private offset = 0;
  private readonly many: Database.Statement;
  private readonly one: Database.Statement;
  private readonly addPair: Database.Statement;
  /** Pair numbers by event name, then state (null a key as any other). */
  private readonly pairs = new Map<string, Map<string | null, number>>();
  private pairCount = 0;
  private plain: BatchInserter | null = null;

  constructor(
    private readonly db: Db,
    private readonly pk: number,
  ) {
    db.exec('CREATE TEMP TABLE IF NOT EXISTS event_pairs (code INTEGER PRIMARY KEY, event TEXT, state TEXT)');
    db.exec('DELETE FROM temp.event_pairs');
    this.addPair = db.prepare('INSERT INTO temp.event_pairs (code, event, state) VALUES (?, ?, ?)');
    // LEFT JOIN: a row whose pair were missing would fail the NOT NULL of event, not vanish.
    const insert = (rows: number) =>
      db.prepare(
        `INSERT INTO events (${COLUMNS}) SELECT ${Number(pk)}, v.column1, v.column2, p.event, p.state, v.column4 ` +
          `FROM (VALUES ${Array(rows).fill('(?, ?, ?, ?)').join(', ')}) AS v LEFT JOIN temp.event_pairs AS p ON p.code = v.column3`,
      );
    this.many = insert(BATCH_ROWS);
    this.one = insert(1);
  }

  add(task: number, seq: number, event: string, state: string | null, time: number): void {
    let byState = this.pairs.get(event);
    if (byState === undefined) this.pairs.set(event, (byState = new Map()));
    let code = byState.get(state);
    if (code === undefined) {
      if (this.pairCount >= MAX_PAIRS) {
        this.plain ??= new BatchInserter(this.db, 'events', COLUMNS.split(', '));
        this.plain.add(this.pk, task, seq, event, state, time);
        return;
      }
      code = this.pairCount++;
      this.addPair.run(code, event, state);
      byState.set(state, code);
    }
    const p = this.params;
    const k = this.offset;
    p[k] = task;
    p[k + 1] = seq;
    p[k + 2] = code;
    p[k + 3] = time;
    this.offset = k + WIDTH;
    if (this.offset === p.length) {
      this.many.run(...p);
      this.offset = 0;
    }
  }

  /** Writes the rows of an incomplete last batch. */
  flush(): void {
    for (let at = 0; at < this.offset; at += WIDTH) this.one.run(this.params.slice(at, at + WIDTH));
    this.offset = 0;
    this.plain?.flush();
  }
}
