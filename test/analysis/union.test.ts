import { describe, expect, it } from 'vitest';
import { intervalsFrom, spanOf, type IntervalInput } from '../../src/analysis/intervals.js';
import { timelineOf } from '../../src/analysis/timeline.js';
import { sharedLength, unionLength, unionOf, unionPieces } from '../../src/analysis/union.js';

function union(list: IntervalInput[]) {
  const intervals = intervalsFrom(list);
  return unionOf(timelineOf(intervals), spanOf(intervals)!);
}

describe('unionOf: busy, idle and gaps', () => {
  it('the drawing of docs/metrics.md: [0,4) [2,6) [9,11) -> busy 8, idle 3, 1 gap', () => {
    expect(union([{ start: 0, end: 4 }, { start: 2, end: 6 }, { start: 9, end: 11 }])).toEqual({ busy: 8, idle: 3, gaps: 1 });
  });

  it('two overlapping tasks count their shared time once', () => {
    expect(union([{ start: 0, end: 10 }, { start: 5, end: 15 }])).toEqual({ busy: 15, idle: 0, gaps: 0 });
  });

  it('identical intervals', () => {
    expect(union([{ start: 2, end: 7 }, { start: 2, end: 7 }, { start: 2, end: 7 }])).toEqual({ busy: 5, idle: 0, gaps: 0 });
  });

  it('touching intervals leave no gap', () => {
    expect(union([{ start: 0, end: 3 }, { start: 3, end: 5 }])).toEqual({ busy: 5, idle: 0, gaps: 0 });
  });

  it('zero-length tasks occupy no time but can open the makespan', () => {
    // [0,0) is a task at 0 that took no time; the run then idles until 4
    expect(union([{ start: 0, end: 0 }, { start: 4, end: 6 }])).toEqual({ busy: 2, idle: 4, gaps: 1 });
    expect(union([{ start: 3, end: 3 }])).toEqual({ busy: 0, idle: 0, gaps: 0 });
    // a zero-length task inside a gap does not split it
    expect(union([{ start: 0, end: 1 }, { start: 2, end: 2 }, { start: 4, end: 5 }])).toEqual({ busy: 2, idle: 3, gaps: 1 });
  });

  it('a single task', () => {
    expect(union([{ start: 1, end: 4 }])).toEqual({ busy: 3, idle: 0, gaps: 0 });
  });

  it('unionLength is RADICAL-Analytics duration() of ranges', () => {
    expect(unionLength({ length: 3, start: Float64Array.of(0, 1, 6), end: Float64Array.of(2, 4, 7) })).toBe(5);
    expect(unionLength({ length: 0, start: new Float64Array(0), end: new Float64Array(0) })).toBe(0);
  });
});

describe('unionPieces and sharedLength', () => {
  it('pieces are disjoint, touching intervals join, zero-length ones vanish', () => {
    const spans = { length: 4, start: Float64Array.of(4, 0, 2, 9), end: Float64Array.of(6, 2, 3, 9) };
    expect(unionPieces(spans)).toEqual({ start: [0, 4], end: [3, 6] });
  });

  it('the shared time of two unions (docs: transfers hidden behind computation)', () => {
    const transfers = { length: 2, start: Float64Array.of(0, 7), end: Float64Array.of(4, 9) };
    const execution = { length: 2, start: Float64Array.of(2, 5), end: Float64Array.of(6, 9) };
    expect(sharedLength(transfers, execution)).toBe(4);
    expect(sharedLength(execution, transfers)).toBe(4);
    expect(sharedLength(transfers, { length: 1, start: Float64Array.of(10), end: Float64Array.of(12) })).toBe(0);
    expect(sharedLength({ length: 0, start: new Float64Array(0), end: new Float64Array(0) }, execution)).toBe(0);
  });
});
