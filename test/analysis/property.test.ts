/**
 * Property test: on random interval sets, every sweep-line result equals a brute-force count on a
 * fine grid. Interval ends lie on the grid, so each grid cell has one constant state and counting
 * at cell midpoints is exact.
 */
import { describe, expect, it } from 'vitest';
import { asynchronicityOf } from '../../src/analysis/asynchronicity.js';
import { concurrencyOf } from '../../src/analysis/concurrency.js';
import { groupBusy } from '../../src/analysis/groups.js';
import { intervalsFrom, spanOf, type IntervalInput } from '../../src/analysis/intervals.js';
import { overlapsOf } from '../../src/analysis/overlap.js';
import { resample, runSeriesOf, type StepSeries } from '../../src/analysis/series.js';
import { timelineOf } from '../../src/analysis/timeline.js';
import { unionOf } from '../../src/analysis/union.js';
import { utilizationOf } from '../../src/analysis/utilization.js';
import { seededRandom } from '../../src/util/seeded-random.js';

const STEP = 0.25;
const GROUPS = ['a', 'b', 'c', 'd'];

function randomIntervals(random: () => number): IntervalInput[] {
  const n = 1 + Math.floor(random() * 40);
  const groups = 1 + Math.floor(random() * GROUPS.length);
  const list: IntervalInput[] = [];
  for (let i = 0; i < n; i++) {
    const start = Math.floor(random() * 200) * STEP;
    // a few zero-length tasks, some copies of an earlier interval, otherwise random lengths
    const length = random() < 0.1 ? 0 : Math.floor(random() * 60) * STEP;
    const copy = i > 0 && random() < 0.1 ? list[Math.floor(random() * i)] : null;
    list.push({
      start: copy ? copy.start : start,
      end: copy ? copy.end : start + length,
      group: GROUPS[Math.floor(random() * groups)],
      cores: random() < 0.1 ? NaN : Math.floor(random() * 9),
      gpus: random() < 0.5 ? 0 : 1,
    });
  }
  return list;
}

/** The state of each grid cell of [from, to), by brute force over all intervals. */
function cells(list: IntervalInput[], from: number, to: number) {
  const out: { mid: number; count: number; cores: number; groups: Map<string, number> }[] = [];
  for (let x = from; x < to; x += STEP) {
    const mid = x + STEP / 2;
    let count = 0;
    let cores = 0;
    const groups = new Map<string, number>();
    for (const i of list) {
      if (i.start <= mid && mid < i.end) {
        count++;
        cores += Number.isNaN(i.cores!) ? 0 : i.cores!;
        groups.set(i.group!, (groups.get(i.group!) ?? 0) + 1);
      }
    }
    out.push({ mid, count, cores, groups });
  }
  return out;
}

function valueAt(steps: StepSeries, t: number): number {
  let v = 0;
  for (let i = 0; i < steps.t.length && steps.t[i] <= t; i++) v = steps.value[i];
  return v;
}

describe('sweep lines equal brute force on a grid', () => {
  const random = seededRandom(20230817);
  for (let trial = 0; trial < 200; trial++) {
    const list = randomIntervals(random);
    it(`random set ${trial} (${list.length} intervals)`, () => {
      const intervals = intervalsFrom(list);
      const timeline = timelineOf(intervals);
      const span = spanOf(intervals)!;
      const makespan = span.end - span.start;
      const grid = cells(list, span.start, span.end);

      // busy, idle, gaps
      const busyCells = grid.filter((c) => c.count > 0).length;
      let gaps = 0;
      grid.forEach((c, k) => {
        if (c.count === 0 && (k === 0 || grid[k - 1].count > 0)) gaps++;
      });
      const union = unionOf(timeline, span);
      expect(union.busy).toBeCloseTo(busyCells * STEP, 9);
      expect(union.idle).toBeCloseTo(makespan - busyCells * STEP, 9);
      expect(union.gaps).toBe(gaps);

      // concurrency
      const concurrency = concurrencyOf(intervals, timeline, makespan);
      expect(concurrency.max).toBe(Math.max(0, ...grid.map((c) => c.count)));
      if (makespan > 0) expect(concurrency.mean!).toBeCloseTo(grid.reduce((s, c) => s + c.count, 0) * STEP / makespan, 9);
      else expect(concurrency.mean).toBeNull();

      // asynchronicity
      const active = grid.filter((c) => c.groups.size >= 1);
      const a = asynchronicityOf(intervals, timeline);
      if (active.length === 0) {
        expect(a.asyncFraction).toBeNull();
      } else {
        expect(a.asyncFraction!).toBeCloseTo(active.filter((c) => c.groups.size >= 2).length / active.length, 9);
        expect(a.doa!).toBeCloseTo(active.reduce((s, c) => s + c.groups.size, 0) / active.length, 9);
        expect(a.maxGroups).toBe(Math.max(...active.map((c) => c.groups.size)));
      }

      // per-group busy and pairwise overlap
      const busy = groupBusy(intervals, timeline);
      intervals.groups.forEach((g, c) => expect(busy[c]).toBeCloseTo(grid.filter((cell) => cell.groups.has(g)).length * STEP, 9));
      const overlaps = overlapsOf(intervals, timeline, busy);
      const expected: { a: string; b: string; seconds: number }[] = [];
      intervals.groups.forEach((ga, x) =>
        intervals.groups.forEach((gb, y) => {
          if (y <= x) return;
          const both = grid.filter((cell) => cell.groups.has(ga) && cell.groups.has(gb)).length;
          if (both > 0) expected.push({ a: ga, b: gb, seconds: both * STEP });
        }),
      );
      expect(overlaps.map((o) => [o.a, o.b])).toEqual(expected.map((o) => [o.a, o.b]));
      overlaps.forEach((o, k) => {
        expect(o.seconds).toBeCloseTo(expected[k].seconds, 9);
        expect(o.fraction).toBeGreaterThan(0);
        expect(o.fraction).toBeLessThanOrEqual(1);
      });

      // utilization: core-seconds
      const coreSeconds = grid.reduce((s, c) => s + c.cores, 0) * STEP;
      expect(utilizationOf(intervals, { cores: 10, gpus: 1 }, makespan).coreSeconds).toBeCloseTo(coreSeconds, 9);

      // step series and bins
      if (makespan > 0) {
        const bins = 1 + Math.floor(random() * 12);
        const series = runSeriesOf(intervals, timeline, bins, span.start, span.end);
        for (const c of grid) {
          expect(valueAt(series.concurrency.steps, c.mid)).toBe(c.count);
          expect(valueAt(series.cores.steps, c.mid)).toBeCloseTo(c.cores, 9);
        }
        const width = makespan / bins;
        for (let b = 0; b < bins; b++) {
          const b0 = span.start + b * width;
          const b1 = b === bins - 1 ? span.end : b0 + width;
          let integral = 0;
          let max = 0;
          for (const c of grid) {
            const overlap = Math.min(b1, c.mid + STEP / 2) - Math.max(b0, c.mid - STEP / 2);
            if (overlap > 1e-12) {
              integral += c.count * overlap;
              max = Math.max(max, c.count);
            }
          }
          expect(series.concurrency.bins.mean[b]).toBeCloseTo(integral / (b1 - b0), 9);
          expect(series.concurrency.bins.max[b]).toBe(max);
        }
        // resampling to one bin gives the mean concurrency
        expect(resample(series.concurrency.steps, 1, span.start, span.end).mean[0]).toBeCloseTo(concurrency.mean!, 9);
      }
    });
  }
});
