/**
 * `asyncscope compare` as a user runs it: the Summit targets of the issue through the CLI, the
 * JSON shape, the spec files in traces/specs, a run stored in the other role, and the one-line
 * errors with exit code 2.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, it, type ExpectStatic } from 'vitest';
import { cli, cliJson, ROOT, tempDir } from '../helpers/cli.js';
import { summitStore } from '../helpers/fixture-stores.js';
import { SUMMIT } from '../helpers/traces.js';
import { beforeAllWithShared, describeWithShared } from '../helpers/shared-traces.js';

const work = tempDir();
const db = path.join(work, 'compare.db');
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const DG2_SPEC = path.join(ROOT, 'traces', 'specs', 'dg2.yaml');
const DDMD_SPEC = path.join(ROOT, 'traces', 'specs', 'ddmd.yaml');

beforeAllWithShared(() => summitStore(db, { tinyDag: true }), 120_000);

interface ComparisonJson {
  measured: { sync_s: number; async_s: number; improvement: number };
  predicted: { sync_s: number; async_s: number; improvement: number };
  error: { sync: number; async: number; improvement_pp: number };
}

function expectShape(expect: ExpectStatic, json: ComparisonJson) {
  expect(Object.keys(json)).toEqual(['measured', 'predicted', 'error']);
  expect(Object.keys(json.measured)).toEqual(['sync_s', 'async_s', 'improvement']);
  expect(Object.keys(json.predicted)).toEqual(['sync_s', 'async_s', 'improvement']);
  expect(Object.keys(json.error)).toEqual(['sync', 'async', 'improvement_pp']);
  // the errors are what they claim to be
  expect(json.error.sync).toBeCloseTo((json.predicted.sync_s - json.measured.sync_s) / json.measured.sync_s, 12);
  expect(json.error.async).toBeCloseTo((json.predicted.async_s - json.measured.async_s) / json.measured.async_s, 12);
  expect(json.measured.improvement).toBeCloseTo(1 - json.measured.async_s / json.measured.sync_s, 12);
  expect(json.error.improvement_pp).toBeCloseTo(100 * (json.predicted.improvement - json.measured.improvement), 9);
}

describeWithShared.concurrent('asyncscope compare on the Summit traces', () => {
  for (const spec of [undefined, DG2_SPEC]) {
    it(`DG2: sync and async within 3%, improvement within 3 points (${spec ? 'spec' : 'inferred structure'})`, async ({ expect }) => {
      const { code, json, stderr } = await cliJson<ComparisonJson>(['compare', 'dg2-sync', 'dg2-async', '--db', db, ...(spec ? ['--spec', spec] : [])]);
      expect(code, stderr).toBe(0);
      expectShape(expect, json);
      expect(json.measured.sync_s).toBeCloseTo(1800.123, 3);
      expect(json.measured.async_s).toBeCloseTo(1332.734, 3);
      expect(Math.abs(json.error.sync)).toBeLessThan(0.03);
      expect(Math.abs(json.error.async)).toBeLessThan(0.03);
      expect(Math.abs(json.error.improvement_pp)).toBeLessThan(3);
      // the spec's T4T5 has no tasks of its type in the synchronous run, and the user is told
      if (spec) expect(stderr).toMatch(/^asyncscope: warning: no task of the same type and resources \(or name\) in run .* for T4T5: using the spec's durations\n$/);
      else expect(stderr).toBe('');
    });

    it(`DDMD: sync and async within 5%, improvement within 3 points (${spec ? 'spec' : 'inferred structure'})`, async ({ expect }) => {
      const args = ['compare', 'ddmd-sync', 'ddmd-async', '--db', db, ...(spec ? ['--spec', DDMD_SPEC] : [])];
      const { code, json, stderr } = await cliJson<ComparisonJson>(args);
      expect(code, stderr).toBe(0);
      expectShape(expect, json);
      expect(json.measured.sync_s).toBeCloseTo(1660.215, 3);
      expect(json.measured.async_s).toBeCloseTo(1331.514, 3);
      expect(Math.abs(json.error.sync)).toBeLessThan(0.05);
      expect(Math.abs(json.error.async)).toBeLessThan(0.05);
      expect(Math.abs(json.error.improvement_pp)).toBeLessThan(3);
    });
  }

  it('prints a table with the measured and predicted figures and their errors', async ({ expect }) => {
    const result = await cli(['compare', 'dg2-sync', 'dg2-async', '--db', db]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/calibration: +overhead 7\.605 s \(median of 3 gap\(s\)\), durations of 5 task kind\(s\), from the synchronous run/);
    expect(result.stdout).toMatch(/ +MEASURED +PREDICTED +ERROR\nsync_s +1800\.123 +1797\.\d{3} +-0\.1%\nasync_s +1332\.734 +1327\.\d{3} +-0\.4%\nimprovement +26\.0% +26\.2% +\+0\.2 pp\n/);
    expect(result.stdout).toContain('asynchronous execution: 26.0% faster measured, 26.2% predicted (+0.2 percentage points)');
  });

  it('says when a run is stored as the other mode than the role it is given', async ({ expect }) => {
    const swapped = await cli(['compare', 'dg2-async', 'dg2-sync', '--db', db, '--json']);
    expect(swapped.code).toBe(0);
    expect(swapped.stderr).toContain(`asyncscope: warning: run ${SUMMIT.dg2Async.id} is stored as an asynchronous run but given as the synchronous one\n`);
    expect(swapped.stderr).toContain(`asyncscope: warning: run ${SUMMIT.dg2Sync.id} is stored as a synchronous run but given as the asynchronous one\n`);
    expect((await cli(['compare', 'dg2-sync', 'dg2-async', '--db', db, '--json'])).stderr).not.toMatch(/but given as/);
  });

  it('fails in one line with exit 2 for an unknown run, a bad spec, and a run without a timeline', async ({ expect }) => {
    const unknown = await cli(['compare', 'dg2-sync', 'nope', '--db', db]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^asyncscope: error: no run with id or label "nope"/);
    const bad = path.join(work, 'bad.yaml');
    fs.writeFileSync(bad, 'stages:\n  - { name: A, tasks: 1, duration_s: 1, after: [B] }\n');
    const badSpec = await cli(['compare', 'dg2-sync', 'dg2-async', '--spec', bad, '--db', db]);
    expect(badSpec.code).toBe(2);
    expect(badSpec.stderr).toBe(`asyncscope: error: ${bad}: stages[0].after: unknown stage "B"\n`);
    const noTimeline = await cli(['compare', 'tiny-dag', 'dg2-async', '--db', db]);
    expect(noTimeline.code).toBe(2);
    expect(noTimeline.stderr).toMatch(/^asyncscope: error: run tiny-dag has no measured makespan .*\n$/);
  });
});
