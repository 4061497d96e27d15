/**
 * Lane assignment (greedy interval colouring), by hand and on random intervals.
 */
import { describe, expect, it } from 'vitest';
import { assignLanes } from '../../src/analysis/lanes.js';

const all = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('assignLanes', () => {
  it('places the example of its doc comment: lanes 0, 1, 1, 0', () => {
    const { lane, lanes } = assignLanes([0, 2, 5, 10], [10, 5, 8, 12], all(4));
    expect(Array.from(lane)).toEqual([0, 1, 1, 0]);
    expect(lanes).toBe(2);
  });

  it('reuses a lane for a task that starts exactly when another ends, and the lowest free lane first', () => {
    // [0,4) [0,6) [4,9) [6,7) [7,8): at 4 lane 0 frees; at 6 lane 1 frees; at 7 lane 1 again.
    const { lane, lanes } = assignLanes([0, 0, 4, 6, 7], [4, 6, 9, 7, 8], all(5));
    expect(Array.from(lane)).toEqual([0, 1, 0, 1, 1]);
    expect(lanes).toBe(2);
  });

  it('gives zero-length intervals a lane, which the next interval may reuse at once', () => {
    const { lane, lanes } = assignLanes([3, 3, 3], [3, 3, 9], all(3));
    expect(Array.from(lane)).toEqual([0, 0, 0]);
    expect(lanes).toBe(1);
  });

  it('on random intervals: never two overlapping intervals on a lane, and as many lanes as the peak of concurrency', () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 30; round++) {
      const n = 1 + Math.floor(random() * 300);
      const start = Array.from({ length: n }, () => Math.floor(random() * 1000));
      const end = start.map((s) => s + 1 + Math.floor(random() * 100));
      const order = all(n).sort((a, b) => start[a] - start[b] || a - b);
      const { lane, lanes } = assignLanes(start, end, order);
      const byLane = new Map<number, number[]>();
      for (let i = 0; i < n; i++) byLane.set(lane[i], [...(byLane.get(lane[i]) ?? []), i]);
      for (const members of byLane.values()) {
        members.sort((a, b) => start[a] - start[b] || end[a] - end[b]);
        for (let k = 1; k < members.length; k++) expect(start[members[k]]).toBeGreaterThanOrEqual(end[members[k - 1]]);
      }
      // Peak concurrency over half-open intervals (it is reached at some start).
      let peak = 0;
      for (const t of new Set(start)) {
        const open = all(n).filter((i) => start[i] <= t && t < end[i]).length;
        peak = Math.max(peak, open);
      }
      expect(lanes).toBe(peak);
    }
  });
});
