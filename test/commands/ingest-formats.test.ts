/**
 * `asyncscope ingest` of WfCommons instances and Chrome traces as a user runs it, with the Chrome
 * flags (--chrome-type, --chrome-nested).
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, cliJson, ROOT, tempDir } from '../helpers/cli.js';
import { WFCOMMONS } from '../helpers/wfcommons.js';
import { describeWithShared } from '../helpers/shared-traces.js';

const work = tempDir();
describeWithShared('asyncscope ingest of the new formats', () => {
  it('recognises WfCommons and Chrome traces and takes --chrome-type and --chrome-nested', async () => {
    const local = path.join(work, 'ingest.db');
    const { code, json } = await cliJson<{ format: string; tasks: number }[]>(['ingest', WFCOMMONS.srasearch.file, path.join(ROOT, 'test/fixtures/chrome/handwritten.json'), '--db', local]);
    expect(code).toBe(0);
    expect(json.map((r) => [r.format, r.tasks])).toEqual([
      ['wfcommons', 22],
      ['chrome', 3],
    ]);
    const nested = await cliJson<{ tasks: number }[]>(['ingest', path.join(ROOT, 'test/fixtures/chrome/handwritten.json'), '--chrome-nested', '--replace', '--db', local]);
    expect(nested.json[0].tasks).toBe(4);
    const byCat = await cli(['ingest', path.join(ROOT, 'test/fixtures/chrome/handwritten.json'), '--chrome-type', 'cat', '--replace', '--db', local]);
    expect(byCat.code).toBe(0);
    const show = await cliJson<{ types: { type: string }[] }>(['runs', 'show', 'handwritten', '--db', local]);
    expect(show.json.types.map((t) => t.type).sort()).toEqual(['gpu', 'task']);
    const bad = await cli(['ingest', path.join(ROOT, 'test/fixtures/chrome/handwritten.json'), '--chrome-type', 'colour', '--db', local]);
    expect(bad.code).toBe(2);
  });
});
