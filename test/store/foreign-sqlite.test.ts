/**
 * Reading another program's SQLite database in pages of JSON (ForeignDatabase.pages, inKeyOrder):
 * a page starts after the last key of the one before, so paging is only allowed where the key
 * tells the selected rows apart; everywhere else the rows come one by one, all of them.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { ForeignDatabase } from '../../src/store/foreign-sqlite.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'asyncscope-foreign-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A database shaped like Parsl's task table (key task_id within a run), with 1,300 tasks in each of two runs, written out of order. */
function parslLike(file: string, primaryKey: boolean): void {
  const db = new Database(file);
  db.exec(`CREATE TABLE task (task_id INTEGER NOT NULL, run_id TEXT NOT NULL, name TEXT, at REAL${primaryKey ? ', PRIMARY KEY (task_id, run_id)' : ''})`);
  const insert = db.prepare('INSERT INTO task VALUES (?, ?, ?, ?)');
  db.transaction(() => {
    for (let i = 1300; i >= 1; i--) for (const run of ['b', 'a']) insert.run(i, run, `f'"\\${i}\u00e9`, 1.7e9 + i / 7);
    if (!primaryKey) insert.run(600, 'a', 'again', 0.1); // a task id twice: only possible without the key
  })();
  db.close();
}

describe('ForeignDatabase pages', () => {
  it('pages a table by a key unique within the rows selected, and gives the same rows as rows()', () => {
    const file = path.join(tmp, 'keyed.db');
    parslLike(file, true);
    const db = ForeignDatabase.open(file, 'keyed.db');
    expect(db.pages('task', 'task_id', ['name'], { where: { run_id: 'a' } })).not.toBeNull();
    const paged = [...db.inKeyOrder('task', 'task_id', ['name', 'at'], { where: { run_id: 'a' } })];
    const rows = [...db.rows('task', ['task_id', 'name', 'at'], { where: { run_id: 'a' }, orderBy: ['task_id'] })];
    expect(paged).toHaveLength(1300);
    expect(paged).toEqual(rows); // text with quotes and accents, and REALs to the bit
    expect(paged.map((row) => row[0])).toEqual(Array.from({ length: 1300 }, (_, i) => i + 1));
    db.close();
  });

  it('does not page where the key repeats among the rows selected: all rows come, one by one', () => {
    const file = path.join(tmp, 'unkeyed.db');
    parslLike(file, false);
    const db = ForeignDatabase.open(file, 'unkeyed.db');
    expect(db.pages('task', 'task_id', ['name'], { where: { run_id: 'a' } })).toBeNull();
    expect([...db.inKeyOrder('task', 'task_id', ['name'], { where: { run_id: 'a' } })]).toHaveLength(1301);
    db.close();
    // With the key, but not selecting one run: task ids repeat across runs.
    const keyed = ForeignDatabase.open(path.join(tmp, 'keyed.db'), 'keyed.db');
    expect(keyed.pages('task', 'task_id', ['name'])).toBeNull();
    expect([...keyed.inKeyOrder('task', 'task_id', ['name'])]).toHaveLength(2600);
    keyed.close();
  });
});
