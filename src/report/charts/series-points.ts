/**
 * Binned series as chart points. A bin's value holds from its start to the next bin's start, so
 * charts draw them as steps (`interpolate: 'step-after'`) and each series ends with a closing point
 * at the end of the last bin repeating its value: a series of n bins is n + 1 points.
 */
import type { BinnedSeries } from '../../analysis/series.js';

/** Most points a time-series chart holds, over all its lines and layers. */
export const MAX_POINTS = 2000;

/** Bins per series when a chart draws `layers` of them within MAX_POINTS. */
export function binsFor(layers: number): number {
  return Math.max(1, Math.floor(MAX_POINTS / Math.max(1, layers)) - 1);
}

/** `{t, value}` points of one binned series (mean or max), with the closing point. */
export function binPoints(bins: BinnedSeries, which: 'mean' | 'max', scale = 1): { t: number; value: number }[] {
  const values = bins[which];
  const n = values.length;
  const points = new Array<{ t: number; value: number }>(n === 0 ? 0 : n + 1);
  for (let i = 0; i < n; i++) points[i] = { t: bins.binStart + i * bins.binWidth, value: values[i] * scale };
  if (n > 0) points[n] = { t: bins.binStart + n * bins.binWidth, value: values[n - 1] * scale };
  return points;
}

/**
 * Drops the points of a step series that repeat the value before them: drawn as steps, they add
 * nothing (a plateau of 500 bins is one step). The first and the closing point stay.
 *
 * @example withoutRepeats([{t: 0, value: 2}, {t: 1, value: 2}, {t: 2, value: 5}, {t: 3, value: 5}]) // => t = 0, 2, 3
 */
export function withoutRepeats<P extends { value: number }>(points: P[]): P[] {
  return points.filter((p, i) => i === 0 || i === points.length - 1 || p.value !== points[i - 1].value);
}

/**
 * The same for stacked layers sharing their times: a time is dropped from every layer when no
 * layer changes there, so the layers stay aligned for stacking.
 */
export function withoutRepeatsAcross<P extends { value: number }>(layers: P[][]): P[][] {
  const n = layers.length === 0 ? 0 : layers[0].length;
  const keep = new Uint8Array(n);
  for (let i = 0; i < n; i++) keep[i] = i === 0 || i === n - 1 || layers.some((points) => points[i].value !== points[i - 1].value) ? 1 : 0;
  return layers.map((points) => points.filter((_, i) => keep[i] === 1));
}
