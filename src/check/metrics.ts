/**
 * Metric paths: which number of a run, a comparison or a prediction a rule is about.
 *
 *     makespan_s, utilization.gpu, asynchronicity.doa          a field of `analyze --json`
 *     groups.T3T6.busy_s, groups.T3T6.duration_s.median        a field of one group (task type,
 *                                                              stage or pipeline)
 *     overlap.T3T6.T4T5.seconds                                how long two groups overlapped
 *     compare.measured.improvement, compare.error.async        a field of `compare --json`
 *     predict.improvement.vs_sync                              a field of `predict --json`
 *
 * A name that holds dots or brackets is written in brackets, with or without JSON quotes:
 * `groups[pipeline.0001/stage.0002].busy_s`, `groups["a]b"].tasks`. Field names are those of
 * the JSON (docs/readme/analysis.md, docs/readme/model.md), so a number read in `analyze --json`
 * can be checked under the same name.
 */
import { distance } from 'fastest-levenshtein';
import { InputError } from '../errors.js';
import { decimal } from '../text/numbers.js';

/** Where the metric's number comes from: a run's analysis, a sync/async comparison, or the model alone. */
export type MetricSource = 'analyze' | 'compare' | 'predict';

/** How to print a metric's numbers. */
export type MetricUnit = 'seconds' | 'fraction' | 'count' | 'number' | 'pp';

/**
 * A metric value in its unit's precision, as every check output prints it (the table, the
 * messages, the Markdown summary, the JUnit file; the JSON carries the full numbers): seconds to
 * the millisecond, the rest to 4 decimals.
 */
export function formatValue(unit: MetricUnit, value: number | null): string {
  if (value === null || Number.isNaN(value)) return '-';
  if (unit === 'seconds') return value.toFixed(3);
  return decimal(value, 4) ?? '-';
}

export interface Metric {
  /** The canonical text: `groups[pipeline.0001/stage.0002].busy_s`. */
  text: string;
  source: MetricSource;
  unit: MetricUnit;
  /** For group metrics, the group; for overlap metrics, the two groups. */
  groups: string[];
  /** `group` / `overlap` metrics read a named entry; `field` metrics a fixed path. */
  kind: 'field' | 'group' | 'overlap';
  /** The path of JSON keys to the number (inside the group or overlap entry for those kinds). */
  path: string[];
}

const ANALYZE_FIELDS: Record<string, MetricUnit> = {
  makespan_s: 'seconds',
  busy_s: 'seconds',
  idle_s: 'seconds',
  tasks: 'count',
  executed: 'count',
  incomplete: 'count',
  'utilization.cpu': 'fraction',
  'utilization.gpu': 'fraction',
  'concurrency.max': 'count',
  'concurrency.mean': 'number',
  'asynchronicity.async_fraction': 'fraction',
  'asynchronicity.doa': 'number',
};

const GROUP_FIELDS: Record<string, MetricUnit> = {
  tasks: 'count',
  start_s: 'seconds',
  end_s: 'seconds',
  busy_s: 'seconds',
  'duration_s.min': 'seconds',
  'duration_s.median': 'seconds',
  'duration_s.mean': 'seconds',
  'duration_s.p95': 'seconds',
  'duration_s.max': 'seconds',
  'duration_s.stddev': 'seconds',
};

const OVERLAP_FIELDS: Record<string, MetricUnit> = { seconds: 'seconds', fraction: 'fraction' };

const COMPARE_FIELDS: Record<string, MetricUnit> = {
  'measured.sync_s': 'seconds',
  'measured.async_s': 'seconds',
  'measured.improvement': 'fraction',
  'predicted.sync_s': 'seconds',
  'predicted.async_s': 'seconds',
  'predicted.improvement': 'fraction',
  'error.sync': 'fraction',
  'error.async': 'fraction',
  'error.improvement_pp': 'pp',
};

const PREDICT_FIELDS: Record<string, MetricUnit> = {
  sequential_s: 'seconds',
  sync_s: 'seconds',
  async_ideal_s: 'seconds',
  async_s: 'seconds',
  'improvement.vs_sync': 'fraction',
  'improvement.vs_sequential': 'fraction',
};

/** Every metric, with NAME / A / B standing for group names: for error messages and docs. */
export const KNOWN_METRICS: readonly string[] = [
  ...Object.keys(ANALYZE_FIELDS),
  ...Object.keys(GROUP_FIELDS).map((f) => `groups.NAME.${f}`),
  ...Object.keys(OVERLAP_FIELDS).map((f) => `overlap.A.B.${f}`),
  ...Object.keys(COMPARE_FIELDS).map((f) => `compare.${f}`),
  ...Object.keys(PREDICT_FIELDS).map((f) => `predict.${f}`),
];

interface Segment {
  text: string;
  bracketed: boolean;
}

/**
 * Parses a metric path; an unknown one is an InputError naming it and listing the known ones.
 *
 * @example parseMetric('groups[pipeline.0001/stage.0002].duration_s.median').groups // => ['pipeline.0001/stage.0002']
 */
export function parseMetric(input: string): Metric {
  const text = input.trim();
  const segments = text === '' ? null : splitPath(text);
  const metric = segments && metricOf(segments);
  if (!metric) throw new InputError(`unknown metric ${JSON.stringify(input)}${suggestion(text)}; known metrics: ${knownMetricsText()}`);
  return metric;
}

function metricOf(segments: Segment[]): Metric | null {
  const [head, ...rest] = segments;
  const fieldPath = (parts: Segment[]) => (parts.some((p) => p.bracketed) || parts.length === 0 ? null : parts.map((p) => p.text).join('.'));
  if (head.bracketed) return null;
  if (head.text === 'groups' && rest.length >= 2) {
    const field = fieldPath(rest.slice(1));
    if (field === null || !(field in GROUP_FIELDS)) return null;
    const name = rest[0].text;
    return { text: `groups${nameText(name)}.${field}`, source: 'analyze', unit: GROUP_FIELDS[field], groups: [name], kind: 'group', path: field.split('.') };
  }
  if (head.text === 'overlap' && rest.length >= 3) {
    const field = fieldPath(rest.slice(2));
    if (field === null || !(field in OVERLAP_FIELDS)) return null;
    const [a, b] = [rest[0].text, rest[1].text];
    return { text: `overlap${nameText(a)}${nameText(b)}.${field}`, source: 'analyze', unit: OVERLAP_FIELDS[field], groups: [a, b], kind: 'overlap', path: [field] };
  }
  if (head.text === 'compare' || head.text === 'predict') {
    const fields = head.text === 'compare' ? COMPARE_FIELDS : PREDICT_FIELDS;
    const field = fieldPath(rest);
    if (field === null || !(field in fields)) return null;
    return { text: `${head.text}.${field}`, source: head.text, unit: fields[field], groups: [], kind: 'field', path: field.split('.') };
  }
  const field = fieldPath(segments);
  if (field === null || !(field in ANALYZE_FIELDS)) return null;
  return { text: field, source: 'analyze', unit: ANALYZE_FIELDS[field], groups: [], kind: 'field', path: field.split('.') };
}

/** `.T3T6`, or `[pipeline.0001/stage.0002]` for a name a dot would split, or `["a]b"]`. */
function nameText(name: string): string {
  if (/^[^.[\]"]+$/.test(name) && name.trim() === name) return `.${name}`;
  if (!/[\]"]/.test(name)) return `[${name}]`;
  return `[${JSON.stringify(name)}]`;
}

/**
 * Splits at dots, keeping bracketed names whole; null when a segment is empty or a bracket or
 * quote does not close. A bracket may follow a name directly: `groups[a.b]`, `overlap[a][b]`.
 */
function splitPath(text: string): Segment[] | null {
  const segments: Segment[] = [];
  let i = 0;
  for (;;) {
    if (text[i] === '[') {
      let name: string;
      let close: number;
      if (text[i + 1] === '"') {
        const quote = closingQuote(text, i + 2);
        if (quote < 0) return null;
        try {
          name = JSON.parse(text.slice(i + 1, quote + 1)) as string;
        } catch {
          return null;
        }
        close = quote + 1;
        if (text[close] !== ']') return null;
      } else {
        close = text.indexOf(']', i + 1);
        if (close < 0) return null;
        name = text.slice(i + 1, close);
      }
      if (name === '') return null;
      segments.push({ text: name, bracketed: true });
      i = close + 1;
    } else {
      let end = i;
      while (end < text.length && text[end] !== '.' && text[end] !== '[') end++;
      const part = text.slice(i, end);
      if (part === '' || part.includes(']') || part.includes('"')) return null;
      segments.push({ text: part, bracketed: false });
      i = end;
    }
    if (i === text.length) return segments;
    if (text[i] === '.') {
      i++;
      if (i === text.length) return null; // a trailing dot
    } else if (text[i] !== '[') {
      return null;
    }
  }
}

function closingQuote(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
  }
  return -1;
}

function suggestion(text: string): string {
  if (text === '') return '';
  const lower = text.toLowerCase();
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const known of KNOWN_METRICS) {
    const d = distance(lower, known.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [known, d];
  }
  return best !== null && bestDistance <= Math.max(3, Math.floor(text.length / 3)) ? ` (did you mean ${best}?)` : '';
}

/** The known metrics, compactly. */
export function knownMetricsText(): string {
  return [
    Object.keys(ANALYZE_FIELDS).join(', '),
    `groups.NAME.{${Object.keys(GROUP_FIELDS).join(', ')}}`,
    `overlap.A.B.{${Object.keys(OVERLAP_FIELDS).join(', ')}}`,
    `compare.{${Object.keys(COMPARE_FIELDS).join(', ')}}`,
    `predict.{${Object.keys(PREDICT_FIELDS).join(', ')}}`,
  ].join('; ') + ' (a name with dots goes in brackets: groups[pipeline.0001/stage.0002].busy_s; see docs/ci.md)';
}

/** The documents a metric can be read from: a run's `analyze --json` object, `compare --json`, `predict --json`. */
export interface MetricSources {
  analyze?: unknown;
  compare?: unknown;
  predict?: unknown;
}

/**
 * The metric's number in these documents (which may come from a baseline file, so nothing about
 * their shape is trusted); null when the figure was not measured (the document says null).
 * A group that does not exist, or a document without the field, is an InputError naming `where`.
 *
 * @example metricValue(parseMetric('groups.T3T6.busy_s'), { analyze: dg2AsyncJson }, 'run dg2-async') // => 771.494
 */
export function metricValue(metric: Metric, sources: MetricSources, where: string): number | null {
  const doc = sources[metric.source];
  if (!isObject(doc)) throw new InputError(`${where}: no ${metric.source} results to read ${metric.text} from`);
  let node: unknown;
  if (metric.kind === 'field') {
    node = doc;
  } else {
    const groups = Array.isArray(doc.groups) ? doc.groups.filter(isObject) : [];
    const names = groups.map((g) => g.name).filter((n): n is string => typeof n === 'string');
    for (const name of metric.groups) {
      if (!names.includes(name)) {
        const by = typeof doc.by === 'string' ? ` by ${doc.by}` : '';
        const listed = names.length > 12 ? [...names.slice(0, 12), '...'] : names;
        throw new InputError(`${where} has no group ${JSON.stringify(name)} for ${metric.text} (its groups${by}: ${listed.join(', ') || 'none'})`);
      }
    }
    if (metric.kind === 'group') {
      node = groups.find((g) => g.name === metric.groups[0]);
    } else {
      const [a, b] = metric.groups;
      const overlaps = Array.isArray(doc.overlap) ? doc.overlap.filter(isObject) : [];
      node = overlaps.find((o) => (o.a === a && o.b === b) || (o.a === b && o.b === a));
      // Two groups that never ran together overlap for 0 s: a measurement, not a missing figure.
      if (node === undefined) return a === b ? null : 0;
    }
  }
  for (const key of metric.path) {
    if (!isObject(node) || !(key in node)) throw new InputError(`${where}: ${metric.text} is missing from its ${metric.source} results`);
    node = node[key];
  }
  if (node === null) return null;
  if (typeof node !== 'number' || !Number.isFinite(node)) throw new InputError(`${where}: ${metric.text} is ${JSON.stringify(node)}, not a number`);
  return node;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
