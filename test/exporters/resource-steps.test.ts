/**
 * The resources-in-use step function of the Chrome trace's counters, by hand.
 */
import { describe, expect, it } from 'vitest';
import { resourceSteps } from '../../src/exporters/resource-steps.js';

const all = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('resourceSteps', () => {
  it('gives the steps of its doc comment', () => {
    const steps = resourceSteps([0, 5], [10, 15], [4, 2], [NaN, 1], [0, 1]);
    expect(steps).toEqual({ time: [0, 5, 10, 15], cores: [4, 6, 2, 0], gpus: [0, 1, 1, 0], tasks: [1, 2, 1, 0] });
  });

  it('frees resources before taking them at the same instant, and only counts the tasks in order', () => {
    // Task 1 ends at 5 when task 2 starts: still 6 cores after 5, never 9, so no step at 5.
    // Task 3 is not in the order.
    const steps = resourceSteps([0, 0, 5, 1], [10, 5, 8, 2], [3, 3, 3, 100], [0, 0, 0, 0], [0, 1, 2]);
    expect(steps.time).toEqual([0, 8, 10]);
    expect(steps.cores).toEqual([6, 3, 0]);
    expect(steps.tasks).toEqual([2, 1, 0]);
  });

  it('keeps fractional sums clean', () => {
    const n = 30;
    const steps = resourceSteps(all(n), all(n).map((i) => i + 3), new Array(n).fill(0.1), new Array(n).fill(0.3), all(n));
    // Three tasks run at once from t=2 to t=30 (one ends as the next starts): no steps between.
    expect(steps.time).toEqual([0, 1, 2, 30, 31, 32]);
    expect(steps.cores).toEqual([0.1, 0.2, 0.3, 0.2, 0.1, 0]);
    expect(steps.gpus).toEqual([0.3, 0.6, 0.9, 0.6, 0.3, 0]);
  });
});
