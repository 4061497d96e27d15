/**
 * The report's one sentence per comparison: "async saved X% (model predicted Y%)", from the
 * model's comparison figures (measured and predicted improvement, 1 - async / sync).
 */
import { fasterOrSlower, percent, signedPoints } from '../../text/numbers.js';
import { printable } from '../../text/printable.js';
import type { Inline } from '../document-model.js';
import type { PairReport } from '../report-data.js';

/**
 * "async saved 26.0% of the synchronous makespan", or "async was 0.3% slower than the synchronous
 * run" (never "took 0.3% longer of the synchronous makespan"); the prediction likewise.
 */
export function headline(pair: PairReport): Inline[] {
  const { measured, predicted, error } = pair.comparison;
  const slower = measured.improvement < 0;
  return [
    `${pair.title}: async `,
    { strong: slower ? `was ${fasterOrSlower(measured.improvement)}` : `saved ${percent(measured.improvement)}` },
    slower ? ' than the synchronous run (model predicted ' : ' of the synchronous makespan (model predicted ',
    { strong: fasterOrSlower(predicted.improvement, true) },
    `, ${signedPoints(error.improvementPp)}).`,
  ];
}

/** The same as one plain line, for the terminal. */
export function headlineText(pair: PairReport): string {
  return printable(
    headline(pair)
      .map((part) => (typeof part === 'string' ? part : 'strong' in part ? part.strong : 'code' in part ? part.code : part.text))
      .join(''),
  );
}
