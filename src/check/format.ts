/**
 * How check outputs print numbers: the same text in the table, the messages, the Markdown
 * summary and the JUnit file (the JSON carries the full numbers).
 */
import { decimal } from '../cli/format.js';
import type { MetricUnit } from './metrics.js';

/** A metric value in its unit's precision: seconds to the millisecond, fractions to 4 decimals. */
export function formatValue(unit: MetricUnit, value: number | null): string {
  if (value === null || Number.isNaN(value)) return '-';
  if (unit === 'seconds') return value.toFixed(3);
  return decimal(value, 4) ?? '-';
}

/** `text` (the magnitude, formatted) with the sign of `value`: `+35.1%`, `-0.225`. */
export function signed(text: string, value: number): string {
  return value < 0 ? `-${text}` : `+${text}`;
}

/** A p-value with two significant digits, or `< 0.0001`. */
export function formatP(p: number): string {
  if (p < 0.0001) return '< 0.0001';
  return `= ${Number(p.toPrecision(2))}`;
}

/**
 * Text safe to print on one line: control characters (line breaks, terminal escapes) become a
 * space and lone surrogates U+FFFD. Rule, run and group names can come from untrusted traces.
 */
export function printable(text: string): string {
  return text
    .replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ')
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}
