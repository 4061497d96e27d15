/**
 * Validating JUnit XML against test/fixtures/junit/junit.xsd with xmllint (Debian package
 * libxml2-utils; .ci/run installs it), and reading back its test cases for comparisons.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './cli.js';

export const JUNIT_XSD = path.join(ROOT, 'test', 'fixtures', 'junit', 'junit.xsd');

/** xmllint's verdict on the file: null when valid, else its complaint. */
export function junitProblems(file: string): string | null {
  const result = spawnSync('xmllint', ['--noout', '--schema', JUNIT_XSD, file], { encoding: 'utf8' });
  if (result.error) throw new Error(`xmllint is needed to validate JUnit XML: install libxml2-utils (${result.error.message})`);
  return result.status === 0 ? null : result.stderr.trim();
}

export interface JunitCase {
  name: string;
  classname: string;
  failure: string | null;
  systemOut: string | null;
}

/** The test cases of a JUnit file asyncscope wrote (one element per line), attributes unescaped. */
export function junitCases(xml: string): JunitCase[] {
  const unescape = (s: string) => s.replace(/&#10;/g, '\n').replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  const cases: JunitCase[] = [];
  for (const match of xml.matchAll(/<testcase name="([^"]*)" classname="([^"]*)"[^>]*?(\/>|>([\s\S]*?)<\/testcase>)/g)) {
    const body = match[4] ?? '';
    const failure = /<failure [^>]*message="([^"]*)"/.exec(body);
    const out = /<system-out>([\s\S]*?)<\/system-out>/.exec(body);
    cases.push({ name: unescape(match[1]), classname: unescape(match[2]), failure: failure ? unescape(failure[1]) : null, systemOut: out ? unescape(out[1]) : null });
  }
  return cases;
}

/** The rows of the Markdown summary table: verdict word and rule name. */
export function markdownRows(markdown: string): { verdict: string; rule: string }[] {
  return markdown
    .split('\n')
    .filter((line) => /^\| (✅|❌|⚠️) /.test(line))
    .map((line) => {
      const cells = line.split(/(?<!\\)\|/).map((c) => c.trim());
      return { verdict: cells[1].replace(/^\S+ /, ''), rule: cells[2].replace(/\\\|/g, '|') };
    });
}
