/**
 * JUnit XML, the test report format CI systems read (GitLab merge-request widgets, Jenkins,
 * GitHub test-report actions): one `testsuite` of one `testcase` per rule and candidate; a failed
 * rule carries a `failure` with the message. Informational rules that would fail carry no
 * failure (they must not fail the build) but say it in their `system-out`.
 *
 * The layout is the common one of Ant and Maven Surefire, validated in the tests against
 * test/fixtures/junit/junit.xsd:
 *
 *     <testsuites name="asyncscope check" tests="2" failures="1" errors="0" time="0">
 *       <testsuite name="asyncscope check" tests="2" failures="1" errors="0" skipped="0" time="0" timestamp="...">
 *         <properties><property name="alpha" value="0.05"/></properties>
 *         <testcase name="makespan" classname="dg2-sync" time="0">
 *           <failure type="regression" message="...">...</failure>
 *         </testcase>
 *       </testsuite>
 *     </testsuites>
 */
import { formatValue } from '../metrics.js';
import type { CheckReport } from '../run-check.js';
import { verdictOf, verdictText } from './verdict.js';

export function checkJunit(report: CheckReport, timestamp: Date): string {
  const outcomes = report.outcomes;
  const failures = outcomes.filter((o) => verdictOf(o) === 'fail').length;
  const counts = `tests="${outcomes.length}" failures="${failures}" errors="0"`;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="asyncscope check" ${counts} time="0">`,
    `  <testsuite name="asyncscope check" ${counts} skipped="0" time="0" timestamp="${timestamp.toISOString().slice(0, 19)}">`,
    '    <properties>',
    `      <property name="alpha" value="${report.settings.alpha}"/>`,
    `      <property name="min_samples" value="${report.settings.minSamples}"/>`,
    `      <property name="informational" value="${report.settings.informational}"/>`,
    '    </properties>',
  ];
  for (const o of outcomes) {
    const e = o.evaluation;
    const details = [
      `rule: ${o.rule.name}`,
      `metric: ${o.rule.metric.text}`,
      `run: ${o.run}`,
      `value: ${formatValue(o.unit, e.value)}`,
      `baseline: ${formatValue(o.unit, e.baseline)}`,
      `limit: ${formatValue(o.unit, e.limit)}`,
      `significant: ${e.significant === null ? 'no test' : e.significant ? 'yes' : 'no'}`,
      `verdict: ${verdictText(o)}`,
      `why: ${o.message}`,
    ].join('\n');
    const open = `    <testcase name="${attr(o.rule.name)}" classname="${attr(o.run)}" time="0"`;
    const verdict = verdictOf(o);
    if (verdict === 'fail') {
      lines.push(`${open}>`, `      <failure type="regression" message="${attr(o.message)}">${text(details)}</failure>`, '    </testcase>');
    } else if (verdict === 'would-fail') {
      lines.push(`${open}>`, `      <system-out>${text(`would fail (informational, does not fail the check)\n${details}`)}</system-out>`, '    </testcase>');
    } else {
      lines.push(`${open}/>`);
    }
  }
  lines.push('  </testsuite>', '</testsuites>', '');
  return lines.join('\n');
}

/**
 * Characters XML 1.0 cannot hold (control characters other than tab and line breaks, lone
 * surrogates, U+FFFE/U+FFFF) are dropped: run ids and group names come from untrusted traces.
 */
function clean(value: string): string {
  return value.replace(/[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu, '');
}

function text(value: string): string {
  return clean(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function attr(value: string): string {
  return text(value).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}
