/**
 * `asyncscope report` as a user runs it, on the four Summit runs labelled and named as the demo
 * stores them: one run, a pair in either order, --sync/--async with --spec, --out -, --json, and
 * the one-line errors with exit code 2. What the report says is checked on the demo's report
 * (demo.test.ts), which is this command's report of the same runs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { cli, cliJson, tempDir } from '../helpers/cli.js';
import { section } from '../helpers/html.js';
import { summitStore } from '../helpers/fixture-stores.js';
import { WFCOMMONS } from '../helpers/wfcommons.js';
import { beforeAllWithShared, describeWithShared } from '../helpers/shared-traces.js';

const work = tempDir('asyncscope-report-');
const dbFile = path.join(work, 'summit.db');

beforeAllWithShared(() => summitStore(dbFile, { workflows: true }), 120_000);
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

// Independent commands on the demo database, run side by side to keep the suite short.
// Six reports at once on two cores, each drawing up to 19 charts: give them room on a busy machine.
vi.setConfig({ testTimeout: 180_000 });
describeWithShared.concurrent('asyncscope report', () => {
  const out = (name: string) => path.join(work, name);

  it('one run: summary, the run and definitions, no comparison', async () => {
    const result = await cli(['report', 'dg2-async', '--db', dbFile, '--out', out('one.html')]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^wrote .*one\.html \(\d+ kB, 7 charts\)\n$/);
    const one = fs.readFileSync(out('one.html'), 'utf8');
    expect([...one.matchAll(/<section id="([^"]+)">/g)].map((m) => m[1])).toEqual(['summary', 'why', 'why-1', 'runs', 'run-1', 'definitions']);
    expect(section(one, 'summary')).toContain('dg2-async: 256 tasks executed in <strong>1332.734 s</strong>');
    expect(one.match(/<svg /g)).toHaveLength(7);
  });

  it('--out - writes the HTML to stdout and nothing else', async () => {
    const result = await cli(['report', 'ddmd-sync', '--db', dbFile, '--out', '-']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout.startsWith('<!doctype html>\n')).toBe(true);
    expect(result.stdout.trimEnd().endsWith('</html>')).toBe(true);
    expect(result.stdout.match(/<svg /g)).toHaveLength(7);
  });

  it('--json: where it went, the runs, the comparison as compare --json gives it, the sections', async () => {
    const file = out('dg2.html');
    // the pair in either order: recognised by the stored modes
    const { code, json, stderr } = await cliJson<{
      out: string;
      bytes: number;
      runs: { id: string; label: string }[];
      comparisons: ({ title: string; sync: string; async: string; spec: string | null } & Record<string, unknown>)[];
      sections: { id: string; title: string }[];
      charts: number;
    }>(['report', 'dg2-async', 'dg2-sync', '--db', dbFile, '--out', file]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(Object.keys(json)).toEqual(['out', 'bytes', 'runs', 'comparisons', 'sections', 'charts']);
    expect(json.out).toBe(file);
    expect(json.bytes).toBe(fs.statSync(file).size);
    expect(json.runs.map((r) => r.label)).toEqual(['dg2-sync', 'dg2-async']);
    const compare = await cliJson<Record<string, unknown>>(['compare', 'dg2-sync', 'dg2-async', '--db', dbFile]);
    const { title, sync, async, spec, ...figures } = json.comparisons[0];
    expect([title, sync, async, spec]).toEqual(['DG2', json.runs[0].id, json.runs[1].id, null]);
    expect(figures).toEqual(compare.json);
    expect(json.sections.map((s) => s.id)).toEqual(['summary', 'comparisons', 'pair-1', 'why', 'why-1', 'why-2', 'whatif', 'whatif-1', 'runs', 'run-1', 'run-2', 'definitions']);
    expect(json.charts).toBe(19);
  });

  it('--sync and --async with --spec: the spec is the asynchronous structure', async () => {
    const spec = path.resolve('traces/specs/dg2.yaml');
    const { code, json } = await cliJson<{ comparisons: { spec: string | null; predicted: { async_s: number } }[] }>([
      'report', '--sync', 'dg2-sync', '--async', 'dg2-async', '--spec', spec, '--db', dbFile, '--out', out('dg2-spec.html'),
    ]);
    expect(code).toBe(0);
    expect(json.comparisons[0].spec).toBe(spec);
    expect(fs.readFileSync(out('dg2-spec.html'), 'utf8')).toContain(`asyncscope compare dg2-sync dg2-async --spec ${spec}`);
  });

  it('refuses what it cannot report, with one line and exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [['dg2-sync', 'ddmd-sync'], /cannot tell which run is synchronous: .* is stored as sync, .* as sync; name them with --sync RUN --async RUN/],
      [['dg2-sync', 'dg2-async', 'ddmd-sync'], /a report takes one run or a pair, got 3 runs/],
      [['dg2-sync', '--json', '--out', '-'], /--json prints to stdout/],
      [['dg2-sync', '--spec', 'traces/specs/dg2.yaml'], /--spec is for a pair/],
      [['nosuchrun'], /no run with id or label "nosuchrun"/],
      [['dg2-sync', 'dg2-sync'], /both arguments name run/],
    ];
    const results = await Promise.all(cases.map(([args]) => cli(['report', ...(args.includes('--out') ? args : [...args, '--out', out('x.html')]), '--db', dbFile])));
    results.forEach((result, i) => {
      expect(result.code, cases[i][0].join(' ')).toBe(2);
      expect(result.stderr).toMatch(cases[i][1]);
      expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    });
    expect(fs.existsSync(out('x.html'))).toBe(false);
  });

  it('refuses a run without start times (a WfCommons instance): no timeline to draw', async () => {
    const wf = path.join(work, 'wf.db');
    expect((await cli(['ingest', WFCOMMONS.forkjoin.file, '--db', wf])).code).toBe(0);
    const result = await cli(['report', WFCOMMONS.forkjoin.id, '--db', wf, '--out', out('wf.html')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/has task runtimes but no start times .* there is no timeline to report; predict its makespans with asyncscope predict --from-run/);
  });
});
