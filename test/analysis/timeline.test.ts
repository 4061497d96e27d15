import { describe, expect, it } from 'vitest';
import { intervalsFrom } from '../../src/analysis/intervals.js';
import { timelineOf } from '../../src/analysis/timeline.js';

describe('timelineOf', () => {
  it('sorts points by time with ends before starts at equal times', () => {
    const t = timelineOf(intervalsFrom([{ start: 10, end: 20, group: 'b' }, { start: 0, end: 10, group: 'a' }]));
    expect(Array.from(t.time)).toEqual([0, 10, 10, 20]);
    expect(Array.from(t.isStart)).toEqual([1, 0, 1, 0]);
    expect(Array.from(t.interval)).toEqual([1, 1, 0, 0]);
    expect(Array.from(t.group)).toEqual([0, 0, 1, 1]); // a is group 0 (starts first)
  });

  it('leaves zero-length intervals out but keeps the indexes of the others', () => {
    const t = timelineOf(intervalsFrom([{ start: 5, end: 5 }, { start: 1, end: 3 }]));
    expect(t.length).toBe(2);
    expect(Array.from(t.interval)).toEqual([1, 1]);
  });

  it('is empty for no intervals', () => {
    expect(timelineOf(intervalsFrom([])).length).toBe(0);
  });
});
