/**
 * Parsing flag values given in seconds, with one-line errors naming the flag.
 */
import { InputError } from '../errors.js';

/** A non-negative number of seconds. */
export function parseSeconds(flag: string, value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) {
    throw new InputError(`--${flag}: expected a non-negative number of seconds, got "${value}"`);
  }
  return n;
}

/** `auto` or a non-negative number of seconds. */
export function parseAutoOrSeconds(flag: string, value: string): 'auto' | number {
  return value.trim().toLowerCase() === 'auto' ? 'auto' : parseSeconds(flag, value);
}

const DURATION_UNITS: Readonly<Record<string, number>> = { h: 3600, m: 60, s: 1 };

/** A positive duration: seconds (`90`), or with units `90s`, `3m`, `1h`, `2m30s`. */
export function parseDuration(flag: string, value: string): number {
  const text = value.trim().toLowerCase();
  let seconds: number;
  if (/^\d+(\.\d+)?$/.test(text)) seconds = Number(text);
  else if (/^(\d+(\.\d+)?[hms])+$/.test(text)) {
    seconds = 0;
    for (const [, n, unit] of text.matchAll(/(\d+(?:\.\d+)?)([hms])/g)) seconds += Number(n) * DURATION_UNITS[unit];
  } else seconds = NaN;
  if (!(seconds > 0) || !Number.isFinite(seconds)) throw new InputError(`--${flag}: expected a positive duration (90, 90s, 3m, 1h, 2m30s), got "${value}"`);
  return seconds;
}
