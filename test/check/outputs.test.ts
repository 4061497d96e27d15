/**
 * The CI outputs from one report: JUnit XML (validated with xmllint against the JUnit schema,
 * also with hostile names), the Markdown table and the GitHub annotations, all with the same
 * verdicts as the JSON.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CheckRule } from '../../src/check/check-rule.js';
import { evaluate } from '../../src/check/evaluate.js';
import { parseMetric } from '../../src/check/metrics.js';
import { githubAnnotations } from '../../src/check/outputs/annotations.js';
import { checkJson } from '../../src/check/outputs/json.js';
import { checkJunit } from '../../src/check/outputs/junit.js';
import { checkMarkdown } from '../../src/check/outputs/markdown.js';
import { checkTable } from '../../src/check/outputs/table.js';
import { parseThreshold, type BoundKind } from '../../src/check/rules.js';
import type { CheckOutcome, CheckReport } from '../../src/check/run-check.js';
import { tempDir } from '../helpers/cli.js';
import { junitCases, junitProblems, markdownRows } from '../helpers/junit-schema.js';

const dir = tempDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function outcome(name: string, run: string, metric: string, kind: BoundKind, threshold: string, candidate: number[], baseline: number[] | null, informational = false): CheckOutcome {
  const m = parseMetric(metric);
  const bound = { kind, threshold: parseThreshold(kind, threshold)! };
  const rule: CheckRule = { name, metric: m, bound, informational, runs: null, baseline: null, sync: null, spec: null, by: null };
  const evaluation = evaluate(bound, { candidate, baseline }, { alpha: 0.05, unit: m.unit });
  const message = !evaluation.passed && informational ? `${evaluation.message}; informational: does not fail the check` : evaluation.message;
  return { rule, run, unit: m.unit, evaluation, informational, message };
}

const HOSTILE = 'a <b> & "c" | d\u0001\u0007 \ud800 é 🚀, e: 100%\nf';
const report: CheckReport = {
  outcomes: [
    outcome('makespan', 'nightly', 'makespan_s', 'max_increase', '5%', [1800.123], [1332.734]),
    outcome('gpu', 'nightly', 'utilization.gpu', 'min', '0.8', [0.8664], null),
    outcome(HOSTILE, HOSTILE, `groups[${HOSTILE.replace(/[\]\n]/g, '')}].busy_s`, 'max', '1', [2], null, true),
    outcome('noise', 'nightly', 'makespan_s', 'max_increase', '5%', [90, 95, 110, 111, 112], [100, 101, 102, 103, 104]),
  ],
  passed: false,
  settings: { alpha: 0.05, minSamples: 1, informational: false },
};
const json = checkJson(report);

describe('JUnit XML', () => {
  const file = path.join(dir, 'junit.xml');
  fs.writeFileSync(file, checkJunit(report, new Date('2025-01-31T12:00:00Z')));
  const xml = fs.readFileSync(file, 'utf8');

  it('validates against the JUnit schema, hostile names included', async () => {
    expect(await junitProblems(file)).toBeNull();
  });

  it('has one testcase per rule, a failure for each failed rule, and the informational one in system-out', () => {
    expect(xml).toContain('<testsuite name="asyncscope check" tests="4" failures="1" errors="0" skipped="0" time="0" timestamp="2025-01-31T12:00:00">');
    const cases = junitCases(xml);
    expect(cases.map((c) => c.failure !== null)).toEqual([true, false, false, false]);
    expect(cases[0]).toMatchObject({ name: 'makespan', classname: 'nightly', failure: json.rules[0].message });
    expect(cases[2].systemOut).toMatch(/^would fail \(informational, does not fail the check\)\nrule: a <b> & "c" \| d  é 🚀, e: 100%\nf\n/);
    expect(cases[2].name).toBe('a <b> & "c" | d  é 🚀, e: 100%\nf'); // control characters and the lone surrogate dropped
  });

  it('is refused by the schema when broken (the validation can fail)', async () => {
    const broken = path.join(dir, 'broken.xml');
    fs.writeFileSync(broken, xml.replace('tests="4" failures="1"', 'tests="four" failures="1"'));
    expect(await junitProblems(broken)).toMatch(/tests.*four|four.*tests/s);
    fs.writeFileSync(broken, xml.replace(/<testcase name="makespan" /, '<testcase '));
    expect(await junitProblems(broken)).toMatch(/name/);
  });
});

describe('Markdown summary', () => {
  const markdown = checkMarkdown(report);

  it('renders the same verdicts as the JSON, one row per rule', () => {
    const rows = markdownRows(markdown);
    expect(rows.map((r) => r.verdict)).toEqual(['FAIL', 'pass', 'would fail', 'pass (not significant)']);
    expect(rows.map((r) => r.verdict.startsWith('pass'))).toEqual(json.rules.map((r) => r.passed));
    // Control characters shown escaped (text/printable.ts), their backslash escaped for Markdown.
    const hostile = 'a &lt;b&gt; & "c" \\| d\\\\x01\\\\x07 \ufffd é 🚀, e: 100%\\\\nf';
    expect(markdown.split('\n')[0]).toBe(`### asyncscope check: 1 of 4 rules failed: makespan (nightly); 1 would fail but is informational: ${hostile} (${hostile})`);
  });

  it('keeps hostile text inside its cell', () => {
    const row = markdown.split('\n').find((line) => line.startsWith('| ⚠️'))!;
    const cells = row.split(/(?<!\\)\|/);
    expect(cells).toHaveLength(11); // 9 cells between 10 pipes
    // Text cells escape HTML; the metric is a code span, where Markdown shows <b> as written.
    expect(cells.filter((c, i) => i !== 3).join('|')).not.toContain('<b>');
    const metric = report.outcomes[2].rule.metric.text;
    expect(metric).toContain('<b>');
    expect(cells[3].trim()).toBe(`\`${metric.replace(/\|/g, '\\|')}\``);
  });

  it('fences a metric holding backticks with a longer run of them', () => {
    const ticks = { ...report, outcomes: [outcome('t', 'nightly', 'groups[`x``].busy_s', 'max', '1', [0], null)] };
    const row = checkMarkdown(ticks).split('\n').find((line) => line.startsWith('| ✅'))!;
    expect(ticks.outcomes[0].rule.metric.text).toBe('groups.`x``.busy_s');
    expect(row).toContain('| ```groups.`x``.busy_s``` |');
  });
});

describe('GitHub annotations and the table', () => {
  it('annotates failures as errors and informational failures as warnings, escaped', () => {
    const lines = githubAnnotations(report);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe('::error title=asyncscope check failed%3A makespan (nightly)::makespan_s: 1800.123 vs baseline 1332.734: +35.1%25, beyond +5%25 (limit 1399.371)');
    expect(lines[1]).toMatch(/^::warning title=asyncscope check would fail%3A a <b> & "c" \| d\\x01\\x07 \ufffd é 🚀%2C e%3A 100%25%0Af \(/);
    for (const line of lines) expect(line).not.toMatch(/[\u0000-\u001f]/);
  });

  it('prints the verdicts in the table, hostile names on one line', () => {
    const table = checkTable(report);
    expect(table.split('\n')).toHaveLength(1 + 4 + 2);
    expect(table).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
    expect(table).toMatch(/^RULE +METRIC +RUN +VALUE +BASELINE +LIMIT +VERDICT +WHY\n/);
    expect(table).toMatch(/\nnoise +makespan_s +nightly +110\.000 +102\.000 +107\.100 +pass \(not significant\) +median 110\.000 of 5 runs/);
    expect(table.trimEnd().split('\n').at(-1)).toContain('asyncscope check: 1 of 4 rules failed: makespan (nightly)');
  });
});
