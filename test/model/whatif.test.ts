/**
 * What if: the seed example (A, then B1-B2-B3 beside C1-C2) on nodes of one core, by hand; the
 * grid flags; the command on a spec.
 */
import { describe, expect, it } from 'vitest';
import { parseFraction, parseNumberList, parseScales } from '../../src/cli/grid-flags.js';
import { parseSpec } from '../../src/model/parse-spec.js';
import type { WorkflowSpec } from '../../src/model/spec.js';
import { paperExample } from '../../src/model/sweep.js';
import { cheapestWithin, scaleDurations, whatIf } from '../../src/model/whatif.js';
import { cliJson } from '../helpers/cli.js';

// The paper's example (sweep.ts holds it) on one node of one core.
const SEED: WorkflowSpec = { ...paperExample(), name: 'seed', platform: { kind: 'nodes', nodes: 1, coresPerNode: 1, gpusPerNode: 0 } };

describe('whatif', () => {
  it('on 1, 2 and 3 one-core nodes: everything in turn, then 7500 s level by level vs 5500 s asynchronously', () => {
    const { points } = whatIf(SEED, { nodes: [1, 2, 3] });
    expect(points.map((p) => [p.nodes, p.sequentialS, p.syncS, p.asyncS])).toEqual([
      [1, 10500, 10500, 10500],
      [2, 10500, 7500, 5500],
      [3, 10500, 7500, 5500],
    ]);
    expect(points[0].improvement).toBe(0);
    expect(points[1].improvement).toBeCloseTo(1 - 5500 / 7500, 12);
    expect(points[1].nodeHours).toBeCloseTo((2 * 5500) / 3600, 12);
    expect(points[1].syncNodeHours).toBeCloseTo((2 * 7500) / 3600, 12);
  });

  it('names the cheapest point within a margin of the fastest', () => {
    const { points } = whatIf(SEED, { nodes: [1, 2, 3] });
    expect(cheapestWithin(points, 0.05)?.nodes).toBe(2);
    // Within 100%, one node (10500 s, 2.92 node-hours) is cheaper than two (3.06).
    expect(cheapestWithin(points, 1)?.nodes).toBe(1);
  });

  it('scales the durations of a type, and refuses an unknown one', () => {
    // C2 at half length: the C branch (3000 s) no longer sets the pace; level by level loses nothing.
    const { points } = whatIf(scaleDurations(SEED, new Map([['C2', 0.5]])), { nodes: [2] });
    expect([points[0].syncS, points[0].asyncS]).toEqual([5500, 5500]);
    expect(() => scaleDurations(SEED, new Map([['D', 2]]))).toThrow('--scale D: no task of that type');
  });

  it('gives a point where a task cannot fit a note instead of makespans', () => {
    const { points } = whatIf(SEED, { nodes: [2], coresPerNode: [0.5, 1] });
    expect(points[0]).toMatchObject({ coresPerNode: 0.5, asyncS: null, note: 'A: 1 cores per task but nodes have 0.5' });
    expect(points[1].asyncS).toBe(5500);
    expect(() => whatIf(parseSpec('stages: [{ name: a, tasks: 1, duration_s: 1 }]'), { nodes: [2] })).toThrow(/has no nodes: give --cores-per-node/);
  });

  it('reads lists, ranges, scales and margins from flags', () => {
    expect(parseNumberList('nodes', '4,8,16', { integers: true })).toEqual([4, 8, 16]);
    expect(parseNumberList('nodes', '1..4,8..16/4')).toEqual([1, 2, 3, 4, 8, 12, 16]);
    expect(() => parseNumberList('nodes', '0,2', { integers: true })).toThrow('--nodes: expected positive values, got 0');
    expect(() => parseNumberList('nodes', '1.5', { integers: true })).toThrow('--nodes: expected whole numbers, got 1.5');
    expect(() => parseNumberList('nodes', '8..4')).toThrow(/FROM <= TO/);
    expect(parseNumberList('gpus-per-node', '0,6', { allowZero: true })).toEqual([0, 6]);
    expect([...parseScales(['T3T6=2x', 'sim=0.5'])]).toEqual([['T3T6', 2], ['sim', 0.5]]);
    expect(() => parseScales(['T3T6'])).toThrow('--scale: expected TYPE=FACTORx');
    expect(parseFraction('within', '5%')).toBeCloseTo(0.05, 12);
  });

  it('asyncscope whatif SPEC --json: a 100-point grid on DG2 and the best point', async () => {
    const { code, json } = await cliJson<{ points: { nodes: number; async_s: number | null; node_hours: number | null }[]; best: { nodes: number; gpus_per_node: number }; within: number }>([
      'whatif',
      'traces/specs/dg2.yaml',
      '--nodes',
      '1..25',
      '--gpus-per-node',
      '2,4,6,8',
      '--best',
    ]);
    expect(code).toBe(0);
    expect(json.points).toHaveLength(100);
    // On its own 16 nodes of 6 GPUs the spec predicts what predict does: 1323.2 s.
    expect(json.points.find((p) => p.nodes === 16 && (p as unknown as { gpus_per_node: number }).gpus_per_node === 6)?.async_s).toBeCloseTo(1323.2, 6);
    expect(json.within).toBe(0.05);
    expect(json.best).toMatchObject({ nodes: 12, gpus_per_node: 8 });
  });
});
