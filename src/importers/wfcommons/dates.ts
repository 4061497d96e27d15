/**
 * Dates in WfCommons instances. `executedAt` is meant to be ISO 8601, but real instances use
 * several formats, e.g. (all from WfInstances):
 *   `2023-03-29T10:02:36-10:00`   ISO 8601 (Nextflow)
 *   `05-04-23T10:46:27Z`          month-day-year with a two-digit year (Pegasus: 4 May 2023)
 *   `20210217T020438+0000`        ISO 8601 basic (compact) form
 * Epoch seconds (a number) are accepted too.
 */
import { parseTime } from '../common/time.js';

const MONTH_DAY_YEAR = /^(\d{2})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
const BASIC = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/** Epoch seconds of an instance date, or NaN when it is in none of the known formats. */
export function parseInstanceDate(value: unknown): number {
  if (typeof value === 'number') return Number.isFinite(value) ? value : NaN;
  if (typeof value !== 'string') return NaN;
  const text = value.trim();
  const iso = parseTime(text);
  if (!Number.isNaN(iso)) return iso;
  let m = MONTH_DAY_YEAR.exec(text);
  if (m) {
    const [, month, day, year, h, mi, s, fraction = '', offset = 'Z'] = m;
    return parseTime(`20${year}-${month}-${day}T${h}:${mi}:${s}${fraction}${offset}`);
  }
  m = BASIC.exec(text);
  if (m) {
    const [, year, month, day, h, mi, s, fraction = '', offset = 'Z'] = m;
    return parseTime(`${year}-${month}-${day}T${h}:${mi}:${s}${fraction}${offset}`);
  }
  return NaN;
}
