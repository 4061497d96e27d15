/**
 * The specs shipped for the runner predict what their header comments say, and fit the runner
 * (whole slots, a platform).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSpec } from '../../src/model/parse-spec.js';
import { predict } from '../../src/model/predict.js';
import { planRun } from '../../src/runner/plan.js';
import { ROOT } from '../helpers/cli.js';

const spec = (name: string) => parseSpec(fs.readFileSync(path.join(ROOT, 'traces', 'specs', name), 'utf8'));

describe('runner specs', () => {
  it("paper.yaml is the paper's example: 10500 s sequential, 7500 s level by level, 5500 s async", () => {
    const p = predict(spec('paper.yaml'));
    expect([p.sequentialS, p.syncS, p.asyncS]).toEqual([10500, 7500, 5500]);
    expect(planRun(spec('paper.yaml'), 0.001).tasks.map((t) => [t.id, t.durationS])).toEqual([
      ['A.0', 0.5], ['B1.0', 1], ['B2.0', 2], ['B3.0', 2], ['C1.0', 1], ['C2.0', 4],
    ]);
  });

  it('dg2-local.yaml keeps DG2 paying off asynchronously: 11.5 s level by level, 8.5 s async', () => {
    const p = predict(spec('dg2-local.yaml'));
    expect([p.syncS, p.asyncS]).toEqual([11.5, 8.5]);
    expect(p.improvement.vsSync).toBeCloseTo(0.261, 3);
    const plan = planRun(spec('dg2-local.yaml'), 1);
    expect(plan.tasks).toHaveLength(18);
    expect(plan.platform).toEqual({ kind: 'nodes', nodes: 2, coresPerNode: 8, gpusPerNode: 2 });
  });
});
