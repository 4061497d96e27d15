/**
 * The parser thread's way of reading a large CSV (64 kB pieces of whole lines, the stream paused
 * while the writer is behind, dictionary entries copied out of the parser's text) stores the same
 * rows, value for value, as the same table parsed in the main thread. The parser waits for the
 * writer after every batch (ASYNCSCOPE_PARSE_IN_FLIGHT=1, 15 batches), the table brings new stage
 * and pipeline names all along, and has quoted fields with line breaks (a piece then ends inside a row).
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, tempDir } from '../../helpers/cli.js';

const work = tempDir();
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

function table(count: number): string {
  const lines = ['id,name,type,stage,pipeline,start,end,cores,gpus,node,state'];
  for (let i = 0; i < count; i++) {
    const pipeline = `pipeline.${String(Math.floor(i / 40)).padStart(6, '0')}`;
    const name = i % 997 === 0 ? `"task ${i}\nsecond line, quoted"` : i % 5 === 0 ? `tâche-${i}` : '';
    const start = 1700000000 + i * 0.25 + (i % 7) * 0.000001;
    lines.push(`task.${i},${name},t${i % 8},${pipeline}/stage.${i % 5},${pipeline},${start.toFixed(6)},${(start + 30 + (i % 11)).toFixed(6)},${1 + (i % 4)},${i % 2},node${i % 16},${i % 50 === 0 ? 'FAILED' : 'DONE'}`);
  }
  return `${lines.join('\n')}\n`;
}

describe('ingest of a large CSV in the parser thread', () => {
  it('stores the same rows as the same table parsed in the main thread', async () => {
    const file = path.join(work, 'large.csv');
    fs.writeFileSync(file, table(120_000));
    expect(fs.statSync(file).size).toBeGreaterThan(4 * 1024 * 1024); // the CLI's worker threshold, and several 1 MB reads
    const stored = async (mode: string) => {
      const db = path.join(work, `${mode}.db`);
      const env = { ASYNCSCOPE_PARSE_WORKER: mode, ASYNCSCOPE_PARSE_IN_FLIGHT: '1' };
      const result = await cli(['ingest', file, '--db', db, '--cores', '64', '--gpus', '16'], { env });
      expect(result.code, result.stderr).toBe(0);
      const sqlite = new Database(db, { readonly: true });
      try {
        return {
          run: sqlite.prepare('SELECT tasks, executed, incomplete, epoch, makespan_s, outcomes, warnings FROM runs').get(),
          tasks: sqlite.prepare('SELECT * FROM tasks ORDER BY idx').raw().all() as unknown[][],
        };
      } finally {
        sqlite.close();
      }
    };
    const worker = await stored('always');
    const inThread = await stored('never');
    expect(worker.tasks).toHaveLength(120_000);
    expect(worker).toEqual(inThread);
    expect(worker.tasks[997][3]).toBe('task 997\nsecond line, quoted');
  }, 120_000);
});
