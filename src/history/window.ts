/**
 * Which runs of a history are the candidate and which its baseline: the latest `repeats` runs
 * are the candidate (repeats of one benchmark job), the `window` runs before them the baseline.
 * `check --history` judges the candidate against that baseline; the trend page draws the
 * baseline's band.
 */
import { quantile } from 'simple-statistics';

export interface HistoryWindow {
  /** Positions [start, end) of the baseline runs and of the candidate runs. */
  baseline: [number, number];
  candidate: [number, number];
}

/**
 * @param candidateEnd position after the candidate's last run (the series' length when the
 *   candidate is the latest runs; less when an older run is checked against the runs before it)
 * @example historyWindow(30, 20, 3) // => { baseline: [7, 27], candidate: [27, 30] }
 */
export function historyWindow(candidateEnd: number, window: number, repeats: number): HistoryWindow {
  if (!(Number.isInteger(window) && window >= 1)) throw new RangeError(`the window must be a positive integer, not ${window}`);
  if (!(Number.isInteger(repeats) && repeats >= 1)) throw new RangeError(`repeats must be a positive integer, not ${repeats}`);
  const candidateStart = Math.max(0, candidateEnd - repeats);
  return { baseline: [Math.max(0, candidateStart - window), candidateStart], candidate: [candidateStart, candidateEnd] };
}

export interface Band {
  /** First and third quartiles (R type 7) and the median of the baseline's values. */
  low: number;
  median: number;
  high: number;
}

/** The middle half of the baseline's values; null without values. */
export function bandOf(values: readonly number[]): Band | null {
  if (values.length === 0) return null;
  const [low, mid, high] = quantile(values as number[], [0.25, 0.5, 0.75]);
  return { low, median: mid, high };
}
