/**
 * `asyncscope export` as a user runs it: Perfetto traces and tables, to files and stdout, and the
 * one-line errors with exit code 2.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, cliJson, tempDir } from '../helpers/cli.js';
import { checkTraceEventFormat } from '../helpers/trace-event-format.js';
import { SUMMIT } from '../helpers/traces.js';
import { WFCOMMONS } from '../helpers/wfcommons.js';
import { beforeAllWithShared, describeWithShared } from '../helpers/shared-traces.js';

const work = tempDir();
const db = path.join(work, 'export.db');
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

beforeAllWithShared(async () => {
  const result = await cli(['ingest', SUMMIT.dg2Async.file, WFCOMMONS.forkjoin.file, '--label', 'x', '--db', db]);
  expect(result.code).toBe(0);
  await cli(['runs', 'edit', SUMMIT.dg2Async.id, '--label', 'dg2-async', '--db', db]);
});

describeWithShared('asyncscope export', () => {
  it('writes a Perfetto trace, with a summary, and the same figures with --json', async () => {
    const out = path.join(work, 'dg2.json');
    const human = await cli(['export', 'dg2-async', '--out', out, '--db', db]);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^run:\s+re\.session\.login5\.pascuzzi\.019221\.0001\nformat:\s+chrome\nout:\s+.*dg2\.json\ntasks:\s+256 of 256 written\nlayout:\s+5 task types \(processes\), 256 lanes \(threads\)\nbytes:\s+\d+\n$/);
    expect(checkTraceEventFormat(JSON.parse(fs.readFileSync(out, 'utf8')), { strictLanes: true }).problems).toEqual([]);

    const { code, json } = await cliJson<Record<string, unknown>>(['export', 'dg2-async', '--out', `${out}.gz`, '--db', db]);
    expect(code).toBe(0);
    expect(json).toEqual({ run: SUMMIT.dg2Async.id, format: 'chrome', out: `${out}.gz`, tasks: 256, exported: 256, skipped: 0, types: 5, lanes: 256, bytes: fs.statSync(`${out}.gz`).size, uncompressed_bytes: fs.statSync(out).size });
    expect(json.bytes).toBeLessThan(json.uncompressed_bytes as number); // the file's size, not the text's
    expect(zlib.gunzipSync(fs.readFileSync(`${out}.gz`)).equals(fs.readFileSync(out))).toBe(true);
  });

  it('streams a table to stdout with --out -, the format from --format', async () => {
    const result = await cli(['export', 'dg2-async', '--format', 'csv', '--out', '-', '--db', db]);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toBe('uid,name,type,stage,pipeline,state,outcome,node,cores,gpus,start,end,exit_code,cpu_slots,gpu_slots,duration');
    expect(lines).toHaveLength(257);
    const jsonl = await cli(['export', 'dg2-async', '--format', 'jsonl', '--out', '-', '--db', db]);
    expect(JSON.parse(jsonl.stdout.split('\n')[0])).toMatchObject({ uid: 'task.0000', type: 'T0', cores: 16, gpus: 1 });
  });

  it('fails in one line with exit 2: unknown run, unknown format, unscheduled run as chrome, --json with stdout, bad folder', async () => {
    fs.writeFileSync(path.join(work, 'a-file'), '');
    const cases: [string[], RegExp][] = [
      [['export', 'nope', '--out', path.join(work, 'n.json')], /^asyncscope: error: no run with id or label "nope"/],
      [['export', 'dg2-async', '--out', path.join(work, 'n.txt')], /^asyncscope: error: cannot tell the format from the file name ".*n\.txt": give --format chrome\|csv\|jsonl\n$/],
      [['export', 'dg2-async', '--out', '-'], /^asyncscope: error: cannot tell the format from stdout/],
      [['export', WFCOMMONS.forkjoin.id, '--out', path.join(work, 'wf.json')], /^asyncscope: error: run helloworld-forkjoin-10-chameleon is unscheduled: .*\(export it as csv or jsonl\)\n$/],
      [['export', 'dg2-async', '--format', 'csv', '--out', '-', '--json'], /^asyncscope: error: --json prints a summary on stdout/],
      [['export', 'dg2-async', '--out', path.join(work, 'a-file', 'x.json')], /^asyncscope: error: .*x\.json: cannot write the export: .*a-file is a file, not a folder\n$/],
      [['export', 'dg2-async', '--format', 'pdf', '--out', '-'], /^asyncscope: error: .*pdf/],
    ];
    const results = await Promise.all(cases.map(([args]) => cli([...args, '--db', db])));
    for (const [k, [args, message]] of cases.entries()) {
      const result = results[k];
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect(fs.existsSync(path.join(work, 'wf.json'))).toBe(false);
    expect(fs.readdirSync(work).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('creates the folder of --out', async () => {
    const out = path.join(work, 'new', 'folder', 'dg2.csv');
    expect((await cli(['export', 'dg2-async', '--out', out, '--db', db])).code).toBe(0);
    expect(fs.readFileSync(out, 'utf8').split('\n')).toHaveLength(258);
  });

  it('exports an unscheduled run as a table, with a warning', async () => {
    const result = await cli(['export', WFCOMMONS.forkjoin.id, '--out', path.join(work, 'wf.csv'), '--db', db]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/warning: run helloworld-forkjoin-10-chameleon is unscheduled: the table gives each task's runtime as its duration/);
  });
});
