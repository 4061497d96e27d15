/**
 * The report's one sentence per comparison: "async saved X% (model predicted Y%)", from the
 * model's comparison figures (measured and predicted improvement, 1 - async / sync).
 */
import { percent, signedPoints } from '../../text/numbers.js';
import { printable } from '../../text/printable.js';
import type { Inline } from '../document-model.js';
import type { PairReport } from '../report-data.js';

/** "saved 26.0%", or "took 5.0% longer" when the asynchronous run was slower. */
export function savedText(improvement: number): string {
  return improvement >= 0 ? `saved ${percent(improvement)}` : `took ${percent(-improvement)} longer`;
}

export function headline(pair: PairReport): Inline[] {
  const { measured, predicted, error } = pair.comparison;
  return [
    `${pair.title}: async `,
    { strong: savedText(measured.improvement) },
    ' of the synchronous makespan (model predicted ',
    { strong: predicted.improvement >= 0 ? percent(predicted.improvement)! : `${percent(-predicted.improvement)} longer` },
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
