/**
 * CSV/TSV and JSON Lines task tables: column aliases, time formats, capacity, and bad rows that
 * must stop the import with the file, line and column named.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { parseTime } from '../../src/importers/common/time.js';
import { ingest } from '../../src/importers/ingest.js';
import { UNKNOWN_CAPACITY } from '../../src/run/capacity.js';
import { typeFromId } from '../../src/run/task-type.js';
import { isRunWrite } from '../../src/store/store.js';
import { tempDir } from '../helpers/cli.js';
import { BZIP2_FIXTURES } from '../helpers/rp-session.js';
import { ingestInto, memoryStore } from '../helpers/store.js';

const work = tempDir();
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

function write(name: string, content: string | Buffer): string {
  const file = path.join(work, name);
  fs.writeFileSync(file, content);
  return file;
}

async function failure(file: string, format = 'auto'): Promise<string> {
  const store = memoryStore();
  const outcomes = await ingest(store, { paths: [file], format, replace: false });
  expect(await store.listRuns()).toEqual([]); // nothing of a bad file is stored
  const outcome = outcomes[0];
  if (outcome?.kind !== 'failed') throw new Error(`expected a failure, got ${outcome?.kind}`);
  return outcome.error.message;
}

describe('CSV importer', () => {
  it('reads aliased headers, ISO and epoch times, resources, and stores times from the first start', async () => {
    const file = write(
      'mixed.csv',
      [
        'Task_ID,Start Time,end_time,Type,CPUs,gpus,Host,Status,stage,pipeline',
        'sim-1,2024-03-01T10:00:00Z,2024-03-01T10:01:40.25Z,sim,4,1,n01,DONE,p0/s0,p0',
        'sim-2,1709287210,1709287300.5,sim,4,1,n02,DONE,p0/s0,p0',
        'agg-1,2024-03-01T11:00:10+01:00,,aggregate,32,0,n01,RUNNING,p0/s1,p0',
        'ml-1,,,train,4,1,,PENDING,p0/s2,p0',
      ].join('\n'),
    );
    const store = memoryStore();
    const [run] = await ingestInto(store, [file], { capacity: { cores: 64, gpus: 8, nodes: 2 } });
    expect(run).toMatchObject({ id: 'mixed', format: 'csv', tasks: 4, executed: 2, incomplete: 1 });
    expect(run.epoch).toBe(Date.UTC(2024, 2, 1, 10, 0, 0) / 1000);
    expect(run.makespanS).toBeCloseTo(100.5, 9); // sim-2 ends at 10:01:40.5
    expect(run.capacity).toMatchObject({ cores: 64, gpus: 8, nodes: 2 });
    const t = await store.loadTasks(run);
    expect(t.row(0)).toMatchObject({ uid: 'sim-1', type: 'sim', cores: 4, gpus: 1, node: 'n01', state: 'DONE', start: 0, end: 100.25, stage: 'p0/s0', pipeline: 'p0' });
    expect(t.row(1)).toMatchObject({ start: 10, end: 100.5 });
    expect(t.row(2)).toMatchObject({ uid: 'agg-1', start: 10, end: null }); // 11:00:10+01:00 is 10:00:10Z
    expect(t.row(3)).toMatchObject({ uid: 'ml-1', start: null, end: null, node: null });
  });

  it('sniffs tab and semicolon delimiters, derives types from ids, accepts durations instead of ends, reads gzip', async () => {
    const tsv = write('tabbed.tsv', 'id\tstart\tduration\nmProject_ID0000012\t100\t5\nmProject_ID0000013\t101\t7\n');
    const semi = write('semi.csv', 'uid;begin;finish\nt1;0;1\n');
    const gz = write('packed.csv.gz', zlib.gzipSync('id,start,end\na,1,2\nb,2,4\n'));
    const store = memoryStore();
    const [a, b, c] = await ingestInto(store, [tsv, semi, gz]);
    expect((await store.loadTasks(a)).type).toEqual(['mProject', 'mProject']);
    expect(a.makespanS).toBe(8);
    expect(b).toMatchObject({ id: 'semi', tasks: 1, makespanS: 1 });
    expect(c).toMatchObject({ id: 'packed', format: 'csv', tasks: 2, makespanS: 3 });
    expect(a.warnings[0]).toMatch(/capacity unknown/);
  });

  it('reads bzip2-compressed tables by content, whatever their name', async () => {
    // Written by test/fixtures/bzip2/make.sh: the rows 'id,start,end / a,1,2 / b,2,4', and one JSON line.
    const csv = path.join(BZIP2_FIXTURES, 'table.csv.bz2');
    const jsonl = path.join(BZIP2_FIXTURES, 'events.data');
    const store = memoryStore();
    const [c, j] = await ingestInto(store, [csv, jsonl]);
    expect(c).toMatchObject({ format: 'csv', tasks: 2, makespanS: 3 });
    expect(j).toMatchObject({ format: 'jsonl', tasks: 1, makespanS: 5 });
  });

  it('names file, line and column of a bad value, and stores nothing of the file', async () => {
    const file = write('badtime.csv', 'id,start,end\na,1,2\nb,noon,3\nc,4,5\n');
    expect(await failure(file)).toBe(`${file}:3: field "start": "noon" is not a time (epoch seconds or ISO 8601)`);
  });

  it.each([
    ['end before start', 'id,start,end\na,5,2\n', /:2: field "end": end is before start \(2 < 5\)/],
    ['duplicate id', 'id,start,end\na,1,2\na,2,3\n', /:3: field "id": duplicate task id "a" \(first on line 2\)/],
    ['missing id', 'id,start,end\n,1,2\n', /:2: field "id": missing task id/],
    ['negative cores', 'id,start,end,cores\na,1,2,-4\n', /:2: field "cores": "-4" is not a non-negative number/],
    ['end without start', 'id,start,end\na,,2\n', /:2: field "start": missing start for a task that has an end/],
    ['a short row', 'id,start,end\na,1,2\nb,1\n', /:3: .*(Record Length|fields)/i],
    ['an unclosed quote', 'id,start,end\n"a,1,2\n', /:\d+: .*quote/i],
    ['February 30th', 'id,start,end\na,2024-02-30T00:00:00,2024-03-01T00:00:00\n', /:2: field "start": "2024-02-30T00:00:00" is not a time/],
  ])('rejects %s', async (_name, content, expected) => {
    expect(await failure(write(`bad-${_name.replace(/\W+/g, '-')}.csv`, content))).toMatch(expected);
  });

  it.each([
    ['csv', 'id,start,end', (id: string, i: number) => `${id},${i},${i + 1}`, 2],
    ['jsonl', null, (id: string, i: number) => JSON.stringify({ id, start: i, end: i + 1 }), 1],
  ] as const)('names both lines of a task id repeated far apart (%s)', async (format, header, row, firstLine) => {
    // Fingerprints of 20,000 ids are compared after the table is read; only then is it read again for the repeat.
    const rows = Array.from({ length: 20_000 }, (_, i) => row(i === 15_000 ? 't10' : `t${i}`, i));
    const file = write(`repeat-far.${format}`, [...(header ? [header] : []), ...rows].join('\n'));
    expect(await failure(file)).toBe(`${file}:${15_000 + firstLine}: field "id": duplicate task id "t10" (first on line ${10 + firstLine})`);
  });

  it('compares ids once the whole table is read: a bad value after a repeated id is the one reported', async () => {
    const file = write('repeat-then-bad.csv', 'id,start,end\na,1,2\na,2,3\nb,soon,4\n');
    expect(await failure(file)).toMatch(/:4: field "start": "soon" is not a time/);
  });

  it('says why a file is not a recognised trace, and which columns a forced CSV lacks', async () => {
    const file = write('people.csv', 'name,age\nada,36\n');
    expect(await failure(file)).toMatch(/people\.csv: not a recognised trace: as CSV, its header "name,age" has no start column .*no end column/);
    const forced = write('people2.csv', 'who,age\nada,36\n');
    expect(await failure(forced, 'csv')).toMatch(/people2\.csv:1: not a task table: the header has no id column/);
    expect(await failure(write('empty.csv', ''))).toMatch(/not a recognised trace: the file is empty/);
    expect(await failure(write('binary.csv', Buffer.from([0, 1, 2, 3, 255])))).toMatch(/not a recognised trace: binary data/);
  });
});

describe('task outcomes in tables', () => {
  it('reads an outcome column in asyncscope\'s words, else what the state word means, and counts them on the run', async () => {
    const file = write(
      'outcomes.csv',
      ['id,start,end,state,outcome', 'a,0,1,COMPLETED,', 'b,1,2,FAILED,', 'c,,,CANCELLED by 0,', 'd,1,3,weird,', 'e,,,,cached', 'f,2,4,weird,done'].join('\n'),
    );
    const store = memoryStore();
    const [run] = await ingestInto(store, [file]);
    expect(run.outcomes).toEqual({ done: 2, failed: 1, cancelled: 1, cached: 1 });
    const t = await store.loadTasks(run);
    expect(t.outcome).toEqual(['done', 'failed', 'cancelled', null, 'cached', 'done']);
    expect(t.state[2]).toBe('CANCELLED by 0'); // the system's own word is kept verbatim
  });

  it('refuses an outcome that is not one of its words, naming line and column', async () => {
    const file = write('bad-outcome.csv', 'id,start,end,outcome\na,0,1,done\nb,0,1,donee\n');
    expect(await failure(file)).toBe(`${file}:3: field "outcome": unknown outcome "donee" (one of done, failed, cancelled, timeout, cached, skipped, running, pending)`);
  });
});

describe('JSON Lines importer', () => {
  it('reads objects with aliased keys, numbers and strings, skipping blank lines', async () => {
    const file = write(
      'tasks.jsonl',
      [
        '{"task_id": "a.1", "start_time": 10, "end_time": 12.5, "cores": 2, "gpus": 0.5, "type": "sim"}',
        '',
        '{"uid": "b.1", "start": "1970-01-01T00:00:11Z", "end": "1970-01-01T00:00:20Z", "status": "DONE"}',
        '{"id": 7, "start": null}',
      ].join('\n'),
    );
    const store = memoryStore();
    const [run] = await ingestInto(store, [file]);
    expect(run).toMatchObject({ id: 'tasks', format: 'jsonl', tasks: 3, executed: 2, makespanS: 10 });
    const t = await store.loadTasks(run);
    expect(t.row(0)).toMatchObject({ uid: 'a.1', type: 'sim', cores: 2, gpus: 0.5, start: 0, end: 2.5 });
    expect(t.row(1)).toMatchObject({ uid: 'b.1', type: 'b', state: 'DONE', start: 1, end: 10 });
    expect(t.row(2)).toMatchObject({ uid: '7', type: 'task', start: null });
  });

  it('names the line of invalid JSON, of a non-object and of a bad value', async () => {
    expect(await failure(write('broken.jsonl', '{"id":"a","start":1,"end":2}\n{"id": "b", "start": 1,\n'))).toMatch(/broken\.jsonl:2: not valid JSON/);
    expect(await failure(write('array.jsonl', '{"id":"a","start":1,"end":2}\n[1,2]\n'))).toMatch(/array\.jsonl:2: expected a JSON object/);
    expect(await failure(write('obj.jsonl', '{"id":"a","start":1,"end":2}\n{"id":"b","start":{"t":1},"end":2}\n'))).toMatch(
      /obj\.jsonl:2: field "start": expected text, got \{"t":1\}/,
    );
  });
});

describe('time and type helpers', () => {
  it('parses epoch seconds and ISO 8601 with full fractional precision, UTC unless an offset is given', () => {
    expect(parseTime('1709287210.123456')).toBe(1709287210.123456);
    expect(parseTime('2024-03-01T10:00:00.123456Z')).toBeCloseTo(1709287200.123456, 6);
    expect(parseTime('2024-03-01 10:00:00')).toBe(1709287200);
    expect(parseTime('2024-03-01T12:30:00+02:30')).toBe(1709287200);
    expect(parseTime('2024-03-01T05:00:00-0500')).toBe(1709287200);
    expect(parseTime('2024-03-01')).toBe(1709251200);
    for (const bad of ['', 'noon', '2024-13-01', '2024-02-30', '10:00', '1e400']) expect(parseTime(bad), bad).toBeNaN();
  });

  it('strips trailing ids and numbers from ids to name types', () => {
    expect(typeFromId('mProject_ID0000012')).toBe('mProject');
    expect(typeFromId('sim-0042')).toBe('sim');
    expect(typeFromId('t3.0007')).toBe('t3');
    expect(typeFromId('0007')).toBe('task');
    expect(typeFromId('fastqc')).toBe('fastqc');
  });
});

describe('the examples in docs/formats.md', () => {
  it('ingest as documented, CSV and JSON Lines giving the same tasks', async () => {
    const doc = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'formats.md'), 'utf8');
    const block = (lang: string) => doc.split('```' + lang + '\n')[1].split('```')[0];
    const store = memoryStore();
    const [csv, jsonl] = await ingestInto(store, [write('doc-example.csv', block('csv')), write('doc-example.jsonl', block('json'))]);
    expect(csv).toMatchObject({ tasks: 3, executed: 3, makespanS: 407.5 });
    const a = await store.loadTasks(csv);
    const b = await store.loadTasks(jsonl);
    expect([b.uid, b.type, b.start, b.end, b.cores, b.gpus]).toEqual([a.uid, a.type, a.start, a.end, a.cores, a.gpus]);
  });
});

describe('streaming into the store', () => {
  it('finds time zero at the earliest start even when it comes last, and shifts what was already written', async () => {
    const file = write('late-first.csv', 'id,start,end\nb,105,110\nc,103,104\na,100,101\n');
    const store = memoryStore();
    const [run] = await ingestInto(store, [file]);
    expect(run.epoch).toBe(100);
    const t = await store.loadTasks(run);
    expect([t.uid, t.start, t.end]).toEqual([['b', 'c', 'a'], [5, 3, 0], [10, 4, 1]]);
    expect(run.makespanS).toBe(10);
  });

  it('shifts what was written when a start earlier than the whole first batch comes later', async () => {
    // The first batch of rows (8192) gives the provisional time zero (1000); row 9000 starts at 50.
    const rows = Array.from({ length: 10_000 }, (_, i) => (i === 9_000 ? `t${i},50,60` : `t${i},${1000 + i},${1001 + i}`));
    const store = memoryStore();
    const [run] = await ingestInto(store, [write('zero-late.csv', ['id,start,end', ...rows].join('\n'))]);
    expect(run.epoch).toBe(50);
    expect(run.makespanS).toBe(1001 + 9_999 - 50);
    const t = await store.loadTasks(run);
    expect([t.start[0], t.end[0], t.start[9_000], t.end[9_000], t.end[9_999]]).toEqual([950, 951, 0, 10, 1001 + 9_999 - 50]);
  });

  it('recognises content already stored when the hash only becomes known at the end of the stream', async () => {
    const store = memoryStore();
    const [stored] = await ingestInto(store, [write('twice.csv', 'id,start,end\na,1,2\n')]);
    const counts = () => ['runs', 'tasks'].map((t) => store.db.prepare(`SELECT COUNT(*) FROM ${t}`).pluck().get());
    const before = counts();
    // What a big table does: open the run without knowing its hash, write, and learn the hash at the end.
    const writer = await store.beginRun({ id: 'twice-copy', format: 'csv', source: 'x', workflow: null, capacity: UNKNOWN_CAPACITY, scheduled: true }, { replace: false });
    if (!isRunWrite(writer)) throw new Error('expected a writer');
    writer.pushValues('a', null, 'a', null, null, null, null, null, NaN, NaN, 1, 2, NaN, NaN, null, null);
    const result = await writer.commit(stored.contentHash, []);
    expect(result).toMatchObject({ status: 'existing', run: { id: stored.id } });
    expect(counts()).toEqual(before);
  });
});
