/**
 * The human table of `check`: one row per rule and candidate, then the verdict in one line.
 */
import { emphasize } from '../../text/terminal.js';
import { renderTable } from '../../text/table.js';
import { formatValue } from '../metrics.js';
import { printable } from '../../text/printable.js';
import type { CheckReport } from '../run-check.js';
import { summaryLine, verdictText } from './verdict.js';

export function checkTable(report: CheckReport): string {
  const table = renderTable(
    ['RULE', 'METRIC', 'RUN', { header: 'VALUE', align: 'right' }, { header: 'BASELINE', align: 'right' }, { header: 'LIMIT', align: 'right' }, 'VERDICT', 'WHY'],
    report.outcomes.map((o) => [
      printable(o.rule.name),
      printable(o.rule.metric.text),
      printable(o.run),
      formatValue(o.unit, o.evaluation.value),
      formatValue(o.unit, o.evaluation.baseline),
      formatValue(o.unit, o.evaluation.limit),
      verdictText(o),
      printable(o.message),
    ]),
  );
  return `${table}\n\n${emphasize(`asyncscope check: ${printable(summaryLine(report))}`)}`;
}
