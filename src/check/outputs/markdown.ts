/**
 * A Markdown job summary (GitHub's $GITHUB_STEP_SUMMARY, a merge-request note, a wiki page):
 * a heading with the verdict and the table of rules, with the numbers of the terminal table.
 */
import { formatValue } from '../metrics.js';
import { printable } from '../../text/printable.js';
import type { CheckReport } from '../run-check.js';
import { summaryLine, verdictOf, verdictText } from './verdict.js';

const ICON = { pass: '✅', fail: '❌', 'would-fail': '⚠️' } as const;

export function checkMarkdown(report: CheckReport): string {
  const lines = [
    `### asyncscope check: ${cell(summaryLine(report))}`,
    '',
    '| verdict | rule | metric | run | value | baseline | limit | significant | why |',
    '|---|---|---|---|--:|--:|--:|---|---|',
  ];
  for (const o of report.outcomes) {
    const significant = o.evaluation.significant === null ? '-' : o.evaluation.significant ? 'yes' : 'no';
    lines.push(
      `| ${ICON[verdictOf(o)]} ${verdictText(o)} | ${cell(o.rule.name)} | ${codeCell(o.rule.metric.text)} | ${cell(o.run)} | ${formatValue(o.unit, o.evaluation.value)} | ${formatValue(o.unit, o.evaluation.baseline)} | ${formatValue(o.unit, o.evaluation.limit)} | ${significant} | ${cell(o.message)} |`,
    );
  }
  lines.push('', `alpha ${report.settings.alpha}; values are medians over repeated runs, outliers beyond the IQR fence left out.`, '');
  return lines.join('\n');
}

/** Text safe inside a table cell: no pipes, line breaks or control characters, no HTML. */
function cell(text: string): string {
  return printable(text).replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Text as a code span inside a table cell. A code span decodes neither backslash escapes nor HTML
 * entities, so only what ends it is handled: pipes (GFM removes the backslash of `\|` in table
 * cells before the span is read) and backticks (a fence longer than any run of them inside).
 */
function codeCell(text: string): string {
  const flat = printable(text).replace(/[\r\n]+/g, ' ').replace(/\|/g, '\\|');
  const longestRun = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}
