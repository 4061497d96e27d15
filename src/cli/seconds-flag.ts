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
