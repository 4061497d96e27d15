/**
 * Rules files (YAML, or JSON): named rules, the baselines they compare with and the runs they
 * judge, so that one CI step checks everything. The format, with a full example, is in
 * docs/ci.md; in short:
 *
 *     version: 1                   # optional; this asyncscope reads version 1
 *     alpha: 0.05                  # optional settings (command-line flags override them)
 *     min_samples: 3
 *     informational: false
 *     baselines:                   # optional names for baseline files
 *       dg2: baselines/dg2-async.json
 *     defaults:                    # optional: what rules leave out
 *       runs: nightly
 *       baseline: dg2
 *     rules:
 *       - name: makespan
 *         metric: makespan_s
 *         max_increase: 5%         # exactly one of min, max, max_increase, max_decrease
 *         runs: { latest: nightly, count: 5 }   # or a label/id, { label }, { id }, { glob }
 *         baseline: dg2            # a name from baselines:, or a file
 *         sync: dg2-sync           # compare.* metrics: the synchronous run
 *         spec: specs/dg2.yaml     # predict.* metrics: the spec
 *         by: type                 # grouping (default: the baseline's)
 *         informational: true      # report, never fail
 *
 * Files named in it (baselines, specs) are relative to the rules file. Every error names the
 * file, the line and the field: `checks.yaml:12: rules[2].max_increase: "5 %" is not a threshold ...`.
 */
import path from 'node:path';
import { distance } from 'fastest-levenshtein';
import YAML, { LineCounter } from 'yaml';
import { GROUP_BY, type GroupBy } from '../analysis/intervals.js';
import { InputError } from '../errors.js';
import { readUserFile } from '../files/read.js';
import { alphaValue, type CheckRule, type CheckSettings } from './check-rule.js';
import { parseMetric } from './metrics.js';
import { BOUND_KINDS, parseThreshold, THRESHOLD_HELP, type Bound, type BoundKind } from './rules.js';
import type { RunSelector } from './selectors.js';

export const RULES_FILE_VERSION = 1;
export const MAX_RULES_FILE_BYTES = 4 * 1024 * 1024;

export interface RulesFile {
  rules: CheckRule[];
  /** Only the settings the file gives. */
  settings: Partial<CheckSettings>;
}

type Json = Record<string, unknown>;

const TOP_KEYS = ['version', 'alpha', 'min_samples', 'informational', 'baselines', 'defaults', 'rules'];
const TARGET_KEYS = ['runs', 'baseline', 'sync', 'spec', 'by'];
const RULE_KEYS = ['name', 'metric', ...BOUND_KINDS, ...TARGET_KEYS, 'informational'];
const SELECTOR_KEYS = ['label', 'id', 'latest', 'count', 'glob'];

export function readRulesFile(file: string): RulesFile {
  return parseRulesFile(readUserFile(file, 'rules file', { maxBytes: MAX_RULES_FILE_BYTES }), file);
}

/**
 * Parses and validates a rules file's text. `file` names it in errors and anchors the relative
 * paths it holds.
 */
/**
 * Where a field is in the file's text: its line, and its value as written (`1e999`, which YAML reads
 * as Infinity and JSON.stringify shows as null). `where` is a field path as errors name it:
 * `rules[2].max`, `baselines.nightly`.
 */
function sourceLocator(text: string): { line(where: string): number | null; text(where: string): string | null } {
  const lines = new LineCounter();
  let doc: ReturnType<typeof YAML.parseDocument> | null = null;
  try {
    doc = YAML.parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  } catch {
    doc = null;
  }
  const node = (where: string): { range?: [number, number, number] | null } | null => {
    if (doc === null || where === '') return null;
    const keys = where.split('.').flatMap((part) => {
      const m = /^([^[]*)((?:\[\d+\])*)$/.exec(part);
      if (m === null) return [part];
      return [...(m[1] ? [m[1]] : []), ...[...m[2].matchAll(/\[(\d+)\]/g)].map((i) => Number(i[1]))];
    });
    const found = doc.getIn(keys, true) as { range?: [number, number, number] | null } | undefined;
    return found && typeof found === 'object' ? found : null;
  };
  return {
    line(where) {
      const range = node(where)?.range;
      return range ? lines.linePos(range[0]).line : null;
    },
    text(where) {
      const range = node(where)?.range;
      return range ? text.slice(range[0], range[1]).trim() : null;
    },
  };
}

export function parseRulesFile(text: string, file: string): RulesFile {
  let doc: unknown;
  try {
    doc = YAML.parse(text, { uniqueKeys: true, maxAliasCount: 100 });
  } catch (error) {
    const message = (error instanceof Error ? error.message.split('\n')[0] : String(error)).replace(/:\s*$/, '');
    throw new InputError(`${file}: not valid YAML: ${message}`);
  }
  const dir = path.dirname(file);
  const source = sourceLocator(text);
  const fail = (where: string, problem: string) => {
    const line = source.line(where);
    return new InputError(`${file}${line === null ? '' : `:${line}`}: ${where ? `${where}: ` : ''}${problem}`);
  };
  if (!isObject(doc)) throw fail('', 'expected a mapping with a list of "rules"');
  unknownKeys(doc, TOP_KEYS, '', fail);
  if (doc.version !== undefined && doc.version !== RULES_FILE_VERSION) {
    throw fail('version', `${JSON.stringify(doc.version)} is not a version this asyncscope reads (it reads ${RULES_FILE_VERSION})`);
  }

  const settings: Partial<CheckSettings> = {};
  if (doc.alpha !== undefined) settings.alpha = alphaValue(doc.alpha, (p) => fail('alpha', p));
  if (doc.min_samples !== undefined) settings.minSamples = positiveInteger(doc.min_samples, (p) => fail('min_samples', p));
  if (doc.informational !== undefined) settings.informational = boolean(doc.informational, (p) => fail('informational', p));

  const baselines = new Map<string, string>();
  if (doc.baselines !== undefined && doc.baselines !== null) {
    if (!isObject(doc.baselines)) throw fail('baselines', 'expected a mapping of names to baseline files');
    for (const [name, value] of Object.entries(doc.baselines)) {
      if (typeof value !== 'string' || value.trim() === '') throw fail(`baselines.${name}`, 'expected the path of a baseline file');
      baselines.set(name, besideRulesFile(dir, value));
    }
  }

  const targets = (value: Json, where: string) => {
    const at = (key: string) => (where ? `${where}.${key}` : key);
    const result: Partial<Pick<CheckRule, 'runs' | 'baseline' | 'sync' | 'spec' | 'by'>> = {};
    if (value.runs !== undefined) result.runs = selector(value.runs, at('runs'), fail);
    if (value.baseline !== undefined) {
      const name = nonEmptyString(value.baseline, (p) => fail(at('baseline'), p));
      result.baseline = baselines.get(name) ?? besideRulesFile(dir, name);
    }
    if (value.sync !== undefined) result.sync = nonEmptyString(value.sync, (p) => fail(at('sync'), p));
    if (value.spec !== undefined) result.spec = besideRulesFile(dir, nonEmptyString(value.spec, (p) => fail(at('spec'), p)));
    if (value.by !== undefined) {
      if (typeof value.by !== 'string' || !(GROUP_BY as readonly string[]).includes(value.by)) throw fail(at('by'), `must be one of ${GROUP_BY.join(', ')}`);
      result.by = value.by as GroupBy;
    }
    return result;
  };

  let defaults: ReturnType<typeof targets> = {};
  if (doc.defaults !== undefined && doc.defaults !== null) {
    if (!isObject(doc.defaults)) throw fail('defaults', 'expected a mapping');
    unknownKeys(doc.defaults, TARGET_KEYS, 'defaults', fail);
    defaults = targets(doc.defaults, 'defaults');
  }

  if (!Array.isArray(doc.rules) || doc.rules.length === 0) throw fail('rules', 'expected a list of at least one rule');
  const names = new Set<string>();
  const rules = doc.rules.map((value: unknown, i: number): CheckRule => {
    const where = `rules[${i}]`;
    if (!isObject(value)) throw fail(where, 'expected a mapping with name, metric and a bound');
    unknownKeys(value, RULE_KEYS, where, fail);
    const name = nonEmptyString(value.name, (p) => fail(`${where}.name`, p));
    if (names.has(name)) throw fail(`${where}.name`, `"${name}" names two rules`);
    names.add(name);
    let metric;
    try {
      metric = parseMetric(nonEmptyString(value.metric, (p) => fail(`${where}.metric`, p)));
    } catch (error) {
      if (error instanceof InputError && !error.message.startsWith(file)) throw fail(`${where}.metric`, error.message);
      throw error;
    }
    const kinds = BOUND_KINDS.filter((k) => value[k] !== undefined);
    if (kinds.length !== 1) {
      throw fail(where, `give exactly one of ${BOUND_KINDS.join(', ')} (${kinds.length === 0 ? 'none given' : `${kinds.join(' and ')} given: write one rule per bound`})`);
    }
    const kind: BoundKind = kinds[0];
    const raw = value[kind];
    const threshold = typeof raw === 'number' || typeof raw === 'string' ? parseThreshold(kind, raw) : null;
    if (!threshold) throw fail(`${where}.${kind}`, `${typeof raw === 'number' ? (source.text(`${where}.${kind}`) ?? String(raw)) : JSON.stringify(raw)} is not a threshold: give ${THRESHOLD_HELP}${kind.startsWith('max_') && kind !== 'max' ? ', not negative' : ''}`);
    const bound: Bound = { kind, threshold };
    const own = targets(value, where);
    const informational = value.informational === undefined ? false : boolean(value.informational, (p) => fail(`${where}.informational`, p));
    return {
      name,
      metric,
      bound,
      informational,
      runs: own.runs ?? defaults.runs ?? null,
      baseline: own.baseline ?? defaults.baseline ?? null,
      sync: own.sync ?? defaults.sync ?? null,
      spec: own.spec ?? defaults.spec ?? null,
      by: own.by ?? defaults.by ?? null,
    };
  });
  return { rules, settings };
}

function selector(value: unknown, where: string, fail: (where: string, problem: string) => InputError): RunSelector {
  if (typeof value === 'string') {
    if (value.trim() === '') throw fail(where, 'must not be empty');
    return { kind: 'ref', ref: value };
  }
  const forms = 'a run id or label, or { label: L }, { id: ID }, { latest: L, count: N } or { glob: PATTERN }';
  if (!isObject(value)) throw fail(where, `expected ${forms}`);
  unknownKeys(value, SELECTOR_KEYS, where, fail);
  const given = ['label', 'id', 'latest', 'glob'].filter((k) => value[k] !== undefined);
  if (given.length !== 1) throw fail(where, `expected ${forms}`);
  const key = given[0];
  const text = nonEmptyString(value[key], (p) => fail(`${where}.${key}`, p));
  if (value.count !== undefined && key !== 'latest') throw fail(`${where}.count`, 'goes with latest only');
  if (key === 'label') return { kind: 'label', label: text };
  if (key === 'id') return { kind: 'id', id: text };
  if (key === 'glob') return { kind: 'glob', pattern: text };
  const count = value.count === undefined ? 1 : positiveInteger(value.count, (p) => fail(`${where}.count`, p));
  return { kind: 'latest', label: text, count };
}

function unknownKeys(value: Json, known: readonly string[], where: string, fail: (where: string, problem: string) => InputError): void {
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    const close = known.filter((k) => distance(k, key) <= 2);
    throw fail(where, `unknown key "${key}"${close.length > 0 ? ` (did you mean ${close.join(' or ')}?)` : ''}; known: ${known.join(', ')}`);
  }
}

function positiveInteger(value: unknown, fail: (problem: string) => InputError): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw fail(`${JSON.stringify(value)}: expected a whole number of at least 1`);
  return value;
}

function boolean(value: unknown, fail: (problem: string) => InputError): boolean {
  if (typeof value !== 'boolean') throw fail(`${JSON.stringify(value)}: expected true or false`);
  return value;
}

function nonEmptyString(value: unknown, fail: (problem: string) => InputError): string {
  if (typeof value !== 'string' || value.trim() === '') throw fail(value === undefined ? 'missing' : `${JSON.stringify(value)}: expected a non-empty string`);
  return value;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A path in a rules file: relative to the file's folder, or absolute as written. */
function besideRulesFile(dir: string, file: string): string {
  return path.isAbsolute(file) ? file : path.join(dir, file);
}
