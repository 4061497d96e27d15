/**
 * A metric over the runs of a history, ready to judge and draw: the runs that measured it, its
 * change points, and the baseline window before the latest runs with its band. Pure: the values
 * come in already read from the store (null for a run that did not measure the metric).
 */
import type { EDivisiveOptions } from './e-divisive.js';
import { findShifts, type Shifts } from './shifts.js';
import { bandOf, historyWindow, type Band, type HistoryWindow } from './window.js';

export interface SeriesOptions extends EDivisiveOptions {
  /** Baseline runs before the candidate. */
  window: number;
  /** The latest runs, the candidate. */
  repeats: number;
}

export interface MetricSeries {
  /** One per run of the history; null where the run did not measure the metric. */
  values: (number | null)[];
  /** The run (index into values) of each measured value, in order. */
  positions: number[];
  /** The measured values, in order. */
  measured: number[];
  /** Change points, with indices into `measured`. */
  shifts: Shifts;
  /** Baseline and candidate, as ranges of `measured`; null without a measured value. */
  window: HistoryWindow | null;
  band: Band | null;
}

export function metricSeries(values: readonly (number | null)[], options: SeriesOptions): MetricSeries {
  const positions: number[] = [];
  const measured: number[] = [];
  values.forEach((v, i) => {
    if (v !== null) {
      positions.push(i);
      measured.push(v);
    }
  });
  const { window: size, repeats, ...edivisive } = options;
  const window = measured.length === 0 ? null : historyWindow(measured.length, size, repeats);
  return {
    values: [...values],
    positions,
    measured,
    shifts: findShifts(measured, edivisive),
    window,
    band: window ? bandOf(measured.slice(...window.baseline)) : null,
  };
}
