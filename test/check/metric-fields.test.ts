/**
 * The metrics a check knows (check/metrics.ts keeps their fields by hand, with their units) are
 * every number of `analyze --json`, `compare --json` and `predict --json`: a field added to one of
 * those outputs fails here until it is either made a metric or listed below as not one, with why.
 * The outputs are the real ones, of the DG2 runs and spec.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeStoredRun } from '../../src/analysis/stored-run.js';
import { KNOWN_METRICS } from '../../src/check/metrics.js';
import { compareRuns, comparisonJson } from '../../src/model/compare.js';
import { loadRunData } from '../../src/model/from-store.js';
import { predict, predictionJson } from '../../src/model/predict.js';
import { readSpecFile } from '../../src/model/spec-file.js';
import { ROOT } from '../helpers/cli.js';
import { ingestInto, memoryStore } from '../helpers/store.js';
import { SUMMIT } from '../helpers/traces.js';
import { beforeAllWithShared, describeWithShared } from '../helpers/shared-traces.js';

/** Numbers of the outputs that are deliberately not metrics. */
const NOT_METRICS = new Set([
  // cores and GPUs per task of a group: a number or a range ({min, max}), a description of the tasks, not a measurement
  'groups.NAME.cores',
  'groups.NAME.gpus',
  'groups.NAME.cores.min',
  'groups.NAME.cores.max',
  'groups.NAME.gpus.min',
  'groups.NAME.gpus.max',
  // the per-stage table of a prediction: stages are named by the spec, checked through groups.* of runs instead
  'predict.stages.NAME.tasks',
  'predict.stages.NAME.level',
  'predict.stages.NAME.alone_s',
  'predict.stages.NAME.start_s',
  'predict.stages.NAME.end_s',
]);

/** Every path to a number in a JSON document, entries of the lists named by `NAME` (groups), `A.B` (overlaps). */
function numberPaths(value: unknown, prefix: string, out: Set<string>): Set<string> {
  if (typeof value === 'number') out.add(prefix);
  else if (Array.isArray(value)) {
    const entry = prefix.endsWith('overlap') ? 'A.B' : 'NAME';
    for (const item of value) numberPaths(item, `${prefix}.${entry}`, out);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) numberPaths(child, prefix === '' ? key : `${prefix}.${key}`, out);
  }
  return out;
}

let analyzeJson: unknown;
let compareJson: unknown;
let predictJson: unknown;

beforeAllWithShared(async () => {
  const store = memoryStore();
  const [sync] = await ingestInto(store, [SUMMIT.dg2Sync.file], { mode: 'sync' });
  const [async] = await ingestInto(store, [SUMMIT.dg2Async.file], { mode: 'async' });
  analyzeJson = (await analyzeStoredRun(store, async, { by: 'type' })).json;
  compareJson = comparisonJson(compareRuns({ sync: await loadRunData(store, sync), async: await loadRunData(store, async) }));
  predictJson = predictionJson(predict(readSpecFile(path.join(ROOT, 'traces', 'specs', 'dg2.yaml'))));
  await store.close();
}, 120_000);

const known = (prefix: string) => KNOWN_METRICS.filter((metric) => (prefix === '' ? !/^(compare|predict)\./.test(metric) : metric.startsWith(prefix)));
const outside = (paths: Set<string>) => [...paths].filter((p) => !NOT_METRICS.has(p)).sort();

describeWithShared('the metrics of check', () => {
  it('are every number of analyze --json (of a run where everything was measured)', () => {
    expect(outside(numberPaths(analyzeJson, '', new Set()))).toEqual([...known('')].sort());
  });

  it('are every number of compare --json', () => {
    expect(outside(numberPaths(compareJson, 'compare', new Set()))).toEqual([...known('compare.')].sort());
  });

  it('are every number of predict --json', () => {
    expect(outside(numberPaths(predictJson, 'predict', new Set()))).toEqual([...known('predict.')].sort());
  });

  it('name only outputs that exist', () => {
    const all = new Set([...numberPaths(analyzeJson, '', new Set()), ...numberPaths(compareJson, 'compare', new Set()), ...numberPaths(predictJson, 'predict', new Set())]);
    for (const metric of KNOWN_METRICS) expect(all.has(metric), metric).toBe(true);
  });
});
