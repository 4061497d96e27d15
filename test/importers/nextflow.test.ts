/**
 * The Nextflow importer on hand-written edge cases: value forms (human and raw), any field
 * selection and separator, derived intervals, statuses, retries, time zones and bad input. The
 * real traces are in nextflow-real.test.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TraceError } from '../../src/errors.js';
import { timeZoneNamed, UTC } from '../../src/importers/common/time-zone.js';
import { detectNextflow, readNextflow, type NextflowOptions } from '../../src/importers/nextflow/index.js';
import { readHeader } from '../../src/importers/nextflow/fields.js';
import { parseDate, parseDuration, parseMemory, parsePercent } from '../../src/importers/nextflow/values.js';
import { countTasks } from '../../src/run/task-counts.js';
import { tempDir } from '../helpers/cli.js';

const dir = tempDir('asyncscope-nextflow-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let files = 0;
async function read(text: string, options: NextflowOptions = {}) {
  const file = path.join(dir, `trace-${++files}.txt`);
  fs.writeFileSync(file, text);
  return readNextflow({ path: file, display: 'trace.txt', kind: 'file', explicit: true }, options);
}

const rows = (...lines: string[][]) => lines.map((cells) => cells.join('\t')).join('\n') + '\n';

describe('Nextflow values', () => {
  it('durations in every form Nextflow prints, and raw milliseconds', () => {
    expect(parseDuration('850ms')).toBeCloseTo(0.85, 9);
    expect(parseDuration('3.4s')).toBeCloseTo(3.4, 9);
    expect(parseDuration('4m 19s')).toBe(259);
    expect(parseDuration('1d 2h 3m 4s')).toBe(93784);
    expect(parseDuration('2h 45s')).toBe(7245);
    expect(parseDuration('25m')).toBe(1500);
    expect(parseDuration('0ms')).toBe(0);
    expect(parseDuration('259000')).toBe(259);
    expect(parseDuration('-')).toBeNaN();
    expect(() => parseDuration('4 minutes')).toThrow(/not a duration/);
    expect(() => parseDuration('4m19')).toThrow(/not a duration/);
  });

  it('memory in units of 1024 and bytes; percentages with or without %', () => {
    expect(parseMemory('1.2 GB')).toBeCloseTo(1.2 * 1024 ** 3, 0);
    expect(parseMemory('468 B')).toBe(468);
    expect(parseMemory('756.3 KB')).toBeCloseTo(756.3 * 1024, 6);
    expect(parseMemory('0')).toBe(0);
    expect(parseMemory('1288490188')).toBe(1288490188);
    expect(() => parseMemory('1.2 GiB')).toThrow(/not an amount of memory/);
    expect(parsePercent('95.3%')).toBe(95.3);
    expect(parsePercent('1577.7%')).toBe(1577.7);
    expect(parsePercent('95.3')).toBe(95.3);
    expect(() => parsePercent('high')).toThrow(/not a percentage/);
  });

  it('dates: local wall time in the given zone, or epoch milliseconds', () => {
    expect(parseDate('2021-02-17 14:49:08.180', UTC)).toBeCloseTo(Date.UTC(2021, 1, 17, 14, 49, 8, 180) / 1000, 6);
    expect(parseDate('1613573348180', UTC)).toBe(1613573348.18);
    // Zurich is UTC+1 in February and UTC+2 in July (daylight saving time).
    const zurich = timeZoneNamed('Europe/Zurich');
    expect(parseDate('2021-02-17 14:49:08.180', zurich)).toBeCloseTo(Date.UTC(2021, 1, 17, 13, 49, 8, 180) / 1000, 6);
    expect(parseDate('2021-07-17 14:49:08.000', zurich)).toBeCloseTo(Date.UTC(2021, 6, 17, 12, 49, 8) / 1000, 6);
    expect(parseDate('2021-07-17 14:49:08.000', timeZoneNamed('-05:00'))).toBeCloseTo(Date.UTC(2021, 6, 17, 19, 49, 8) / 1000, 6);
    expect(() => parseDate('17/02/2021 14:49', UTC)).toThrow(/not a date/);
    expect(() => timeZoneNamed('Mars/Olympus')).toThrow(/unknown time zone/);
  });

  it('headers: any field order and separator; other tables are not traces', () => {
    expect(readHeader('task_id\thash\tname\tstatus')).toEqual({ fields: ['task_id', 'hash', 'name', 'status'], separator: '\t' });
    expect(readHeader('name,%cpu,peak_rss,submit')).toEqual({ fields: ['name', '%cpu', 'peak_rss', 'submit'], separator: ',' });
    expect(readHeader('task_id | realtime | status')).toEqual({ fields: ['task_id', 'realtime', 'status'], separator: ' | ' });
    expect(readHeader('task_id,start,end')).toMatch(/"end" is not a Nextflow trace field/);
    const sample = (text: string) => ({ kind: 'file' as const, display: 'x', compression: null, tar: false, binary: false, text });
    expect(detectNextflow(sample('task_id\thash\tnative_id\tname\tstatus\texit\tsubmit\tduration\trealtime\n'))).toBe(true);
    expect(detectNextflow(sample('task_id,type,start_time,end_time\n'))).toBe('');
    expect(detectNextflow(sample('%cpu\tpeak_rss\n'))).toMatch(/name no task/);
  });
});

describe('Nextflow traces', () => {
  it('start and complete, when the trace has them, are the execution interval; submit is an event', async () => {
    const run = await read(
      rows(
        ['task_id', 'process', 'tag', 'status', 'submit', 'start', 'complete', 'cpus', 'hostname', 'native_id'],
        ['1', 'ALIGN', 's1', 'COMPLETED', '2024-03-01 10:00:00.000', '2024-03-01 10:00:05.000', '2024-03-01 10:01:05.500', '4', 'node01', '4242'],
        ['2', 'ALIGN', 's2', 'RUNNING', '2024-03-01 10:00:00.500', '2024-03-01 10:00:06.000', '-', '4', 'node02', '4243'],
        ['3', 'MERGE', '-', 'SUBMITTED', '2024-03-01 10:00:01.000', '-', '-', '2', '-', '4244'],
      ),
      { timeZone: 'UTC' },
    );
    expect(run.tasks.row(0)).toMatchObject({ uid: '1', name: 'ALIGN (s1)', type: 'ALIGN', state: 'COMPLETED', cores: 4, node: 'node01', start: 0, end: 60.5 });
    expect(run.tasks.row(1)).toMatchObject({ uid: '2', start: 1, end: null });
    expect(run.tasks.row(2)).toMatchObject({ uid: '3', name: 'MERGE', start: null, end: null });
    expect(run.tasks.outcome).toEqual(['done', 'running', 'pending']);
    expect(run.epoch).toBe(Date.UTC(2024, 2, 1, 10, 0, 5) / 1000);
    const events = Array.from({ length: run.events.length }, (_, k) => [run.events.task[k], run.events.event[k], run.events.time[k]]);
    expect(events).toEqual([
      [0, 'submit', -5],
      [0, 'start', 0],
      [0, 'end', 60.5],
      [1, 'submit', -4.5],
      [1, 'start', 1],
      [2, 'submit', -4],
    ]);
    expect(run.warnings.some((w) => w.includes('derived'))).toBe(false);
    expect(run.warnings.some((w) => w.includes('read as UTC'))).toBe(false);
  });

  it('raw traces (trace.raw = true): epoch milliseconds, milliseconds, bytes; no zone needed', async () => {
    const run = await read(
      rows(
        ['task_id', 'name', 'status', 'submit', 'duration', 'realtime', 'peak_rss', '%cpu'],
        ['1', 'fastqc (1)', 'COMPLETED', '1700000000000', '65000', '60000', '1288490188', '98.5'],
      ),
    );
    expect(run.tasks.row(0)).toMatchObject({ type: 'fastqc', start: 0, end: 60 });
    expect(run.epoch).toBe(1700000005);
    expect(run.warnings.some((w) => w.includes('read as UTC'))).toBe(false);
    expect(run.warnings.some((w) => w.includes('derived as end = submit + duration'))).toBe(true);
  });

  it('the default fields: end = submit + duration, start = end - realtime, never before submit', async () => {
    const run = await read(
      rows(
        ['task_id', 'hash', 'native_id', 'name', 'status', 'exit', 'submit', 'duration', 'realtime', '%cpu', 'peak_rss', 'peak_vmem', 'rchar', 'wchar'],
        ['1', '09/a655f2', '223086', 'fastqc (1)', 'COMPLETED', '0', '2023-11-14 01:12:18.622', '22m 19s', '22m 14s', '75.4%', '266.6 MB', '18.5 GB', '9.1 GB', '3.7 MB'],
        ['2', 'aa/e323b7', '223004', 'trim (1)', 'COMPLETED', '0', '2023-11-14 01:12:20.000', '2m', '2m 1s', '75.4%', '266.6 MB', '18.5 GB', '9.1 GB', '3.7 MB'],
        ['3', '9c/0a1288', '397902', 'trim (2)', 'FAILED', '137', '2023-11-14 01:12:21.000', '1h 2m', '-', '-', '-', '-', '-', '-'],
      ),
      { timeZone: 'Europe/Zurich' },
    );
    // 01:12 in Zurich is 00:12 UTC (UTC+1 in November).
    const at = (second: number) => Date.UTC(2023, 10, 14, 0, 12, 0) / 1000 + second;
    const absolute = (i: number) => [run.epoch! + run.tasks.start[i], run.epoch! + run.tasks.end[i]];
    expect(absolute(0)[0]).toBeCloseTo(at(18.622 + 5), 6);
    expect(absolute(0)[1]).toBeCloseTo(at(18.622 + 22 * 60 + 19), 6);
    // realtime 2m 1s is longer than duration 2m (both rounded): the start stays at the submission.
    expect(absolute(1)[0]).toBeCloseTo(at(20), 6);
    expect(absolute(1)[1]).toBeCloseTo(at(20 + 120), 6);
    // Without realtime the task is taken to start when submitted.
    expect(absolute(2)[0]).toBeCloseTo(at(21), 6);
    expect(run.epoch).toBeCloseTo(at(20), 6);
    expect(run.tasks.outcome).toEqual(['done', 'done', 'failed']);
    expect(run.warnings.find((w) => w.includes('derived'))).toContain('execution intervals of 3 task run(s)');
  });

  it('CACHED tasks: no start or end, their earlier times as cached_* events, not in the makespan', async () => {
    const run = await read(
      rows(
        ['task_id', 'name', 'status', 'submit', 'duration', 'realtime'],
        ['1', 'a (1)', 'CACHED', '2024-01-01 00:00:00.000', '10s', '9s'],
        ['2', 'b (1)', 'COMPLETED', '2024-01-02 00:00:00.000', '20s', '15s'],
      ),
    );
    expect(countTasks(run.tasks)).toMatchObject({ tasks: 2, executed: 1, makespanS: 15 });
    expect(run.tasks.outcome).toEqual(['cached', 'done']);
    expect(run.tasks.row(0)).toMatchObject({ start: null, end: null });
    const cachedEvents = Array.from({ length: run.events.length }, (_, k) => k).filter((k) => run.events.task[k] === 0).map((k) => run.events.event[k]);
    expect(cachedEvents).toEqual(['cached_submit', 'cached_start', 'cached_end']);
    expect(run.warnings.some((w) => w.includes('1 cached task(s)'))).toBe(true);
  });

  it('retries: the attempts of one task are one task, earlier ones as attempt events with their status', async () => {
    const run = await read(
      rows(
        ['task_id', 'process', 'tag', 'name', 'status', 'attempt', 'submit', 'start', 'complete', 'error_action'],
        ['1', 'ALIGN', 's1', 'ALIGN (s1)', 'FAILED', '1', '1700000000000', '1700000001000', '1700000011000', 'RETRY'],
        ['2', 'ALIGN', 's2', 'ALIGN (s2)', 'COMPLETED', '1', '1700000000000', '1700000001000', '1700000021000', '-'],
        ['3', 'ALIGN', 's1', 'ALIGN (s1)', 'FAILED', '2', '1700000012000', '1700000013000', '1700000014000', 'RETRY'],
        ['4', 'ALIGN', 's1', 'ALIGN (s1)', 'COMPLETED', '3', '1700000015000', '1700000016000', '1700000030000', '-'],
      ),
    );
    expect(run.tasks.length).toBe(2);
    expect(run.tasks.row(0)).toMatchObject({ uid: '2', name: 'ALIGN (s2)' });
    expect(run.tasks.row(1)).toMatchObject({ uid: '4', name: 'ALIGN (s1)', start: 15, end: 29 });
    expect(run.tasks.outcome).toEqual(['done', 'done']);
    const events = Array.from({ length: run.events.length }, (_, k) => k)
      .filter((k) => run.events.task[k] === 1)
      .map((k) => `${run.events.event[k]}${run.events.state[k] ? `:${run.events.state[k]}` : ''}@${run.events.time[k]}`);
    expect(events).toEqual(['attempt_start:FAILED@0', 'attempt_end:FAILED@10', 'attempt_start:FAILED@12', 'attempt_end:FAILED@13', 'submit@14', 'start@15', 'end@29']);
    expect(run.warnings.some((w) => w.includes('2 earlier attempt(s)'))).toBe(true);
  });

  it('a custom separator, and a tag holding it, joined back into the name', async () => {
    const run = await read('task_id,name,status,submit,duration,realtime\n1,ALIGN (s1, lane 2),COMPLETED,1700000000000,2000,1000\n');
    expect(run.tasks.row(0)).toMatchObject({ name: 'ALIGN (s1, lane 2)', type: 'ALIGN', start: 0, end: 1 });
  });

  it('statuses: ABORTED is cancelled, NEW pending; an unknown one is kept, its outcome unknown, and said', async () => {
    const run = await read(rows(['task_id', 'name', 'status'], ['1', 'a', 'ABORTED'], ['2', 'b', 'NEW'], ['3', 'c', 'WAITING']));
    expect(run.tasks.outcome).toEqual(['cancelled', 'pending', null]);
    expect(run.tasks.state).toEqual(['ABORTED', 'NEW', 'WAITING']);
    expect(run.warnings.some((w) => w.includes('"WAITING"'))).toBe(true);
  });

  it('errors name the file, line and field', async () => {
    const header = ['task_id', 'name', 'status', 'submit', 'duration', 'peak_rss'];
    const good = ['1', 'a', 'COMPLETED', '2024-01-01 00:00:00.000', '1s', '1 MB'];
    await expect(read(rows(header, good, ['2', 'b', 'COMPLETED', '2024-01-01 00:00:00.000', 'soon', '1 MB']))).rejects.toThrow('trace.txt:3: field "duration": "soon" is not a duration');
    await expect(read(rows(header, good, ['2', 'b', 'COMPLETED', '01/01/2024', '1s', '1 MB']))).rejects.toThrow('trace.txt:3: field "submit"');
    await expect(read(rows(header, good, ['2', 'b', 'COMPLETED', '2024-01-01 00:00:00.000', '1s', 'lots']))).rejects.toThrow('trace.txt:3: field "peak_rss"');
    await expect(read(rows(header, good, ['1', 'b', 'COMPLETED', '2024-01-01 00:00:00.000', '1s', '1 MB']))).rejects.toThrow('trace.txt:3: field "task_id": duplicate task "1" (first on line 2)');
    await expect(read(rows(['task_id', 'status', 'submit'], ['1', 'COMPLETED']))).rejects.toThrow('trace.txt:2: expected 3 fields');
    await expect(read('task_id\tstatus\n')).rejects.toThrow('no task rows');
    await expect(read(rows(header, good), { timeZone: 'Nowhere/Else' })).rejects.toThrow(/unknown time zone/);
    const error = await read(rows(header, ['1', 'a', 'COMPLETED', '2024-13-01 00:00:00.000', '1s', '1 MB'])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TraceError);
  });
});
