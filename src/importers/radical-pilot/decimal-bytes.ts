/**
 * `Number()` of a plain decimal written in bytes (`-?digits(.digits)?`), without making a string:
 * a profile has one time a line, tens of millions in a large session, and the string made of each
 * (and its garbage) cost the profile reader thread about a second at 10^6 tasks.
 *
 * Only results that are provably the ones `Number()` gives come from here; anything else (other
 * forms, blanks, exponents, too many digits, a value too close to the middle between two doubles)
 * returns NaN, and the caller asks `Number()`:
 * - up to 15 digits in all: the digits are an exact integer N, 10^k is exact, and one IEEE division
 *   N / 10^k is correctly rounded, as `Number()` is (Clinger's fast path);
 * - more (RADICAL-Pilot writes 17: 1700000001.3135369): integer part I and fraction F / 10^k, each
 *   exact or correctly rounded (within 2^-54 of the fraction, which is below 1), are added; the sum
 *   c is `Number()`'s value unless the exact decimal lies on the other side of a midpoint between
 *   two doubles than the computed sum, which the exact error of the addition (Knuth's TwoSum) and
 *   c's unit in the last place rule out (with a margin of twice that 2^-54).
 */

const DIGIT_0 = 0x30;
const DOT = 0x2e;
const MINUS = 0x2d;
/** Digits an exact double integer always holds (10^15 < 2^53). */
const EXACT_DIGITS = 15;
const POWERS_OF_TEN = Array.from({ length: EXACT_DIGITS + 1 }, (_, k) => 10 ** k);
const MARGIN = 2 ** -53;
/** Half the unit in the last place of a normal double, by its biased exponent: 2^(exponent - 1023 - 52) / 2. */
const HALF_ULP = Float64Array.from({ length: 2047 }, (_, exponent) => 2 ** (exponent - 1076));

const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);
const HIGH = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0; // the word with the exponent

/** The value of the decimal in `bytes[start, end)`, or NaN when it must be left to `Number()`. */
export function exactDecimal(bytes: Uint8Array, start: number, end: number): number {
  let i = start;
  const negative = i < end && bytes[i] === MINUS;
  if (negative) i++;
  let whole = 0;
  let wholeDigits = 0;
  for (; i < end; i++) {
    const d = bytes[i] - DIGIT_0;
    if (d < 0 || d > 9) break;
    whole = whole * 10 + d;
    wholeDigits++;
  }
  if (wholeDigits === 0 || wholeDigits > EXACT_DIGITS) return NaN;
  let fraction = 0;
  let fractionDigits = 0;
  if (i < end) {
    if (bytes[i] !== DOT) return NaN;
    for (i++; i < end; i++) {
      const d = bytes[i] - DIGIT_0;
      if (d < 0 || d > 9) return NaN;
      fraction = fraction * 10 + d;
      fractionDigits++;
    }
    if (fractionDigits === 0 || fractionDigits > EXACT_DIGITS) return NaN;
  }
  const scale = POWERS_OF_TEN[fractionDigits];
  let value: number;
  if (wholeDigits + fractionDigits <= EXACT_DIGITS) {
    value = (whole * scale + fraction) / scale;
  } else {
    const part = fraction / scale;
    value = whole + part;
    // TwoSum: the exact error of that addition.
    const b = value - whole;
    const error = whole - (value - b) + (part - b);
    bits[0] = value;
    const exponent = (words[HIGH] >>> 20) & 0x7ff;
    // At a power of two the double below is nearer: leave it to Number().
    if ((words[HIGH] & 0xfffff) === 0 && words[1 - HIGH] === 0) return NaN;
    if (!(HALF_ULP[exponent] - Math.abs(error) > MARGIN)) return NaN;
  }
  return negative ? -value : value;
}
