/**
 * Repeated runs through the CLI: a label carrying several runs is judged by its median and the
 * Mann-Whitney test against a baseline saved from several runs; --repeats and --min-samples.
 * The runs are synthetic CSV traces with 10% run-to-run noise (helpers/synthetic-runs.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckJson } from '../../src/check/outputs/json.js';
import { cli, cliJson, tempDir } from '../helpers/cli.js';
import { writeRepeatedRuns } from '../helpers/synthetic-runs.js';

let dir: string;
let db: string;
let baseline: string;
const env = { GITHUB_ACTIONS: '' };
const run = (args: string[]) => cli([...args, '--db', db], { env });
const runJson = <T>(args: string[]) => cliJson<T>([...args, '--db', db], { env });
const makespanRule = ['--max-increase', 'makespan_s=5%'];

beforeAll(async () => {
  dir = tempDir();
  db = path.join(dir, 'repeats.db');
  baseline = path.join(dir, 'base.json');
  writeRepeatedRuns(path.join(dir, 'base'), 'base', { runs: 8, seed: 1 });
  writeRepeatedRuns(path.join(dir, 'same'), 'same', { runs: 8, seed: 2 });
  writeRepeatedRuns(path.join(dir, 'slow'), 'slow', { runs: 8, seed: 3, scale: 1.2 });
  const ingests = await Promise.all(
    ['base', 'same', 'slow'].map((label) => run(['ingest', path.join(dir, label), '--label', label, '--mode', 'async', '--cores', '64', '--gpus', '8'])),
  );
  for (const r of ingests) expect(r.code, r.stderr).toBe(0);
  const saved = await runJson<{ samples: string[] }>(['baseline', 'save', 'base', '--out', baseline]);
  expect(saved.code, saved.stderr).toBe(0);
  expect(saved.json.samples).toHaveLength(8);
  const two = await runJson<{ samples: string[] }>(['baseline', 'save', 'slow', '--repeats', '2', '--out', path.join(dir, 'two.json')]);
  expect(two.json.samples).toEqual(['slow-6', 'slow-7']);
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe.concurrent('repeated runs', () => {
  it('a baseline of a label with repeats holds every run', () => {
    const doc = JSON.parse(fs.readFileSync(baseline, 'utf8'));
    expect(doc.samples.map((s: { id: string }) => s.id)).toEqual(Array.from({ length: 8 }, (_, i) => `base-${i}`));
  });

  it('runs from the same distribution pass', async () => {
    const r = await runJson<CheckJson>(['check', 'same', '--baseline', baseline, ...makespanRule]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.rules[0]).toMatchObject({ run: 'same', passed: true, significant: false });
    expect(r.json.rules[0].message).toMatch(/^median \d+\.\d{3} of 8 runs vs baseline median \d+\.\d{3} of 8 samples: [+-]\d+\.\d% \(95% CI [+-]\d+\.\d% to [+-]\d+\.\d%\)/);
  });

  it('runs 20% slower fail, significantly, and the message says which test decided', async () => {
    const r = await runJson<CheckJson>(['check', 'slow', '--baseline', baseline, ...makespanRule]);
    expect(r.code).toBe(1);
    const rule = r.json.rules[0];
    expect(rule).toMatchObject({ run: 'slow', passed: false, significant: true });
    expect(rule.value / rule.baseline!).toBeGreaterThan(1.1);
    expect(rule.message).toMatch(/^median \d+\.\d{3} of 8 runs vs baseline median \d+\.\d{3} of 8 samples: \+\d+\.\d% \(95% CI .*\), beyond \+5% \(limit \d+\.\d{3}\); .*significant \(Mann-Whitney U p [=<] [\d.]+ <= alpha 0\.05\)$/);
  });

  it('--repeats N judges the latest N runs of the label', async () => {
    const r = await runJson<CheckJson>(['check', 'slow', '--repeats', '3', '--baseline', baseline, ...makespanRule]);
    expect(r.code).toBe(1);
    expect(r.json.rules[0].message).toMatch(/^median \d+\.\d{3} of 3 runs vs baseline median/);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'two.json'), 'utf8')).samples.map((s: { id: string }) => s.id)).toEqual(['slow-6', 'slow-7']);
  });

  it('--min-samples refuses to judge with too few runs (exit 2)', async () => {
    const r = await run(['check', 'slow', '--baseline', baseline, ...makespanRule, '--min-samples', '10']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'asyncscope: error: rule "makespan_s max-increase 5%": slow has 8 run(s), fewer than --min-samples 10: run the benchmark more times (same label), or lower --min-samples\n',
    );
    const fewBaseline = await run(['check', 'slow', '--baseline', path.join(dir, 'two.json'), ...makespanRule, '--min-samples', '3']);
    expect(fewBaseline.code).toBe(2);
    expect(fewBaseline.stderr).toMatch(/two\.json holds 2 sample\(s\), fewer than --min-samples 3/);
  });

  it('a stricter --alpha needs stronger evidence', async () => {
    const r = await runJson<CheckJson>(['check', 'slow', '--repeats', '2', '--baseline', path.join(dir, 'two.json'), ...makespanRule, '--alpha', '0.01']);
    // 2 vs 2 runs: the test cannot reach 0.01, so the medians decide alone (equal here: +0.0%)
    expect(r.json.rules[0]).toMatchObject({ significant: null, passed: true });
    expect(r.json.rules[0].message).toContain('too few runs for a test at alpha 0.01 (2 runs and 2 baseline samples give p = 0.17 at best): judged on the medians alone');
  });
});
