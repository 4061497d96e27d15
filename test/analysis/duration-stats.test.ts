import { describe, expect, it } from 'vitest';
import { durationStats } from '../../src/analysis/duration-stats.js';

describe('durationStats', () => {
  it('10, 20, 30, 40 (any order): median 25, p95 38.5, population stddev sqrt(125)', () => {
    const values = Float64Array.of(40, 10, 30, 20);
    const stats = durationStats(values)!;
    expect(stats).toMatchObject({ min: 10, median: 25, mean: 25, max: 40 });
    expect(stats.p95).toBeCloseTo(38.5, 12);
    expect(stats.stddev).toBeCloseTo(Math.sqrt(125), 12);
    expect(Array.from(values)).toEqual([40, 10, 30, 20]); // the input is not reordered
  });

  it('one value: everything equals it and stddev is 0; none: null', () => {
    expect(durationStats(Float64Array.of(7))).toEqual({ min: 7, median: 7, mean: 7, p95: 7, max: 7, stddev: 0 });
    expect(durationStats(new Float64Array(0))).toBeNull();
  });
});
