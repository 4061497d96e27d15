/**
 * One word per outcome, the same in the table, the Markdown summary and the annotations.
 */
import type { CheckOutcome, CheckReport } from '../run-check.js';

export type Verdict = 'pass' | 'fail' | 'would-fail';

export function verdictOf(outcome: CheckOutcome): Verdict {
  if (outcome.evaluation.passed) return 'pass';
  return outcome.informational ? 'would-fail' : 'fail';
}

/** `pass`, `FAIL`, `would fail` (informational), or `pass (not significant)` when it passed only because the change was taken for noise. */
export function verdictText(outcome: CheckOutcome): string {
  const verdict = verdictOf(outcome);
  if (verdict === 'fail') return 'FAIL';
  if (verdict === 'would-fail') return 'would fail';
  return outcome.evaluation.beyond ? 'pass (not significant)' : 'pass';
}

/** `all 4 rules passed`, `1 of 4 rules failed: makespan (dg2-sync)`, with informational failures after. */
export function summaryLine(report: CheckReport): string {
  const total = report.outcomes.length;
  const failed = report.outcomes.filter((o) => verdictOf(o) === 'fail');
  const wouldFail = report.outcomes.filter((o) => verdictOf(o) === 'would-fail');
  const names = (list: CheckOutcome[]) => list.map((o) => `${o.rule.name} (${o.run})`).join(', ');
  const rules = total === 1 ? 'rule' : 'rules';
  let line = failed.length === 0 ? (total === 1 ? 'the 1 rule passed' : `all ${total} rules passed`) : `${failed.length} of ${total} ${rules} failed: ${names(failed)}`;
  if (failed.length === 0 && wouldFail.length > 0) line = `${total - wouldFail.length} of ${total} ${rules} passed`;
  if (wouldFail.length > 0) line += `; ${wouldFail.length} would fail but ${wouldFail.length === 1 ? 'is' : 'are'} informational: ${names(wouldFail)}`;
  return line;
}
