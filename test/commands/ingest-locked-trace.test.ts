/**
 * A Parsl monitoring database that Parsl is still writing (a write transaction holds its lock):
 * the ingest says so, instead of calling the database truncated or damaged, and stores nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, ROOT, tempDir } from '../helpers/cli.js';

const work = tempDir();
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('ingest of an SQLite trace another program is writing', () => {
  it('exits 2 with one line naming the file and the lock, and stores nothing', async () => {
    const trace = path.join(work, 'running.monitoring.db');
    fs.copyFileSync(path.join(ROOT, 'traces', 'parsl', 'parsl-1.1.0-htex.monitoring.db'), trace);
    const store = path.join(work, 'store.db');
    const writer = new Database(trace);
    writer.exec('BEGIN EXCLUSIVE');
    writer.prepare("UPDATE task SET task_func_name = 'being_written'").run();
    try {
      const result = await cli(['ingest', trace, '--db', store]);
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(
        `asyncscope: error: ${trace}: not a recognised trace: an SQLite database another program is writing (database is locked): import it when that program is done, or a copy of it\n`,
      );
    } finally {
      writer.exec('ROLLBACK');
      writer.close();
    }
    const runs = await cli(['runs', '--json', '--db', store]);
    expect(JSON.parse(runs.stdout)).toEqual([]);
  }, 30_000);
});
