import { describe, expect, it } from 'vitest';
import { intervalsFrom } from '../../src/analysis/intervals.js';
import { binsJson, concurrencySeriesOf, groupStepSeries, resample, runSeriesOf, stepSeries, stepsJson } from '../../src/analysis/series.js';
import { timelineOf } from '../../src/analysis/timeline.js';

const steps = (t: number[], value: number[]) => ({ t: Float64Array.from(t), value: Float64Array.from(value) });

describe('stepSeries', () => {
  it('the drawing of docs/metrics.md: cores over time of a [0,8) 4 cores and b [2,5) 8 cores', () => {
    const intervals = intervalsFrom([{ start: 0, end: 8, cores: 4 }, { start: 2, end: 5, cores: 8 }]);
    expect(stepsJson(stepSeries(timelineOf(intervals), intervals.cores))).toEqual({ t: [0, 2, 5, 8], value: [4, 12, 4, 0] });
    expect(stepsJson(stepSeries(timelineOf(intervals)))).toEqual({ t: [0, 2, 5, 8], value: [1, 2, 1, 0] });
  });

  it('one point per instant, none where nothing changes', () => {
    // b ends as c starts (no change in count at 5); identical d and e start together
    const intervals = intervalsFrom([
      { start: 0, end: 10 },
      { start: 2, end: 5 },
      { start: 5, end: 7 },
      { start: 8, end: 9 },
      { start: 8, end: 9 },
    ]);
    expect(stepsJson(stepSeries(timelineOf(intervals)))).toEqual({ t: [0, 2, 7, 8, 9, 10], value: [1, 2, 1, 3, 1, 0] });
  });

  it('counts unknown amounts as 0 and ends at exactly 0 after fractional amounts', () => {
    const intervals = intervalsFrom([{ start: 0, end: 3, gpus: 0.1 }, { start: 1, end: 2, gpus: 0.2 }, { start: 1, end: 4 }]);
    const s = stepSeries(timelineOf(intervals), intervals.gpus);
    expect(s.value[s.value.length - 1]).toBe(0);
    expect(Array.from(s.t)).toEqual([0, 1, 2, 3]); // nothing changes at 4: the task there has no GPUs
  });

  it('per group, in one pass', () => {
    const intervals = intervalsFrom([{ start: 0, end: 4, group: 'a', cores: 2 }, { start: 1, end: 3, group: 'b', cores: 5 }, { start: 2, end: 6, group: 'a', cores: 2 }]);
    const [a, b] = groupStepSeries(intervals, timelineOf(intervals), intervals.cores);
    expect(stepsJson(a)).toEqual({ t: [0, 2, 4, 6], value: [2, 4, 2, 0] });
    expect(stepsJson(b)).toEqual({ t: [1, 3], value: [5, 0] });
  });

  it('is empty for no intervals', () => {
    expect(stepSeries(timelineOf(intervalsFrom([]))).t.length).toBe(0);
  });
});

describe('resample', () => {
  it('the drawing of docs/metrics.md: two 4 s bins -> mean [8, 6], max [12, 12]', () => {
    expect(binsJson(resample(steps([0, 2, 5, 8], [4, 12, 4, 0]), 2, 0, 8))).toEqual({ bin_start: 0, bin_width: 4, mean: [8, 6], max: [12, 12] });
  });

  it('keeps a short peak visible in max while the mean smooths it', () => {
    const b = resample(steps([0, 4.9, 5, 10], [1, 100, 1, 0]), 2, 0, 10);
    expect(Array.from(b.max)).toEqual([100, 1]);
    expect(b.mean[0]).toBeCloseTo((4.9 + 10 + 0.1 * 0) / 5 + 0, 10);
  });

  it('spreads a long step over many bins and ignores what lies outside [from, to)', () => {
    const b = resample(steps([-5, 0, 3, 20], [9, 2, 6, 0]), 3, 0, 3);
    expect(Array.from(b.mean)).toEqual([2, 2, 2]);
    expect(Array.from(b.max)).toEqual([2, 2, 2]);
  });

  it('gives the time-weighted mean of each bin exactly on a hand case with uneven edges', () => {
    // value 3 on [0, 1.5), 1 on [1.5, 4): bins of 1 s -> [3, 2, 1, 1]
    expect(Array.from(resample(steps([0, 1.5, 4], [3, 1, 0]), 4, 0, 4).mean)).toEqual([3, 2, 1, 1]);
  });

  it('has no bins over an empty range', () => {
    expect(resample(steps([0, 1], [1, 0]), 10, 5, 5).mean.length).toBe(0);
  });
});

describe('run series and concurrency series', () => {
  it('gives totals and a layer per group, over the makespan', () => {
    const intervals = intervalsFrom([
      { start: 0, end: 4, group: 'sim', cores: 4, gpus: 1 },
      { start: 2, end: 6, group: 'ml', cores: 8, gpus: 2 },
    ]);
    const series = runSeriesOf(intervals, timelineOf(intervals), 3, 0, 6);
    expect(stepsJson(series.concurrency.steps)).toEqual({ t: [0, 2, 4, 6], value: [1, 2, 1, 0] });
    expect(Array.from(series.concurrency.bins.max)).toEqual([1, 2, 1]);
    expect(stepsJson(series.cores.steps)).toEqual({ t: [0, 2, 4, 6], value: [4, 12, 8, 0] });
    expect(series.gpus.byGroup.map((g) => [g.group, Array.from(g.bins.mean)])).toEqual([
      ['sim', [1, 1, 0]],
      ['ml', [0, 2, 2]],
    ]);
    // the layers add up to the total in every bin
    for (let b = 0; b < 3; b++) expect(series.cores.byGroup[0].bins.mean[b] + series.cores.byGroup[1].bins.mean[b]).toBe(series.cores.bins.mean[b]);
  });

  it('concurrencySeriesOf: max, mean over the covered time, and bins', () => {
    const s = concurrencySeriesOf(intervalsFrom([{ start: 0, end: 8 }, { start: 2, end: 5 }, { start: 5, end: 10 }]), 5)!;
    expect(s).toMatchObject({ from: 0, to: 10, max: 2, mean: 1.6 });
    expect(Array.from(s.bins.mean)).toEqual([1, 2, 2, 2, 1]);
    expect(concurrencySeriesOf(intervalsFrom([]), 5)).toBeNull();
    expect(concurrencySeriesOf(intervalsFrom([{ start: 1, end: 1 }]), 5)).toMatchObject({ max: 0, mean: null });
  });
});
