/**
 * Trace text on the terminal (issue 13.8): a task type that would set the terminal's title, a
 * label with a line break, shown escaped in tables, headlines, warnings and errors; JSON exact.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, cliJson, tempDir } from '../helpers/cli.js';

const work = tempDir();
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const TITLE = '\u001b[31mRED\u001b]0;pwned\u0007';
const ESCAPED = '\\x1b[31mRED\\x1b]0;pwned\\x07';
/** Any control character but the line break, which only ends lines. */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

describe('control characters from traces never reach the terminal raw', () => {
  const db = path.join(work, 'hostile.db');
  const csv = path.join(work, 'hostile.csv');
  fs.writeFileSync(csv, `id,start,end,type\na,0,10,"${TITLE}"\n"b\nc",5,20,sim\n`);

  it('ingest, analyze and runs show escape them in tables and headings; --json keeps them exact', async () => {
    const ingest = await cli(['ingest', csv, '--label', 'two\nlines\u001b[2J', '--db', db]);
    expect(ingest.code, ingest.stderr).toBe(0);
    for (const out of [ingest.stdout, ingest.stderr]) expect(out).not.toMatch(RAW_CONTROL);
    expect(ingest.stdout).toContain('two\\nlines\\x1b[2J');
    expect(ingest.stdout.trim().split('\n')).toHaveLength(2); // header and one row

    const analyze = await cli(['analyze', 'hostile', '--db', db]);
    expect(analyze.code, analyze.stderr).toBe(0);
    expect(analyze.stdout).not.toMatch(RAW_CONTROL);
    expect(analyze.stdout).toContain(ESCAPED);
    expect(analyze.stdout).toMatch(/^hostile {2}\(label two\\nlines\\x1b\[2J, mode unknown, by type\)\n/);

    const show = await cli(['runs', 'show', 'hostile', '--db', db]);
    expect(show.stdout).not.toMatch(RAW_CONTROL);
    expect(show.stdout).toContain(ESCAPED);

    const json = await cliJson<{ runs: { label: string; groups: { name: string }[] }[] }>(['analyze', 'hostile', '--db', db]);
    expect(json.json.runs[0].label).toBe('two\nlines\u001b[2J');
    expect(json.json.runs[0].groups.map((g) => g.name)).toContain(TITLE);
  });

  it('errors naming hostile input escape it too', async () => {
    const result = await cli(['analyze', `nope${TITLE}`, '--db', db]);
    expect(result.code).toBe(2);
    expect(result.stderr).not.toMatch(RAW_CONTROL);
    expect(result.stderr).toContain(`nope${ESCAPED}`);
  });
});
