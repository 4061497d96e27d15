/**
 * Control characters in a Chrome trace's task names, through the CLI: an HTML document must not
 * hold U+0000 nor (tab, LF and CR aside) any other C0 or C1 control, and a terminal must not
 * receive an ESC sequence. The trace is a real one: the Nextflow trace of ../shared/traces
 * exported as Chrome JSON by asyncscope (the shared traces hold no Chrome trace), then one type
 * and one task name edited in a temporary copy.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, expect, it, vi } from 'vitest';
import { cli, cliJson, tempDir } from '../helpers/cli.js';
import { decode } from '../helpers/html.js';
import { beforeAllWithShared, describeWithShared, sharedTrace } from '../helpers/shared-traces.js';

vi.setConfig({ testTimeout: 120_000 });
const work = tempDir('asyncscope-controls-');
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** NUL, a colour and a title-setting sequence, BEL, a C1 control (NEL) and a right-to-left override. */
const HOSTILE = 'bad\u0000name\u001b[31mRED\u001b]0;pwned\u0007\u0085\u202e';
/** The same as the terminal and the report show it. */
const SHOWN = 'bad\\x00name\\x1b[31mRED\\x1b]0;pwned\\x07\\x85\\u202e';
/** Raw characters neither output may hold (tab, LF and CR are white space in HTML). */
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const db = path.join(work, 'hostile.db');

beforeAllWithShared(async () => {
  const realDb = path.join(work, 'real.db');
  const ingest = await cli(['ingest', sharedTrace('nextflow', 'mandolin_cached', 'pipeline_trace.txt'), '--label', 'mandolin', '--db', realDb]);
  expect(ingest.code, ingest.stderr).toBe(0);
  const exported = path.join(work, 'mandolin.json');
  const exportRun = await cli(['export', 'mandolin', '--out', exported, '--db', realDb]);
  expect(exportRun.code, exportRun.stderr).toBe(0);

  // Every slice of one type gets the hostile type; one of them a hostile task name as well.
  const trace = JSON.parse(fs.readFileSync(exported, 'utf8')) as { traceEvents: { ph: string; name: string; args?: Record<string, unknown> }[] };
  const slices = trace.traceEvents.filter((e) => e.ph === 'X' && e.name === 'fastqc');
  expect(slices.length).toBeGreaterThan(1);
  for (const slice of slices) slice.name = HOSTILE;
  slices[0].args!.name = `${HOSTILE} task`;
  const edited = path.join(work, 'hostile.json');
  fs.writeFileSync(edited, JSON.stringify(trace));
  const hostile = await cli(['ingest', edited, '--format', 'chrome', '--label', 'hostile', '--cores', '64', '--db', db]);
  expect(hostile.code, hostile.stderr).toBe(0);
}, 120_000);

describeWithShared('control characters in a Chrome trace\'s names', () => {
  it('are stored exactly (so the outputs below had them to show)', async () => {
    const json = await cliJson<{ runs: { groups: { name: string }[] }[] }>(['analyze', 'hostile', '--db', db]);
    expect(json.json.runs[0].groups.map((g) => g.name)).toContain(HOSTILE);
  });

  it('reach the report\'s HTML escaped, as the terminal shows them, in tables and SVG text alike', async () => {
    const out = path.join(work, 'hostile.html');
    const result = await cli(['report', 'hostile', '--db', db, '--out', out]);
    expect(result.code, result.stderr).toBe(0);
    const html = fs.readFileSync(out, 'utf8');
    expect(html).not.toMatch(RAW_CONTROL);
    const cells = [...html.matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((m) => decode(m[1]));
    expect(cells).toContain(SHOWN);
    const svgTexts = (html.match(/<svg[\s\S]*?<\/svg>/g) ?? []).flatMap((svg) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => decode(m[1])));
    expect(svgTexts.some((t) => t.startsWith('bad\\x00name\\x1b['))).toBe(true);
  });

  it('reach the terminal escaped, in the text tables of analyze', async () => {
    const result = await cli(['analyze', 'hostile', '--db', db]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).not.toMatch(RAW_CONTROL);
    const rows = result.stdout.split('\n').filter((line) => line.startsWith(SHOWN));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows[0]).toMatch(/^\S+ +\d+ /); // the type's row in the per-type table, on one line
  });
});
