import { describe, expect, it } from 'vitest';
import { concurrencyOf, maxConcurrency, totalDuration } from '../../src/analysis/concurrency.js';
import { intervalsFrom, type IntervalInput } from '../../src/analysis/intervals.js';
import { timelineOf } from '../../src/analysis/timeline.js';

function concurrency(list: IntervalInput[], makespan: number) {
  const intervals = intervalsFrom(list);
  return concurrencyOf(intervals, timelineOf(intervals), makespan);
}

describe('concurrency', () => {
  it('the drawing of docs/metrics.md: [0,8) [2,5) [5,10) -> max 2, mean 1.6', () => {
    expect(concurrency([{ start: 0, end: 8 }, { start: 2, end: 5 }, { start: 5, end: 10 }], 10)).toEqual({ max: 2, mean: 1.6 });
  });

  it('two overlapping tasks', () => {
    expect(concurrency([{ start: 0, end: 10 }, { start: 5, end: 15 }], 15)).toEqual({ max: 2, mean: 20 / 15 });
  });

  it('identical intervals all run together', () => {
    expect(concurrency([{ start: 1, end: 2 }, { start: 1, end: 2 }, { start: 1, end: 2 }], 1)).toEqual({ max: 3, mean: 3 });
  });

  it('touching intervals never run together', () => {
    expect(concurrency([{ start: 0, end: 1 }, { start: 1, end: 2 }, { start: 2, end: 3 }], 3)).toEqual({ max: 1, mean: 1 });
  });

  it('zero-length tasks do not run; a zero makespan has no mean', () => {
    expect(concurrency([{ start: 1, end: 1 }, { start: 1, end: 1 }], 0)).toEqual({ max: 0, mean: null });
    expect(concurrency([{ start: 0, end: 4 }, { start: 2, end: 2 }], 4)).toEqual({ max: 1, mean: 1 });
  });

  it('max and total on an empty set', () => {
    const empty = intervalsFrom([]);
    expect(maxConcurrency(timelineOf(empty))).toBe(0);
    expect(totalDuration(empty)).toBe(0);
  });
});
