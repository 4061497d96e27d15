/**
 * Ctrl-C during an ingest (issue 13.20): one line saying that the trace being read was not stored,
 * exit 130, and the database as it was (the runs stored before are kept, nothing of the other).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, tempDir } from '../helpers/cli.js';
import { HAVE_SHARED_TRACES } from '../helpers/shared-traces.js';
import { SUMMIT } from '../helpers/traces.js';

const work = tempDir();
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** A table big enough that its ingest is still running when the signal comes. */
function bigTable(file: string, rows: number): string {
  const lines = ['id,start,end,type'];
  for (let i = 0; i < rows; i++) lines.push(`t${i},${1.7e9 + i},${1.7e9 + i + 5},sim`);
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

describe('SIGINT', () => {
  it.skipIf(!HAVE_SHARED_TRACES)('says in one line that the trace being read was not stored, exits 130, and leaves the store consistent', async () => {
    const db = path.join(work, 'int.db');
    const table = bigTable(path.join(work, 'big.csv'), 500_000);
    const child = spawn(process.execPath, [BIN, 'ingest', SUMMIT.dg2Async.file, table, '--db', db], { env: { ...process.env, CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // Ctrl-C while the table is being read: once the session before it is committed, and a moment later.
    const deadline = Date.now() + 50_000;
    while (storedRuns(db) < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    await new Promise((r) => setTimeout(r, 200));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).toBe('asyncscope: interrupted: nothing of the trace being read was stored (the database is as it was before it; the 1 run(s) ingested before it are kept)\n');
    const store = new Database(db);
    expect(store.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(store.prepare('SELECT id FROM runs').pluck().all()).toEqual([SUMMIT.dg2Async.id]);
    expect(store.prepare('SELECT COUNT(*) FROM tasks').pluck().get()).toBe(256);
    store.close();
  });
});

/** Runs committed so far, read while another process writes (0 while the file is not there yet or busy). */
function storedRuns(db: string): number {
  if (!fs.existsSync(db)) return 0;
  try {
    const reader = new Database(db, { readonly: true, timeout: 0 });
    try {
      return reader.prepare('SELECT COUNT(*) FROM runs').pluck().get() as number;
    } finally {
      reader.close();
    }
  } catch {
    return 0; // no runs table yet, or locked by the writer
  }
}
