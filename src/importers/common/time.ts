/**
 * Parsing times in tabular traces: epoch seconds (a number) or ISO 8601 date-times.
 */

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * Seconds since the Unix epoch, or NaN when the text is not a time. Numbers are taken as seconds
 * as they are (they may also count from any origin, e.g. the start of a run); an ISO 8601 time
 * without an offset is UTC. Fractions of a second keep their full precision (microseconds and
 * beyond), which `Date.parse` would cut to milliseconds.
 */
export function parseTime(text: string): number {
  const trimmed = text.trim();
  if (trimmed === '') return NaN;
  const asNumber = Number(trimmed);
  if (Number.isFinite(asNumber)) return asNumber;
  const m = ISO.exec(trimmed);
  if (!m) return NaN;
  const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '', offset = 'Z'] = m;
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return NaN;
  const ms = Date.UTC(Number(y), month - 1, day, hour, minute, second);
  if (new Date(ms).getUTCDate() !== day) return NaN; // 2024-02-31 and the like
  return ms / 1000 + (fraction ? Number(fraction) : 0) - offsetSeconds(offset);
}

function offsetSeconds(offset: string): number {
  if (offset.toUpperCase() === 'Z') return 0;
  const sign = offset[0] === '-' ? -1 : 1;
  const digits = offset.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  return sign * (hours * 3600 + minutes * 60);
}
