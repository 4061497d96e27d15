import { describe, expect, it } from 'vitest';
import { groupBusy, groupStatsOf } from '../../src/analysis/groups.js';
import { intervalsFrom } from '../../src/analysis/intervals.js';
import { timelineOf } from '../../src/analysis/timeline.js';

describe('groupStatsOf', () => {
  it('the drawing of docs/metrics.md: sim [0,6) [4,10), ml [10,14)', () => {
    const intervals = intervalsFrom([
      { start: 0, end: 6, group: 'sim', cores: 4 },
      { start: 4, end: 10, group: 'sim', cores: 4 },
      { start: 10, end: 14, group: 'ml', cores: 8, gpus: 1 },
    ]);
    const [sim, ml] = groupStatsOf(intervals, timelineOf(intervals));
    expect(sim).toEqual({ name: 'sim', tasks: 2, start: 0, end: 10, busy: 10, cores: 4, gpus: null, duration: { min: 6, median: 6, mean: 6, p95: 6, max: 6, stddev: 0 } });
    expect(ml).toEqual({ name: 'ml', tasks: 1, start: 10, end: 14, busy: 4, cores: 8, gpus: 1, duration: { min: 4, median: 4, mean: 4, p95: 4, max: 4, stddev: 0 } });
  });

  it('gives a range when tasks of a group hold different resources, and duration statistics', () => {
    const intervals = intervalsFrom([
      { start: 0, end: 10, cores: 4, gpus: 0 },
      { start: 0, end: 20, cores: 16, gpus: 1 },
      { start: 0, end: 30, cores: 4, gpus: 1 },
      { start: 0, end: 40, cores: 4, gpus: 1 },
    ]);
    const [g] = groupStatsOf(intervals, timelineOf(intervals));
    expect(g.cores).toEqual({ min: 4, max: 16 });
    expect(g.gpus).toEqual({ min: 0, max: 1 });
    expect(g.duration.median).toBe(25);
    expect(g.duration.p95).toBeCloseTo(38.5, 12);
    expect(g.duration.stddev).toBeCloseTo(Math.sqrt(125), 12);
    expect(g.busy).toBe(40);
  });

  it('a group of zero-length tasks has zero busy time', () => {
    const intervals = intervalsFrom([{ start: 2, end: 2, group: 'z' }, { start: 0, end: 5, group: 'a' }]);
    const stats = groupStatsOf(intervals, timelineOf(intervals));
    expect(stats.map((g) => [g.name, g.busy, g.duration.max])).toEqual([['a', 5, 5], ['z', 0, 0]]);
  });

  it('busy per group counts overlapping tasks of the group once, with its idle stretches left out', () => {
    const intervals = intervalsFrom([
      { start: 0, end: 4, group: 'a' },
      { start: 2, end: 6, group: 'a' },
      { start: 10, end: 12, group: 'a' },
      { start: 1, end: 3, group: 'b' },
    ]);
    expect(Array.from(groupBusy(intervals, timelineOf(intervals)))).toEqual([8, 2]);
  });
});
