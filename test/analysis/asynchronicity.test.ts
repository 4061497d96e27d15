import { describe, expect, it } from 'vitest';
import { asynchronicityOf } from '../../src/analysis/asynchronicity.js';
import { intervalsFrom, type IntervalInput } from '../../src/analysis/intervals.js';
import { timelineOf } from '../../src/analysis/timeline.js';

function asynchronicity(list: IntervalInput[]) {
  const intervals = intervalsFrom(list);
  return asynchronicityOf(intervals, timelineOf(intervals));
}

describe('asynchronicityOf', () => {
  it('the drawing of docs/metrics.md: sim [0,10) [2,6), ml [6,14) -> 4/14 and 18/14', () => {
    const a = asynchronicity([
      { start: 0, end: 10, group: 'sim' },
      { start: 2, end: 6, group: 'sim' },
      { start: 6, end: 14, group: 'ml' },
    ]);
    expect(a.asyncFraction).toBeCloseTo(4 / 14, 12);
    expect(a.doa).toBeCloseTo(18 / 14, 12);
    expect(a).toMatchObject({ activeSeconds: 14, concurrentSeconds: 4, maxGroups: 2 });
  });

  it('one group is never asynchronous, however many tasks overlap', () => {
    expect(asynchronicity([{ start: 0, end: 10 }, { start: 0, end: 10 }, { start: 5, end: 20 }])).toMatchObject({ asyncFraction: 0, doa: 1, maxGroups: 1 });
  });

  it('groups one after the other (touching) are synchronous', () => {
    expect(asynchronicity([{ start: 0, end: 5, group: 'a' }, { start: 5, end: 9, group: 'b' }])).toMatchObject({ asyncFraction: 0, doa: 1 });
  });

  it('identical intervals of two groups: fully asynchronous, doa 2', () => {
    expect(asynchronicity([{ start: 0, end: 5, group: 'a' }, { start: 0, end: 5, group: 'b' }])).toMatchObject({ asyncFraction: 1, doa: 2 });
  });

  it('idle time does not dilute it: only time with k >= 1 counts', () => {
    expect(asynchronicity([{ start: 0, end: 2, group: 'a' }, { start: 0, end: 2, group: 'b' }, { start: 100, end: 102, group: 'a' }])).toMatchObject({ asyncFraction: 0.5, doa: 1.5 });
  });

  it('is null, not NaN, when nothing ran for a positive time', () => {
    expect(asynchronicity([])).toMatchObject({ asyncFraction: null, doa: null });
    expect(asynchronicity([{ start: 3, end: 3, group: 'a' }, { start: 3, end: 3, group: 'b' }])).toMatchObject({ asyncFraction: null, doa: null });
  });
});
