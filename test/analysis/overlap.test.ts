import { describe, expect, it } from 'vitest';
import { groupBusy } from '../../src/analysis/groups.js';
import { intervalsFrom, type IntervalInput } from '../../src/analysis/intervals.js';
import { overlapsOf } from '../../src/analysis/overlap.js';
import { timelineOf } from '../../src/analysis/timeline.js';

function overlaps(list: IntervalInput[]) {
  const intervals = intervalsFrom(list);
  const timeline = timelineOf(intervals);
  return overlapsOf(intervals, timeline, groupBusy(intervals, timeline));
}

describe('overlapsOf', () => {
  it('the drawing of docs/metrics.md: A [0,10) B [5,15) C [16,18)', () => {
    expect(overlaps([{ start: 0, end: 10, group: 'A' }, { start: 5, end: 15, group: 'B' }, { start: 16, end: 18, group: 'C' }])).toEqual([
      { a: 'A', b: 'B', seconds: 5, fraction: 0.5 },
    ]);
  });

  it('a group inside another: fraction 1', () => {
    expect(overlaps([{ start: 0, end: 100, group: 'long' }, { start: 10, end: 20, group: 'short' }, { start: 30, end: 35, group: 'short' }])).toEqual([
      { a: 'long', b: 'short', seconds: 15, fraction: 1 },
    ]);
  });

  it('measures the intersection of unions, not sums over task pairs', () => {
    // three A tasks over the same [0, 10) and two B tasks over [5, 10): overlap 5, not 3 x 2 x 5
    const list: IntervalInput[] = [
      ...[0, 1, 2].map(() => ({ start: 0, end: 10, group: 'A' })),
      ...[0, 1].map(() => ({ start: 5, end: 10, group: 'B' })),
    ];
    expect(overlaps(list)).toEqual([{ a: 'A', b: 'B', seconds: 5, fraction: 1 }]);
  });

  it('touching groups and zero-length tasks do not overlap; one group has no pairs', () => {
    expect(overlaps([{ start: 0, end: 5, group: 'A' }, { start: 5, end: 8, group: 'B' }, { start: 2, end: 2, group: 'C' }])).toEqual([]);
    expect(overlaps([{ start: 0, end: 5 }, { start: 1, end: 4 }])).toEqual([]);
    expect(overlaps([])).toEqual([]);
  });

  it('a group that stops and starts again inside another stretch is counted once per running time', () => {
    expect(
      overlaps([
        { start: 0, end: 100, group: 'A' },
        { start: 10, end: 20, group: 'B' },
        { start: 30, end: 40, group: 'B' },
        { start: 50, end: 110, group: 'B' },
      ]),
    ).toEqual([{ a: 'A', b: 'B', seconds: 70, fraction: 70 / 80 }]);
  });

  it('three groups running together give the three pairs', () => {
    const result = overlaps([{ start: 0, end: 10, group: 'A' }, { start: 2, end: 10, group: 'B' }, { start: 4, end: 6, group: 'C' }]);
    expect(result).toEqual([
      { a: 'A', b: 'B', seconds: 8, fraction: 1 },
      { a: 'A', b: 'C', seconds: 2, fraction: 1 },
      { a: 'B', b: 'C', seconds: 2, fraction: 1 },
    ]);
  });

  it('works with more groups than the dense pair table holds', () => {
    // 1500 groups, each [i, i + 2): every group overlaps its neighbour for 1 s
    const list = Array.from({ length: 1500 }, (_, i) => ({ start: i, end: i + 2, group: `g${String(i).padStart(4, '0')}` }));
    const result = overlaps(list);
    expect(result).toHaveLength(1499);
    expect(result[0]).toEqual({ a: 'g0000', b: 'g0001', seconds: 1, fraction: 0.5 });
    expect(result.every((o) => o.seconds === 1)).toBe(true);
  });
});
