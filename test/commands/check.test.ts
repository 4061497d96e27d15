/**
 * The check on the real Summit runs, through the CLI: DG2 async against its own baseline passes;
 * DG2 sync against the DG2 async baseline fails the makespan (+35%) and asynchronicity rules
 * with exit 1 and names them; bad input is exit 2; the JUnit file validates and the Markdown
 * table and annotations give the same verdicts as the JSON.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckJson } from '../../src/check/outputs/json.js';
import { cli, cliJson, tempDir } from '../helpers/cli.js';
import { junitCases, junitProblems, markdownRows } from '../helpers/junit-schema.js';
import { SUMMIT } from '../helpers/traces.js';
import { beforeAllWithShared, describeWithShared } from '../helpers/shared-traces.js';

let dir: string;
let db: string;
let baseline: string;
const run = (args: string[], env: NodeJS.ProcessEnv = {}) => cli([...args, '--db', db], { env: { GITHUB_ACTIONS: '', ...env } });
const runJson = <T>(args: string[], env: NodeJS.ProcessEnv = {}) => cliJson<T>([...args, '--db', db], { env: { GITHUB_ACTIONS: '', ...env } });

const RULES = [
  '--max-increase', 'makespan_s=5%',
  '--max-decrease', 'asynchronicity.doa=10%',
  '--max-decrease', 'asynchronicity.async_fraction=10%',
  '--min', 'utilization.gpu=0.60',
  '--max-increase', 'groups.T0.busy_s=5%',
];

beforeAllWithShared(async () => {
  dir = tempDir();
  db = path.join(dir, 'summit.db');
  baseline = path.join(dir, 'baselines', 'dg2-async.json');
  for (const [trace, mode, label] of [[SUMMIT.dg2Sync, 'sync', 'dg2-sync'], [SUMMIT.dg2Async, 'async', 'dg2-async']] as const) {
    const r = await run(['ingest', trace.file, '--mode', mode, '--label', label]);
    expect(r.code, r.stderr).toBe(0);
  }
  const saved = await runJson<{ out: string; samples: string[]; version: number }>(['baseline', 'save', 'dg2-async', '--out', baseline, '--sync', 'dg2-sync', '--spec', 'traces/specs/dg2.yaml']);
  expect(saved.code, saved.stderr).toBe(0);
  expect(saved.json).toMatchObject({ out: baseline, samples: [SUMMIT.dg2Async.id], version: 1 });
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describeWithShared.concurrent('baseline save', () => {
  it('snapshots the analyze --json object of the run, with compare and predict results', async () => {
    const doc = JSON.parse(fs.readFileSync(baseline, 'utf8'));
    const analyzed = await runJson<{ runs: unknown[] }>(['analyze', 'dg2-async']);
    expect(doc).toMatchObject({ format: 'asyncscope-baseline', version: 1, asyncscope_version: '0.1.0', run: 'dg2-async', label: 'dg2-async', by: 'type', sync_run: SUMMIT.dg2Sync.id, spec: 'traces/specs/dg2.yaml' });
    expect(Date.parse(doc.created)).toBeGreaterThan(Date.parse('2025-01-01'));
    expect(doc.samples).toHaveLength(1);
    expect(doc.samples[0].analyze).toEqual(analyzed.json.runs[0]);
    expect(doc.samples[0].compare.measured.improvement).toBeCloseTo(0.2596, 4);
    expect(doc.predict.improvement.vs_sync).toBeCloseTo(0.2615, 4);
  });
});

describeWithShared.concurrent('check on the Summit runs', () => {
  it('passes DG2 async against its own baseline', async () => {
    const r = await runJson<CheckJson>(['check', 'dg2-async', '--baseline', baseline, ...RULES]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.passed).toBe(true);
    expect(r.json.rules).toHaveLength(5);
    for (const rule of r.json.rules) expect(rule).toMatchObject({ run: 'dg2-async', passed: true, significant: null });
    expect(r.json.rules[0]).toEqual({
      name: 'makespan_s max-increase 5%',
      metric: 'makespan_s',
      run: 'dg2-async',
      value: expect.closeTo(SUMMIT.dg2Async.makespan, 3),
      baseline: expect.closeTo(SUMMIT.dg2Async.makespan, 3),
      limit: expect.closeTo(SUMMIT.dg2Async.makespan * 1.05, 3),
      passed: true,
      significant: null,
      message: '1332.734 vs baseline 1332.734: +0.0%, within +5% (limit 1399.371)',
    });
  });

  it('fails DG2 sync against the DG2 async baseline on makespan (+35%) and asynchronicity, with exit 1, naming them', async () => {
    const r = await runJson<CheckJson>(['check', 'dg2-sync', '--baseline', baseline, ...RULES]);
    expect(r.code).toBe(1);
    expect(r.json.passed).toBe(false);
    const failed = r.json.rules.filter((rule) => !rule.passed).map((rule) => rule.metric);
    expect(failed).toEqual(['makespan_s', 'asynchronicity.doa', 'asynchronicity.async_fraction']);
    const makespan = r.json.rules[0];
    expect(makespan.value / makespan.baseline! - 1).toBeCloseTo(0.3507, 4);
    expect(makespan.message).toBe('1800.123 vs baseline 1332.734: +35.1%, beyond +5% (limit 1399.371)');
    expect(r.json.rules[1].message).toBe('1 vs baseline 1.5275: -34.5%, beyond -10% (limit 1.3748)');
    expect(r.json.rules[2].message).toBe('0 vs baseline 0.5275: -100.0%, beyond -10% (limit 0.4748)');
    expect(r.json.rules.slice(3).every((rule) => rule.passed)).toBe(true); // GPU utilization 0.6412 >= 0.60; T0 busy 387.139 s
    expect(r.stderr).toBe(
      'asyncscope: check failed: 3 of 5 rules failed: makespan_s max-increase 5% (dg2-sync), asynchronicity.doa max-decrease 10% (dg2-sync), asynchronicity.async_fraction max-decrease 10% (dg2-sync)\n',
    );
  });

  it('prints a table with the verdicts and why', async () => {
    const r = await run(['check', 'dg2-sync', '--baseline', baseline, ...RULES]);
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^RULE +METRIC +RUN +VALUE +BASELINE +LIMIT +VERDICT +WHY$/);
    expect(lines[1]).toMatch(/^makespan_s max-increase 5% +makespan_s +dg2-sync +1800\.123 +1332\.734 +1399\.371 +FAIL +1800\.123 vs baseline/);
    expect(r.stdout).toContain('asyncscope check: 3 of 5 rules failed: makespan_s max-increase 5% (dg2-sync)');
  });

  it('checks compare and predict metrics against the baseline', async () => {
    const args = ['check', 'dg2-async', '--baseline', baseline, '--sync', 'dg2-sync', '--spec', 'traces/specs/dg2.yaml'];
    const r = await runJson<CheckJson>([...args, '--max-decrease', 'compare.measured.improvement=5pp', '--max', 'compare.error.async=2%', '--min', 'compare.error.async=-2%', '--min', 'predict.improvement.vs_sync=20%', '--min', 'overlap.T3T6.T7.fraction=0.9']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.rules.map((rule) => [rule.metric, rule.run, rule.passed])).toEqual([
      ['compare.measured.improvement', 'dg2-async', true],
      ['compare.error.async', 'dg2-async', true],
      ['compare.error.async', 'dg2-async', true],
      ['predict.improvement.vs_sync', 'spec traces/specs/dg2.yaml', true],
      ['overlap.T3T6.T7.fraction', 'dg2-async', true],
    ]);
    expect(r.json.rules[0].value).toBeCloseTo(0.2596, 4);
    // DG2 sync has no T4T5 group: asked for, it is bad input, not a failure
    const missing = await run(['check', 'dg2-sync', '--min', 'overlap.T3T6.T4T5.seconds=1']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(`asyncscope: error: run ${SUMMIT.dg2Sync.id} has no group "T4T5" for overlap.T3T6.T4T5.seconds (its groups by type: T0, T1T2, T3T6, T7)\n`);
  });

  it('says when the --sync run is stored as asynchronous, as compare does (check and baseline save)', async () => {
    const warning = `asyncscope: warning: run ${SUMMIT.dg2Async.id} is stored as an asynchronous run but given as the synchronous one\n`;
    const checked = await run(['check', 'dg2-sync', '--sync', 'dg2-async', '--max', 'compare.error.async=100%']);
    expect(checked.stderr).toContain(warning);
    const saved = await run(['baseline', 'save', 'dg2-sync', '--sync', 'dg2-async', '--out', path.join(dir, 'swapped.json')]);
    expect(saved.code, saved.stderr).toBe(0);
    expect(saved.stderr).toContain(warning);
  });

  it('--informational reports what would fail and exits 0', async () => {
    const r = await runJson<CheckJson>(['check', 'dg2-sync', '--baseline', baseline, ...RULES, '--informational']);
    expect(r.code).toBe(0);
    expect(r.json.passed).toBe(true);
    expect(r.json.rules.filter((rule) => !rule.passed)).toHaveLength(3);
    expect(r.json.rules[0].message).toMatch(/beyond \+5% \(limit 1399\.371\); informational: does not fail the check$/);
    const table = await run(['check', 'dg2-sync', '--baseline', baseline, ...RULES, '--informational']);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('asyncscope check: 2 of 5 rules passed; 3 would fail but are informational');
  });
});

describeWithShared.concurrent('bad input is exit 2 with one line on stderr', () => {
  it('names a metric that does not exist, and lists the known ones', async () => {
    const r = await run(['check', 'dg2-async', '--baseline', baseline, '--max-increase', 'makespan_ms=5%']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')).toHaveLength(2);
    expect(r.stderr).toMatch(/^asyncscope: error: unknown metric "makespan_ms" \(did you mean makespan_s\?\); known metrics: makespan_s, busy_s, idle_s, .*asynchronicity\.doa; groups\.NAME\./);
  });

  it('refuses a relative rule without a baseline, an unknown run, too few samples, a bad alpha', async () => {
    const cases: [string[], RegExp][] = [
      [['check', 'dg2-async', '--max-increase', 'makespan_s=5%'], /--max-increase compares with a baseline: give --baseline FILE/],
      [['check', 'dg2-asnyc', '--min', 'utilization.gpu=0.8'], /no run with id or label "dg2-asnyc" \(did you mean "dg2-async"\?\)/],
      [['check', '--min', 'utilization.gpu=0.8'], /which runs does it judge\? give RUN/],
      [['check', 'dg2-async'], /no rules to check/],
      [['check', 'dg2-async', '--baseline', baseline, '--max-increase', 'makespan_s=5%', '--min-samples', '3'], /rule "makespan_s max-increase 5%": dg2-async has 1 run\(s\), fewer than --min-samples 3/],
      [['check', 'dg2-async', '--min', 'utilization.gpu=0.8', '--alpha', '2'], /--alpha 2: 2: expected a significance level above 0 and at most 0\.5/],
      [['check', 'dg2-async', '--baseline', path.join(dir, 'nope.json'), '--max-increase', 'makespan_s=5%'], /nope\.json: no such baseline file/],
      [['check', 'dg2-async', '--baseline', baseline, '--max-increase', 'compare.error.async=5%'], /compare\.error\.async compares a synchronous run with each candidate: give --sync RUN/],
      [['check', 'dg2-async', '--baseline', baseline, '--by', 'stage', '--max-increase', 'makespan_s=5%'], /grouped by stage, but baseline .* was saved grouped by type/],
      [['check', 'dg2-async', '--repeats', '2', '--min', 'utilization.gpu=0.8'], /asked for the latest 2 runs labelled "dg2-async", but only 1 carry it/],
    ];
    const results = await Promise.all(cases.map(([args]) => run(args)));
    results.forEach((r, i) => {
      const [args, message] = cases[i];
      expect([r.code, r.stderr], args.join(' ')).toEqual([2, expect.stringMatching(message)]);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    });
  });

  it('refuses a baseline of an unknown format version', async () => {
    const doc = JSON.parse(fs.readFileSync(baseline, 'utf8'));
    const newer = path.join(dir, 'v2.json');
    fs.writeFileSync(newer, JSON.stringify({ ...doc, version: 2 }));
    const r = await run(['check', 'dg2-async', '--baseline', newer, '--max-increase', 'makespan_s=5%']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/v2\.json: baseline format version 2 is newer than this asyncscope reads \(asyncscope 0\.1\.0 reads version 1/);
  });
});

describeWithShared.concurrent('CI outputs', () => {
  it('writes JUnit XML that validates against the JUnit schema, a Markdown table and annotations, all with the verdicts of the JSON', async () => {
    const junit = path.join(dir, 'out', 'junit.xml');
    const markdown = path.join(dir, 'summary.md');
    const r = await runJson<CheckJson>(['check', 'dg2-sync', '--baseline', baseline, ...RULES, '--junit', junit, '--markdown', markdown], { GITHUB_ACTIONS: 'true' });
    expect(r.code).toBe(1);
    expect(await junitProblems(junit)).toBeNull();

    const xml = fs.readFileSync(junit, 'utf8');
    expect(xml).toMatch(/<testsuites name="asyncscope check" tests="5" failures="3" errors="0" time="0">/);
    const cases = junitCases(xml);
    expect(cases.map((c) => [c.name, c.classname, c.failure])).toEqual(r.json.rules.map((rule) => [rule.name, rule.run, rule.passed ? null : rule.message]));

    const rows = markdownRows(fs.readFileSync(markdown, 'utf8'));
    expect(rows).toEqual(r.json.rules.map((rule) => ({ verdict: rule.passed ? 'pass' : 'FAIL', rule: rule.name })));
    expect(fs.readFileSync(markdown, 'utf8')).toMatch(/^### asyncscope check: 3 of 5 rules failed: /);

    // With --json, stdout holds only the JSON: the annotations go to stderr.
    const annotations = r.stderr.split('\n').filter((line) => line.startsWith('::'));
    expect(annotations).toEqual(
      r.json.rules.filter((rule) => !rule.passed).map((rule) => expect.stringMatching(new RegExp(`^::error title=asyncscope check failed%3A ${rule.name.replace(/[.%]/g, (c) => (c === '.' ? '\\.' : '%25'))} \\(dg2-sync\\)::${rule.metric.replace(/\./g, '\\.')}%3A|::${rule.metric}: `))),
    );
    expect(annotations[0]).toBe(`::error title=asyncscope check failed%3A makespan_s max-increase 5%25 (dg2-sync)::makespan_s: 1800.123 vs baseline 1332.734: +35.1%25, beyond +5%25 (limit 1399.371)`);
  });

  it('prints annotations on stdout only when GITHUB_ACTIONS=true', async () => {
    const inActions = await run(['check', 'dg2-sync', '--baseline', baseline, '--max-increase', 'makespan_s=5%'], { GITHUB_ACTIONS: 'true' });
    expect(inActions.stdout).toContain('\n::error title=asyncscope check failed%3A makespan_s max-increase 5%25 (dg2-sync)::');
    const outside = await run(['check', 'dg2-sync', '--baseline', baseline, '--max-increase', 'makespan_s=5%']);
    expect(outside.stdout).not.toContain('::error');
    const informational = await run(['check', 'dg2-sync', '--baseline', baseline, '--max-increase', 'makespan_s=5%', '--informational'], { GITHUB_ACTIONS: 'true' });
    expect(informational.stdout).toContain('\n::warning title=asyncscope check would fail%3A makespan_s max-increase 5%25 (dg2-sync)::');
  });

  it('checks everything a rules file names in one step', async () => {
    const rulesFile = path.join(dir, 'asyncscope.checks.yaml');
    fs.writeFileSync(
      rulesFile,
      `baselines:
  dg2: baselines/dg2-async.json
defaults:
  baseline: dg2
rules:
  - name: makespan
    metric: makespan_s
    max_increase: 5%
    runs: { glob: "dg2-*" }
  - name: degree of asynchronicity
    metric: asynchronicity.doa
    max_decrease: 10%
    runs: { latest: dg2-sync }
  - name: GPU utilization (tracked)
    metric: utilization.gpu
    min: 0.8
    runs: dg2-sync
    informational: true
  - name: predicted improvement
    metric: predict.improvement.vs_sync
    max_decrease: 1pp
    spec: traces/specs/dg2.yaml
`,
    );
    fs.mkdirSync(path.join(dir, 'traces', 'specs'), { recursive: true });
    fs.copyFileSync('traces/specs/dg2.yaml', path.join(dir, 'traces', 'specs', 'dg2.yaml'));
    const r = await runJson<CheckJson>(['check', '--rules', rulesFile]);
    expect(r.code).toBe(1);
    expect(r.json.rules.map((rule) => [rule.name, rule.run, rule.passed])).toEqual([
      ['makespan', 'dg2-sync', false],
      ['makespan', 'dg2-async', true],
      ['degree of asynchronicity', SUMMIT.dg2Sync.id, false],
      ['GPU utilization (tracked)', 'dg2-sync', false],
      ['predicted improvement', `spec ${path.join(dir, 'traces/specs/dg2.yaml')}`, true],
    ]);
    expect(r.stderr).toContain('asyncscope: check failed: 2 of 5 rules failed: makespan (dg2-sync), degree of asynchronicity');
    expect(r.stderr).toContain('1 would fail but is informational: GPU utilization (tracked) (dg2-sync)');
  });
});
