/**
 * jobstate sent from the thread that reads it to the reader (state-stream.ts), here with both ends
 * of the MessagePort in this thread: every row arrives once, in id order, whatever the chunk size,
 * and whether the receiving end takes each chunk as it comes or all at the end.
 */
import fs from 'node:fs';
import path from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { ReceivedStateChunks, sendStateChunks, type StateMessage } from '../../../src/importers/pegasus/state-stream.js';
import { ForeignDatabase } from '../../../src/store/foreign-sqlite.js';
import { tempDir } from '../../helpers/cli.js';

const work = tempDir();
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const STATES = ['SUBMIT', 'EXECUTE', 'JOB_TERMINATED', 'JOB_SUCCESS', 'POST_SCRIPT_STARTED', 'POST_SCRIPT_TERMINATED', 'POST_SCRIPT_SUCCESS'];

/** A jobstate table as Pegasus declares it: 3000 instances (ids with gaps), their 7 states each. */
function jobstate(): { file: string; rows: string[] } {
  const file = path.join(work, 'jobstate.db');
  fs.rmSync(file, { force: true });
  const db = new Database(file);
  db.exec('CREATE TABLE jobstate (job_instance_id INTEGER NOT NULL, state VARCHAR(255) NOT NULL, timestamp NUMERIC(16, 6) NOT NULL, jobstate_submit_seq INTEGER NOT NULL, reason TEXT, PRIMARY KEY (job_instance_id, state, timestamp, jobstate_submit_seq))');
  const insert = db.prepare('INSERT INTO jobstate VALUES (?, ?, ?, ?, NULL)');
  const rows: string[] = [];
  db.transaction(() => {
    for (let k = 0; k < 3000; k++) {
      const id = k < 2000 ? k + 1 : 10_000 + 37 * k;
      STATES.forEach((state, s) => {
        const time = 1700000000.125 + k + s / 4;
        insert.run(id, state, time, s + 1);
        rows.push(`${id} ${state} ${time} ${s + 1}`);
      });
    }
  })();
  db.close();
  // In the order the reader merges them: by id, then as the primary key's index gives them (state).
  rows.sort((a, b) => Number(a.split(' ')[0]) - Number(b.split(' ')[0]) || (a < b ? -1 : 1));
  return { file, rows };
}

/** The rows the receiving end gets, as text; with `interleaved` each chunk is taken as it arrives. */
function stream(file: string, chunkRows: number, interleaved: boolean): { rows: string[]; chunks: number } {
  const channel = new MessageChannel();
  const inFlight = new Int32Array(new SharedArrayBuffer(4));
  const received = new ReceivedStateChunks(channel.port1, inFlight, 'jobstate.db');
  const rows: string[] = [];
  let chunks = 0;
  const take = (): boolean => {
    const chunk = received.next();
    if (!chunk) return false;
    chunks++;
    for (let k = 0; k < chunk.count; k++) rows.push(`${chunk.instance[k]} ${received.names[chunk.code[k]]} ${chunk.time[k]} ${chunk.seq[k]}`);
    return true;
  };
  const db = ForeignDatabase.open(file, 'jobstate.db');
  try {
    sendStateChunks(
      db,
      (message: StateMessage, transfer) => {
        channel.port2.postMessage(message, transfer);
        Atomics.add(inFlight, 0, 1);
        if (interleaved && message.kind === 'rows') take();
      },
      chunkRows,
    );
  } finally {
    db.close();
  }
  while (take());
  channel.port1.close();
  return { rows, chunks };
}

describe('jobstate sent in chunks', () => {
  const { file, rows } = jobstate();

  it('gives every row once, in id order, in chunks of any size', () => {
    for (const chunkRows of [1, 100, 4096, 100_000]) {
      const sent = stream(file, chunkRows, false);
      expect(sent.rows, `chunks of ${chunkRows} rows`).toEqual(rows);
      if (chunkRows <= 4096) expect(sent.chunks).toBeGreaterThanOrEqual(rows.length / (chunkRows + 4 * 7 * 64));
    }
  });

  it('gives the same rows when each chunk is taken as it arrives', () => {
    const sent = stream(file, 1000, true);
    expect(sent.chunks).toBeGreaterThan(10);
    expect(sent.rows).toEqual(rows);
  });
});
