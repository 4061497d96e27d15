/** Seeded samples for the statistics tests: uniform (mulberry32) and normal (Box-Muller). */
import { seededRandom } from '../../src/util/seeded-random.js';

export function normalSampler(seed: number): (mean: number, sd: number) => number {
  const uniform = seededRandom(seed);
  return (mean, sd) => {
    const u = 1 - uniform(); // (0, 1]: log(u) is finite
    const v = uniform();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
}

export function sample(draw: (mean: number, sd: number) => number, n: number, mean: number, sd: number): number[] {
  return Array.from({ length: n }, () => draw(mean, sd));
}
