/**
 * Validating JUnit XML against test/fixtures/junit/junit.xsd with libxml2 compiled to WebAssembly
 * (the npm package xmllint-wasm, so `npm test` needs no xmllint program), and reading back its test
 * cases for comparisons.
 */
import fs from 'node:fs';
import path from 'node:path';
import { validateXML } from 'xmllint-wasm';
import { ROOT } from './cli.js';

export const JUNIT_XSD = path.join(ROOT, 'test', 'fixtures', 'junit', 'junit.xsd');

/** libxml2's verdict on the file against the JUnit schema: null when valid, else its complaints. */
export async function junitProblems(file: string): Promise<string | null> {
  const result = await validateXML({
    xml: { fileName: path.basename(file), contents: fs.readFileSync(file) },
    schema: { fileName: 'junit.xsd', contents: fs.readFileSync(JUNIT_XSD, 'utf8') },
  });
  return result.valid ? null : result.errors.map((e) => e.rawMessage).join('\n');
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
