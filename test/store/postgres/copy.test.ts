/**
 * COPY's text format (store/postgres/copy.ts): what must be escaped is, NULL is \N, numbers read
 * back exactly, and a text PostgreSQL cannot hold (a NUL character) is refused by name.
 */
import { expect, it } from 'vitest';
import { copyNumber, copyText } from '../../../src/store/postgres/copy.js';
import { InputError } from '../../../src/errors.js';

it('escapes backslash, tab, newline and carriage return, and leaves other text as it is', () => {
  expect(copyText('plain <b>&amp; ü 🚀')).toBe('plain <b>&amp; ü 🚀');
  expect(copyText('a\\b\tc\nd\re')).toBe('a\\\\b\\tc\\nd\\re');
  expect(copyText(null)).toBe('\\N');
  expect(copyText('\\N')).toBe('\\\\N');
});

it('refuses a NUL character, wherever it is, with the text it is in', () => {
  for (const text of ['a\0b', '\0', 'tab\tand\0nul']) {
    expect(() => copyText(text)).toThrow(InputError);
    expect(() => copyText(text)).toThrow(/cannot store the character NUL \(U\+0000\)/);
  }
});

it('writes numbers in their shortest exact form, NaN as NULL', () => {
  for (const value of [0, -1, 0.1 + 0.2, 1700000000.313537 - 1700000000.273724, 1e-300, 2 ** 53 + 2]) expect(Number(copyNumber(value))).toBe(value);
  expect(copyNumber(NaN)).toBe('\\N');
  expect(copyNumber(null)).toBe('\\N');
});
