/**
 * The degree-of-asynchronicity sweep: the family's members on hand-computed workflows, the
 * paper's example at both ends, members as normal specs, the command.
 */
import { describe, expect, it } from 'vitest';
import { specToYaml } from '../../src/model/format-spec.js';
import { parseSpec } from '../../src/model/parse-spec.js';
import { predict } from '../../src/model/predict.js';
import { branchesExample, paperExample, simulateSweep, sweepFamily, sweepMembers, sweepLaunchSeconds, sweepPointJson, sweepPointSpec, sweepRunSeconds, sweepScale } from '../../src/model/sweep.js';
import { cliJson } from '../helpers/cli.js';

describe('the sweep family', () => {
  it("the paper's example: 7500 s level by level at the chain-of-levels end, 5500 s asynchronously at the other", () => {
    const family = sweepFamily(paperExample());
    // Between consecutive levels the example lacks C1 -> B2, B1 -> C2 and C2 -> B3; the last level's goes first.
    expect(family.barriers.map(([u, v]) => `${family.base.stages[u].name}->${family.base.stages[v].name}`)).toEqual(['C2->B3', 'C1->B2', 'B1->C2']);
    const points = simulateSweep(family, sweepMembers(family));
    expect(points.map((p) => [p.kept, p.syncS, p.asyncS])).toEqual([
      [3, 7500, 7500],
      [2, 7500, 5500],
      [1, 7500, 5500],
      [0, 7500, 5500],
    ]);
    expect(points[3].improvement).toBeCloseTo(1 - 5500 / 7500, 12);
    // doa at the ends: (500 + 2 x 1000 + 2 x 2000 + 2000 + 2000) / 7500 and (500 + 2 x 5000) / 5500.
    expect(points[0].doa).toBeCloseTo(10500 / 7500, 12);
    expect(points[3].doa).toBeCloseTo(10500 / 5500, 12);
  });

  it('two branches of two stages, by hand: 500 s level by level, 400 s once one barrier is gone', () => {
    // S 100, then b1: 100 -> 200 and b2: 200 -> 100.
    const family = sweepFamily(branchesExample(2, 2));
    expect(family.barriers.map(([u, v]) => `${family.base.stages[u].name}->${family.base.stages[v].name}`)).toEqual(['b2.1->b1.2', 'b1.1->b2.2']);
    const points = simulateSweep(family, [2, 1, 0]);
    expect(points.map((p) => [p.kept, p.degree, p.syncS, p.asyncS])).toEqual([
      [2, 0, 500, 500],
      [1, 0.5, 500, 400],
      [0, 1, 500, 400],
    ]);
    expect(points.map((p) => p.doa)).toEqual([1.4, 1.75, 1.75]);
  });

  it('makes each member a normal spec that predict reads back, and every member keeps the same work and levels', () => {
    const family = sweepFamily(branchesExample(3, 3));
    const chain = sweepPointSpec(family, family.barriers.length);
    const reparsed = parseSpec(specToYaml(chain));
    expect(predict(reparsed).asyncS).toBe(predict(chain).asyncS);
    expect(predict(chain).asyncS).toBe(predict(chain).syncS);
    const totalWork = (spec: typeof chain) => spec.stages.reduce((sum, s) => sum + s.durations.reduce((a, b) => a + b, 0), 0);
    expect(totalWork(sweepPointSpec(family, 0))).toBe(totalWork(chain));
    expect(() => sweepPointSpec(family, family.barriers.length + 1)).toThrow(RangeError);
  });

  it('spreads the members simulated evenly, both ends included; refuses a task-level workflow', () => {
    const family = sweepFamily(branchesExample(4, 4)); // 36 barrier edges
    expect(family.barriers).toHaveLength(36);
    expect(sweepMembers(family, 5)).toEqual([36, 27, 18, 9, 0]);
    expect(() => sweepFamily(parseSpec('tasks: [{ id: a, duration_s: 1 }]'))).toThrow('sweep needs a stage-level workflow');
  });

  it('improves with the degree of asynchronicity on the generated family', () => {
    const points = simulateSweep(sweepFamily(branchesExample(4, 4)), sweepMembers(sweepFamily(branchesExample(4, 4))));
    for (let i = 1; i < points.length; i++) {
      expect(points[i].asyncS).toBeLessThanOrEqual(points[i - 1].asyncS);
      expect(points[i].doa!).toBeGreaterThanOrEqual(points[i - 1].doa! - 1e-12);
    }
    // Every branch does 1000 s of work; level by level pays 400 s at each of 4 levels.
    expect([points[0].syncS, points[points.length - 1].asyncS]).toEqual([1700, 1100]);
  });

  it('asyncscope sweep --json', async () => {
    const { code, json } = await cliJson<{ points: { kept: number; improvement: number }[]; barriers: number; measured: null }>(['sweep', '--branches', '2', '--levels', '2']);
    expect(code).toBe(0);
    expect(json.barriers).toBe(2);
    expect(json.points.map((p) => p.kept)).toEqual([2, 1, 0]);
    expect(json.points[2].improvement).toBeCloseTo(0.2, 12);
    expect(json.measured).toBeNull();
  });

  it('fits the scale of sweep --measure to a budget: the largest 1, 2 or 5 x 10^n, never above 1', () => {
    const family = sweepFamily(paperExample());
    const points = simulateSweep(family, sweepMembers(family));
    // Both ways, every member: 4 x 7500 level by level, 7500 + 3 x 5500 asynchronously.
    expect(sweepRunSeconds(points, 1)).toBe(54_000);
    expect(sweepRunSeconds(points, 0.001)).toBeCloseTo(54, 9);
    expect(sweepScale(points, 60)).toBe(0.001); // 60 / 54000 = 0.00111
    expect(sweepScale(points, 108)).toBe(0.002); // exactly 0.002
    expect(sweepScale(points, 180)).toBe(0.002); // 0.00333
    expect(sweepScale(points, 300)).toBe(0.005); // 0.00556
    expect(sweepScale(points, 53_999)).toBe(0.5);
    expect(sweepScale(points, 54_000)).toBe(1);
    expect(sweepScale(points, 1e9)).toBe(1); // never stretched
    // Starting the tasks counts too: 8 runs of 6 tasks at 15 ms = 0.72 s.
    expect(sweepLaunchSeconds(points, 6)).toBeCloseTo(0.72, 12);
    expect(sweepScale(points, 54.72, 6)).toBe(0.001);
    expect(sweepScale(points, 54.7, 6)).toBe(0.0005);
    expect(sweepScale(points, 0.72, 6)).toBeNull(); // nothing left for the tasks themselves
    expect(sweepScale([{ kept: 0, degree: 1, doa: null, syncS: 0, asyncS: 0, improvement: null }], 60)).toBe(1);
  });

  it('the JSON of a point: the measured fields null until measured, the model at the scale beside them', () => {
    const [point] = simulateSweep(sweepFamily(paperExample()), [0]);
    const simulated = sweepPointJson(point);
    expect(simulated).toEqual({
      kept: 0, degree: 1, doa: point.doa, sync_s: 7500, async_s: 5500, improvement: 1 - 5500 / 7500,
      predicted_sync_s: null, predicted_async_s: null, measured_doa: null, measured_sync_s: null, measured_async_s: null, measured_improvement: null, sync_run: null, async_run: null,
    });
    const measured = sweepPointJson(point, { kept: 0, syncS: 7.6, asyncS: 5.6, doa: 1.9, improvement: 1 - 5.6 / 7.6, syncRun: 'sweep-0-sync', asyncRun: 'sweep-0-async', failed: 0 }, 0.001);
    expect(measured).toMatchObject({ predicted_sync_s: 7.5, predicted_async_s: 5.5, measured_doa: 1.9, measured_sync_s: 7.6, measured_async_s: 5.6, sync_run: 'sweep-0-sync', async_run: 'sweep-0-async' });
    expect(Object.keys(measured)).toEqual(Object.keys(simulated));
  });
});
