/**
 * The ways the Pegasus reader takes its tables: jobstate in ranges of instances, one string per
 * range parsed digit by digit (jobstate-text.ts), job and job_instance in pages of JSON, where
 * Pegasus' primary keys let SQLite read them so; jobstate read so by another thread and sent in
 * chunks over a MessagePort (state-stream.ts; here the port's two ends are in this thread); else
 * jobstate grouped by instance and the others row by row (databases without those keys). They
 * must store the same run: the same tasks, events (to the last bit of every time), edges, content
 * hash and warnings.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { HashingRecorder, MemoryRun, SinkRecorder } from '../../../src/importers/common/recorder.js';
import { readInvocations } from '../../../src/importers/pegasus/invocations.js';
import { MessageChannel } from 'node:worker_threads';
import { StateRows } from '../../../src/importers/pegasus/jobstate-text.js';
import { ReceivedStateChunks, sendStateChunks, type StateMessage } from '../../../src/importers/pegasus/state-stream.js';
import { readPegasusRun, rootWorkflows } from '../../../src/importers/pegasus/run.js';
import { Stampede } from '../../../src/importers/pegasus/stampede.js';
import { ForeignDatabase } from '../../../src/store/foreign-sqlite.js';
import { tempDir } from '../../helpers/cli.js';
import { describeWithShared, sharedTrace } from '../../helpers/shared-traces.js';

const work = tempDir();
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/**
 * Every run of a stampede database as one path reads it: tables, content hash, stray count.
 * `streamed` sends jobstate as the invocation thread does, in chunks of about that many rows.
 */
function readAll(file: string, rangeReads: boolean, streamed?: { chunkRows: number }) {
  const db = ForeignDatabase.open(file, path.basename(file));
  const channel = new MessageChannel();
  try {
    const stampede = new Stampede(db, rangeReads);
    if (streamed) {
      const inFlight = new Int32Array(new SharedArrayBuffer(4));
      const messages: StateMessage['kind'][] = [];
      const sender = ForeignDatabase.open(file, path.basename(file));
      sendStateChunks(
        sender,
        (message, transfer) => {
          messages.push(message.kind);
          channel.port2.postMessage(message, transfer);
          Atomics.add(inFlight, 0, 1);
        },
        streamed.chunkRows,
      );
      sender.close();
      expect(messages.length, 'the sender ends with one message that is not rows').toBeGreaterThanOrEqual(1);
      expect(messages.slice(0, -1).every((kind) => kind === 'rows')).toBe(true);
      stampede.readStatesFrom(new ReceivedStateChunks(channel.port1, inFlight, path.basename(file)));
    }
    stampede.loadInvocations(readInvocations(db, rangeReads));
    const first = db.minimum('jobstate', 'timestamp', { where: { state: 'EXECUTE' } });
    return rootWorkflows(stampede).map((root) => {
      const memory = new MemoryRun();
      const hashing = new HashingRecorder(new SinkRecorder(memory), root.uuid);
      const stats = readPegasusRun(stampede, root, hashing, typeof first === 'number' ? first : NaN);
      const events = memory.events;
      return {
        tasks: Array.from({ length: memory.tasks.length }, (_, i) => memory.tasks.row(i)),
        events: Array.from({ length: events.length }, (_, i) => [events.task[i], events.event[i], events.state[i], events.time[i]]),
        edges: memory.edges,
        hash: hashing.digest(),
        stats,
        strays: stampede.strayRows,
      };
    });
  } finally {
    channel.port1.close();
    db.close();
  }
}

describeWithShared('jobstate in ranges and grouped by instance: the same runs (../shared/traces/pegasus)', () => {
  for (const file of ['process_wf_success/process-0.stampede.db', 'process_wf_failure/process-0.stampede.db', 'hierarchical_wf_success/hierarchical-workflow-0.stampede.db', 'sample_wf_held/Drug-Combination-Therapy-0.stampede.db']) {
    it(file, () => {
      const trace = sharedTrace('pegasus', ...file.split('/'));
      const db = ForeignDatabase.open(trace, file);
      const ranges = db.rangeText('jobstate', 'job_instance_id', ['state', 'timestamp', 'jobstate_submit_seq']);
      db.close();
      expect(ranges, 'Pegasus indexes jobstate by its primary key: the range path is taken').not.toBeNull();
      const inRanges = readAll(trace, true);
      const grouped = readAll(trace, false);
      expect(inRanges[0].events.length).toBeGreaterThanOrEqual(20);
      expect(inRanges).toEqual(grouped);
      expect(readAll(trace, true, { chunkRows: 16 })).toEqual(grouped);
    });
  }
});

describe('jobstate in ranges on hostile and odd databases', () => {
  const DDL = [
    'CREATE TABLE dbversion (id INTEGER PRIMARY KEY, version_number INTEGER, version TEXT, version_timestamp INTEGER)',
    'CREATE TABLE workflow (wf_id INTEGER, wf_uuid TEXT, dag_file_name TEXT, dax_label TEXT, parent_wf_id INTEGER, root_wf_id INTEGER)',
    'CREATE TABLE workflowstate (wf_id INTEGER, state TEXT, timestamp NUMERIC, status INTEGER)',
    // As Pegasus declares them: the primary keys are what the paged and range reads go by.
    'CREATE TABLE job (job_id INTEGER NOT NULL, wf_id INTEGER, exec_job_id TEXT, type_desc TEXT, PRIMARY KEY (job_id))',
    'CREATE TABLE job_instance (job_instance_id INTEGER NOT NULL, job_id INTEGER, host_id INTEGER, job_submit_seq INTEGER, subwf_id INTEGER, exitcode INTEGER, PRIMARY KEY (job_instance_id))',
    'CREATE TABLE jobstate (job_instance_id INTEGER NOT NULL, state VARCHAR(255) NOT NULL, timestamp NUMERIC(16, 6) NOT NULL, jobstate_submit_seq INTEGER NOT NULL, reason TEXT, PRIMARY KEY (job_instance_id, state, timestamp, jobstate_submit_seq))',
    'CREATE TABLE invocation (job_instance_id INTEGER, task_submit_seq INTEGER, start_time NUMERIC, remote_duration NUMERIC, transformation TEXT)',
    'CREATE TABLE job_edge (wf_id INTEGER, parent_exec_job_id TEXT, child_exec_job_id TEXT)',
    'CREATE TABLE host (host_id INTEGER, hostname TEXT)',
  ];
  function stampede(name: string, rows: [string, unknown[]][]): string {
    const file = path.join(work, name);
    fs.rmSync(file, { force: true });
    const db = new Database(file);
    for (const statement of DDL) db.exec(statement);
    db.prepare('INSERT INTO dbversion VALUES (1, 14, ?, 0)').run('14');
    db.prepare('INSERT INTO workflow VALUES (1, ?, ?, ?, NULL, 1)').run('uuid-1', 'wf-0.dag', 'wf');
    db.transaction(() => {
      for (const [sql, values] of rows) db.prepare(sql).run(...values);
    })();
    db.close();
    return file;
  }
  const job = (id: number, instances: number[]): [string, unknown[]][] => [
    ['INSERT INTO job VALUES (?, 1, ?, ?)', [id, `j_ID${id}`, 'compute']],
    ...instances.map((instance, k): [string, unknown[]] => ['INSERT INTO job_instance VALUES (?, ?, NULL, ?, NULL, NULL)', [instance, id, k + 1]]),
  ];
  const state = (instance: number, name: string, time: unknown, seq: unknown = 1): [string, unknown[]] => ['INSERT INTO jobstate VALUES (?, ?, ?, ?, NULL)', [instance, name, time, seq]];

  it('stores what the row by row path stores: retries, stray instances, ties, odd numbers, several pages and ranges', () => {
    const rows: [string, unknown[]][] = [state(-5, 'SUBMIT', 1), state(-5, 'EXECUTE', 2)]; // stray, below every instance
    for (let j = 1; j <= 600; j++) {
      const instances = j % 7 === 0 ? [2 * j, 2 * j + 1] : [2 * j];
      rows.push(...job(j, instances));
      for (const instance of instances) {
        const t = 1700000000 + instance * 1.000001;
        rows.push(state(instance, 'SUBMIT', t, 1), state(instance, 'EXECUTE', t + 0.123456, 2), state(instance, 'JOB_HELD', t + 0.123456, 3));
        rows.push(state(instance, 'JOB_TERMINATED', j % 5 === 0 ? String(t + 10) : t + 1e-7 * j, 4), state(instance, 'JOB_SUCCESS', j === 3 ? 1.5e20 : -0.25, 5));
      }
    }
    rows.push(state(5000, 'SUBMIT', 5), state(5000, 'SUBMIT', 6)); // stray, above every instance
    const file = stampede('many.db', rows);
    const db = ForeignDatabase.open(file, 'many.db');
    expect(db.pages('job', 'job_id', ['wf_id'])).not.toBeNull();
    expect(db.pages('job_instance', 'job_instance_id', ['job_id'])).not.toBeNull();
    expect(db.pages('host', 'host_id', ['hostname']), 'no key: row by row').toBeNull();
    db.close();
    const inRanges = readAll(file, true);
    expect(inRanges[0].tasks).toHaveLength(600);
    expect(inRanges[0].strays).toBe(2);
    expect(inRanges).toEqual(readAll(file, false));
    for (const chunkRows of [1, 7, 1000, 100000]) expect(readAll(file, true, { chunkRows }), `chunks of ${chunkRows} rows`).toEqual(inRanges);
  });

  it('sends the same rows from another thread when ids are sparse, dense in places, or far apart', () => {
    // Ranges follow the ids' values: gaps of a million and of 2^29 ids, a run of 3000 dense ids, an
    // instance of 2000 states, and a stray id of 2^53 - 1 (the last range then has no upper bound).
    const ids = [1, 2, 3, 1_000_000, 2 ** 30, 2 ** 30 + 5, ...Array.from({ length: 3000 }, (_, k) => 2 ** 30 + 2 ** 29 + k), 2 ** 31 - 2, 2 ** 31 - 1];
    const rows: [string, unknown[]][] = [state(-3, 'SUBMIT', 1), state(2 ** 30 + 1, 'SUBMIT', 2), state(2 ** 53 - 1, 'SUBMIT', 3)]; // strays: below all, between, above all
    ids.forEach((id, j) => {
      rows.push(...job(j + 1, [id]), state(id, 'SUBMIT', 1700000000 + j), state(id, 'EXECUTE', 1700000000.5 + j), state(id, 'JOB_TERMINATED', 1700000009.25 + j));
    });
    for (let k = 0; k < 2000; k++) rows.push(state(1_000_000, 'JOB_HELD', 1700000001 + k / 1000, 10 + k));
    const file = stampede('sparse.db', rows);
    const inRanges = readAll(file, true);
    expect(inRanges[0].tasks).toHaveLength(ids.length);
    expect(inRanges[0].strays).toBe(3);
    expect(inRanges[0].events.length).toBe(3 * ids.length + 2000);
    for (const chunkRows of [5, 500, 32768]) expect(readAll(file, true, { chunkRows }), `chunks of ${chunkRows} rows`).toEqual(inRanges);
  });

  it('names the row of a timestamp that is not a number, as the grouped path does', () => {
    const file = stampede('bad-time.db', [...job(1, [1]), state(1, 'SUBMIT', 5), state(1, 'EXECUTE', 'tuesday'), state(1, 'X', ' ')]);
    const message = 'bad-time.db: table jobstate, job_instance_id 1, state EXECUTE: timestamp "tuesday" is not what Pegasus writes there';
    expect(() => readAll(file, true)).toThrow(message);
    expect(() => readAll(file, false)).toThrow(message);
    expect(() => readAll(file, true, { chunkRows: 1 })).toThrow(message);
    const blank = stampede('blank-time.db', [...job(1, [1]), state(1, 'SUBMIT', ' ')]);
    expect(() => readAll(blank, true)).toThrow('blank-time.db: table jobstate, job_instance_id 1, state SUBMIT: timestamp " " is not what Pegasus writes there');
    expect(() => readAll(blank, false)).toThrow('blank-time.db: table jobstate, job_instance_id 1, state SUBMIT: timestamp " " is not what Pegasus writes there');
  });

  it('gives each instance its own invocations, whatever order the table lists them in', () => {
    const rows: [string, unknown[]][] = [];
    const instances = Array.from({ length: 40 }, (_, k) => 10 + 3 * k);
    instances.forEach((instance, j) => rows.push(...job(j + 1, [instance]), state(instance, 'SUBMIT', 1000 + j), state(instance, 'EXECUTE', 1010 + j), state(instance, 'JOB_TERMINATED', 1100 + j)));
    // In order, then backwards, then every seventh, a stray instance (11) and one after all (999).
    const order = [...instances.slice(0, 10), ...instances.slice(10, 25).reverse(), 11, ...instances.slice(25).filter((_, k) => k % 2 === 0), 999, ...instances.slice(25).filter((_, k) => k % 2 === 1)];
    for (const instance of order) rows.push(['INSERT INTO invocation VALUES (?, 1, ?, ?, ?)', [instance, 2000 + instance, instance / 8, `prog${instance}`]]);
    const file = stampede('invocation-order.db', rows);
    const [run] = readAll(file, true);
    expect(run.strays).toBe(2);
    for (const [j, instance] of instances.entries()) {
      const own = run.events.filter(([task, event]) => task === j && (event === 'compute_start' || event === 'compute_end'));
      expect(own, `instance ${instance}`).toEqual([
        [j, 'compute_start', `prog${instance}`, 2000 + instance],
        [j, 'compute_end', `prog${instance}`, 2000 + instance + instance / 8],
      ]);
    }
  });

  // (The grouped path counts an id that is text, ordered after every number, as a stray instance.)
  it('refuses a state that holds the separators, and an instance id that is not an integer', () => {
    const separator = stampede('separator.db', [...job(1, [1]), state(1, 'SUB\u001fMIT', 5)]);
    expect(() => readAll(separator, true)).toThrow(/^separator\.db: table jobstate, job_instance_id 1: a row holds the characters that separate rows and columns/);
    const text = stampede('text-id.db', [...job(1, [1]), state(1, 'SUBMIT', 5), ['INSERT INTO jobstate VALUES (?, ?, ?, 1, NULL)', ['one', 'EXECUTE', 6]]]);
    expect(() => readAll(text, true)).toThrow('text-id.db: table jobstate, a row of job_instance_id "one": job_instance_id "one" is not what Pegasus writes there');
    expect(() => readAll(text, true, { chunkRows: 1 })).toThrow('text-id.db: table jobstate, a row of job_instance_id "one": job_instance_id "one" is not what Pegasus writes there');
    expect(() => readAll(separator, true, { chunkRows: 1 })).toThrow(/^separator\.db: table jobstate, job_instance_id 1: a row holds the characters that separate rows and columns/);
  });

  it('reads numbers exactly as Number() does', () => {
    const rows = new StateRows();
    const values: string[] = [];
    let seed = 7;
    const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    for (let k = 0; k < 5000; k++) values.push((1e9 + random() * 1e9).toPrecision(15 - (k % 6)), (random() * 1000 - 500).toPrecision(1 + (k % 15)));
    // 16 digits: read directly up to 2^53 (a timestamp with microseconds), else through Number().
    for (let k = 0; k < 5000; k++) values.push((1e9 + random() * 9e9).toPrecision(16), (random() * 1e4).toPrecision(16), (1e9 + random() * 9e9).toPrecision(17));
    values.push('9007199254740992', '9007199254740993', '900719925474099.2', '900719925474099.3', '0.9007199254740993', '1700000001.813541', '9999999999.999999');
    // 17 digits and more, read as whole part plus fraction where that is exact: doubles of every
    // magnitude as JavaScript and toPrecision print them, digit strings no double prints, and ties
    // (a fraction halfway between two doubles: k / 2^m).
    for (let k = 0; k < 20000; k++) {
      const x = 10 ** (random() * 30 - 8) * (1 + random());
      values.push(String(x), x.toPrecision(17), x.toPrecision(16 + (k % 6)));
      const digits = Array.from({ length: 5 + (k % 18) }, () => Math.floor(random() * 10)).join('');
      values.push(`${1 + Math.floor(random() * 2 ** (10 + (k % 43)))}.${digits}`);
    }
    for (let m = 1; m <= 30; m++) for (const w of [1, 3, 1700000000, 2 ** 31 - 1, 2 ** 52 + 1, 2 ** 53 - 1, 123456789012345]) {
      for (const j of [1, 2 ** m - 1, 2 ** (m - 1) + 1]) values.push(`${w}.${(j / 2 ** m).toFixed(m).slice(2)}`);
    }
    values.push('0', '-0', '1700000001.0', '.5', '5.', '1e5', '1.5e+20', '12345678901234567', '0.000001', '-1700000001.31354');
    const text = values.map((value, k) => `${k}\u001fS\u001f${value}\u001f${k}`).join('\u001e');
    expect(rows.parse(text)).toBeNull();
    expect(rows.count).toBe(values.length);
    for (let k = 0; k < values.length; k++) expect(Object.is(rows.time[k], Number(values[k])), values[k]).toBe(true);
  });
});
