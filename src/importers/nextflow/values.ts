/**
 * The values of a Nextflow trace cell, as Nextflow writes them (nextflow.trace.TraceRecord):
 *
 * | kind | human (default)                       | raw (`trace.raw = true`, or a `name:num` field) |
 * |------|---------------------------------------|-------------------------------------------------|
 * | date | `2021-02-17 14:49:08.180` (local time)| epoch milliseconds `1613573348180`              |
 * | time | `850ms`, `3.4s`, `4m 19s`, `1d 2h 3m 4s` | milliseconds `259000`                        |
 * | mem  | `0`, `468 B`, `756.3 KB`, `1.2 GB` (powers of 1024) | bytes                            |
 * | perc | `95.3%`                               | `95.3`                                          |
 * | num  | `4`                                   | `4`                                             |
 *
 * `-` is a missing value. Each parser returns NaN for `-` and throws a ValueProblem (turned into
 * an error naming file, line and field by the caller) for text that is none of these. Cells are
 * told apart by their text, not by a setting: a trace's header does not say whether it is raw, and
 * a user may give any field a format of its own.
 *
 * These run once per cell of traces of millions of rows: they scan characters instead of
 * matching regular expressions where that is the hot path (dates, durations).
 */
import type { TimeZone } from '../common/time-zone.js';

export class ValueProblem extends Error {}

const MISSING = '-';

const DIGIT_0 = 48;
const DIGIT_9 = 57;

function isDigits(text: string, from = 0, to = text.length): boolean {
  if (to <= from) return false;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c < DIGIT_0 || c > DIGIT_9) return false;
  }
  return true;
}

function digitsAt(text: string, from: number, count: number): number {
  let value = 0;
  for (let i = from; i < from + count; i++) {
    const c = text.charCodeAt(i);
    if (c < DIGIT_0 || c > DIGIT_9) return NaN;
    value = value * 10 + (c - DIGIT_0);
  }
  return value;
}

/** What a date cell was written as, so that a caller can say which zone it assumed. */
export type DateForm = 'wall' | 'epoch';

/**
 * Epoch seconds of a date cell: `yyyy-MM-dd HH:mm:ss.SSS` (optionally without the milliseconds,
 * or with `T`) in `zone`, or epoch milliseconds. `forms` learns which forms were seen.
 */
export function parseDate(text: string, zone: TimeZone, forms?: Set<DateForm>): number {
  if (text === MISSING || text === '') return NaN;
  if (isDigits(text)) {
    forms?.add('epoch');
    return Number(text) / 1000;
  }
  // 2021-02-17 14:49:08.180
  // 0123456789012345678901
  const n = text.length;
  if (n >= 19 && text.charCodeAt(4) === 45 && text.charCodeAt(7) === 45 && (text[10] === ' ' || text[10] === 'T') && text.charCodeAt(13) === 58 && text.charCodeAt(16) === 58) {
    const year = digitsAt(text, 0, 4);
    const month = digitsAt(text, 5, 2);
    const day = digitsAt(text, 8, 2);
    const hour = digitsAt(text, 11, 2);
    const minute = digitsAt(text, 14, 2);
    let second = digitsAt(text, 17, 2);
    let ok = n === 19;
    if (n > 20 && text.charCodeAt(19) === 46 && isDigits(text, 20)) {
      second += Number(text.slice(19));
      ok = true;
    }
    if (ok && month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour <= 23 && minute <= 59 && second < 61) {
      forms?.add('wall');
      return zone.epoch(year, month, day, hour, minute, second);
    }
  }
  throw new ValueProblem(`${JSON.stringify(text)} is not a date (yyyy-MM-dd HH:mm:ss.SSS, or epoch milliseconds)`);
}

const SECONDS_PER_UNIT: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 };

/**
 * Seconds of a duration cell: Nextflow's `850ms`, `3.4s`, `1h 2m 3s`, `1d 2h` (parts largest
 * first, separated by spaces), or milliseconds as a bare number.
 */
export function parseDuration(text: string): number {
  if (text === MISSING || text === '') return NaN;
  if (isDigits(text)) return Number(text) / 1000;
  let total = 0;
  let i = 0;
  const n = text.length;
  let parts = 0;
  while (i < n) {
    while (i < n && text.charCodeAt(i) === 32) i++;
    if (i === n) break;
    const numberStart = i;
    while (i < n && ((text.charCodeAt(i) >= DIGIT_0 && text.charCodeAt(i) <= DIGIT_9) || text.charCodeAt(i) === 46)) i++;
    const unitStart = i;
    while (i < n && text.charCodeAt(i) >= 97 && text.charCodeAt(i) <= 122) i++;
    const amount = Number(text.slice(numberStart, unitStart));
    const unit = SECONDS_PER_UNIT[text.slice(unitStart, i)];
    if (unitStart === numberStart || !Number.isFinite(amount) || unit === undefined || (i < n && text.charCodeAt(i) !== 32)) {
      throw new ValueProblem(`${JSON.stringify(text)} is not a duration (like 850ms, 3.4s, 1h 2m 3s, or milliseconds)`);
    }
    total += amount * unit;
    parts++;
  }
  if (parts === 0) throw new ValueProblem(`${JSON.stringify(text)} is not a duration`);
  return total;
}

const BYTES_PER_UNIT: Record<string, number> = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4, PB: 1024 ** 5, EB: 1024 ** 6, ZB: 1024 ** 7 };

/** Bytes of a memory cell: `1.2 GB` (units of 1024, as Nextflow's MemoryUnit), `0`, or bytes. */
export function parseMemory(text: string): number {
  if (text === MISSING || text === '') return NaN;
  if (isDigits(text)) return Number(text);
  const space = text.indexOf(' ');
  const unit = space === -1 ? undefined : BYTES_PER_UNIT[text.slice(space + 1)];
  const amount = space === -1 ? NaN : Number(text.slice(0, space));
  if (unit === undefined || !Number.isFinite(amount) || amount < 0 || space === 0) {
    throw new ValueProblem(`${JSON.stringify(text)} is not an amount of memory (like 468 B, 1.2 GB, or bytes)`);
  }
  return amount * unit;
}

/** A percent cell: `95.3%`, or the number alone (raw). */
export function parsePercent(text: string): number {
  if (text === MISSING || text === '') return NaN;
  const number = text.endsWith('%') ? text.slice(0, -1) : text;
  const value = number === '' ? NaN : Number(number);
  if (!Number.isFinite(value) || value < 0) throw new ValueProblem(`${JSON.stringify(text)} is not a percentage (like 95.3%)`);
  return value;
}

/** A count (cpus, attempt, accelerator...): a non-negative number. */
export function parseCount(text: string): number {
  if (text === MISSING || text === '') return NaN;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) throw new ValueProblem(`${JSON.stringify(text)} is not a non-negative number`);
  return value;
}
