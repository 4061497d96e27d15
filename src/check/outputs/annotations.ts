/**
 * GitHub Actions workflow commands: `::error` for a failed rule and `::warning` for one that would
 * fail but is informational, so that they show on the run's summary page and the pull request.
 * Printed only when GITHUB_ACTIONS=true (the runner sets it).
 *
 * Escaping as the Actions toolkit does: `%`, CR and LF in the message; also `:` and `,` in
 * properties (the title).
 */
import type { CheckReport } from '../run-check.js';
import { printable } from '../../text/printable.js';
import { verdictOf } from './verdict.js';

export function githubAnnotations(report: CheckReport): string[] {
  const lines: string[] = [];
  for (const o of report.outcomes) {
    const verdict = verdictOf(o);
    if (verdict === 'pass') continue;
    const command = verdict === 'fail' ? 'error' : 'warning';
    const title = `asyncscope check ${verdict === 'fail' ? 'failed' : 'would fail'}: ${o.rule.name} (${o.run})`;
    lines.push(`::${command} title=${escapeProperty(title)}::${escapeData(`${o.rule.metric.text}: ${o.message}`)}`);
  }
  return lines;
}

export function isGithubActions(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.GITHUB_ACTIONS === 'true';
}

/** `%`, CR and LF escaped as the toolkit does; other control characters (terminal escapes) become a space. */
function escapeData(value: string): string {
  return printable(value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A'));
}

function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
