/**
 * The standard normal distribution function, for the large-sample approximation of the
 * Mann-Whitney test. The error function is simple-statistics' (the Numerical Recipes
 * approximation, error below 1.2e-7); its own `cumulativeStdNormalProbability` reads a table in
 * steps of 0.01 and is too coarse for p-values.
 */
import { errorFunction } from 'simple-statistics';

/**
 * P(Z <= z) for a standard normal Z.
 *
 * @example normalCdf(1.6449) // => 0.95
 */
export function normalCdf(z: number): number {
  return 0.5 * (1 + errorFunction(z / Math.SQRT2));
}
