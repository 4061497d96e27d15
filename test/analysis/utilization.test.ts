import { describe, expect, it } from 'vitest';
import { intervalsFrom } from '../../src/analysis/intervals.js';
import { utilizationOf } from '../../src/analysis/utilization.js';

describe('utilizationOf', () => {
  const intervals = intervalsFrom([
    { start: 0, end: 10, cores: 4, gpus: 1 },
    { start: 5, end: 10, cores: 8, gpus: 0 },
  ]);

  it('the drawing of docs/metrics.md: 8 cores, 2 GPUs -> cpu 1.0, gpu 0.5', () => {
    expect(utilizationOf(intervals, { cores: 8, gpus: 2 }, 10)).toEqual({ cpu: 1, gpu: 0.5, coreSeconds: 80, gpuSeconds: 10, unknownCores: 0, unknownGpus: 0 });
  });

  it('is null without a capacity, with a zero capacity, or with a zero makespan', () => {
    expect(utilizationOf(intervals, { cores: null, gpus: 0 }, 10)).toMatchObject({ cpu: null, gpu: null });
    expect(utilizationOf(intervals, { cores: 8, gpus: 2 }, 0)).toMatchObject({ cpu: null, gpu: null });
  });

  it('leaves tasks with unknown resources out (a lower bound), and is null when none is known', () => {
    const partly = intervalsFrom([{ start: 0, end: 10, cores: 4 }, { start: 0, end: 10 }]);
    expect(utilizationOf(partly, { cores: 8, gpus: 2 }, 10)).toEqual({ cpu: 0.5, gpu: null, coreSeconds: 40, gpuSeconds: 0, unknownCores: 1, unknownGpus: 2 });
  });

  it('a zero-length task uses nothing', () => {
    const zero = intervalsFrom([{ start: 0, end: 0, cores: 100, gpus: 100 }, { start: 0, end: 2, cores: 1, gpus: 1 }]);
    expect(utilizationOf(zero, { cores: 2, gpus: 1 }, 2)).toMatchObject({ cpu: 0.5, gpu: 1 });
  });
});
