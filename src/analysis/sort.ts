/**
 * Sorting times together with their indexes: the one sort every timeline analysis needs.
 *
 * `Array.prototype.sort` with a comparator costs about a second for two million points; this
 * least-significant-digit radix sort on the 64 bits of each double does it in a fifth of that.
 * The doubles are mapped to unsigned integers in the same order, the counts of all four 16-bit
 * digits are taken in that same pass, and each digit then costs one scatter pass (none when every
 * value has the same digit). It is stable: equal values keep their input order, which the timeline
 * uses to put ends before starts. Each loop lives in a small function of its own so that V8
 * optimizes it quickly on the first, cold call.
 */

const DIGITS = 4;
const RADIX = 65536;
/** Which 32-bit word of a double holds its low half (0 on little-endian machines). */
const LOW_WORD = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1 ? 0 : 1;
const HIGH_WORD = 1 - LOW_WORD;

/**
 * The permutation that sorts `values` ascending (stable). Values must not be NaN; -0 sorts as 0.
 *
 * @example argsortFloat64(Float64Array.of(3, 1, 2, 1)) // => Uint32Array [1, 3, 2, 0]
 */
export function argsortFloat64(values: Float64Array): Uint32Array {
  return sortWithIndex(values).order;
}

/**
 * The sorted values together with the permutation that sorts them (`sorted[k] = values[order[k]]`),
 * without reading `values` again in the permuted order (which costs a cache miss per value).
 */
export function sortWithIndex(values: Float64Array): { sorted: Float64Array; order: Uint32Array } {
  const n = values.length;
  let lo = new Uint32Array(n);
  let hi = new Uint32Array(n);
  let index = new Uint32Array(n);
  const counts = new Uint32Array(DIGITS * RADIX);
  toSortableBits(values, lo, hi, index, counts);

  const passes: number[] = [];
  for (let digit = 0; digit < DIGITS && n > 0; digit++) {
    const key = digit < 2 ? lo : hi;
    const first = (key[0] >>> ((digit & 1) * 16)) & 0xffff;
    if (counts[digit * RADIX + first] !== n) passes.push(digit); // a digit shared by every value needs no pass
  }
  let lo2 = new Uint32Array(n);
  let hi2 = new Uint32Array(n);
  let index2 = new Uint32Array(n);
  for (const digit of passes) {
    const offsets = counts.subarray(digit * RADIX, (digit + 1) * RADIX);
    prefixSums(offsets);
    scatter(n, digit < 2 ? lo : hi, (digit & 1) * 16, offsets, lo, hi, index, lo2, hi2, index2);
    [lo, lo2] = [lo2, lo];
    [hi, hi2] = [hi2, hi];
    [index, index2] = [index2, index];
  }
  const sorted = new Float64Array(n);
  fromSortableBits(lo, hi, sorted);
  return { sorted, order: index };
}

/** Maps each double to two 32-bit words that compare like it, and counts every 16-bit digit. */
function toSortableBits(values: Float64Array, lo: Uint32Array, hi: Uint32Array, index: Uint32Array, counts: Uint32Array): void {
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
  for (let i = 0; i < values.length; i++) {
    let low = bits[2 * i + LOW_WORD];
    let high = bits[2 * i + HIGH_WORD];
    if (high === 0x80000000 && low === 0) high = 0; // -0 is the time 0
    // IEEE-754 order as unsigned integers: flip every bit of negatives, only the sign of positives.
    if (high & 0x80000000) {
      high = ~high >>> 0;
      low = ~low >>> 0;
    } else {
      high = (high | 0x80000000) >>> 0;
    }
    lo[i] = low;
    hi[i] = high;
    index[i] = i;
    counts[low & 0xffff]++;
    counts[RADIX + (low >>> 16)]++;
    counts[2 * RADIX + (high & 0xffff)]++;
    counts[3 * RADIX + (high >>> 16)]++;
  }
}

/** Counts per digit value -> position of the first element with that digit. */
function prefixSums(offsets: Uint32Array): void {
  let sum = 0;
  for (let d = 0; d < offsets.length; d++) {
    const c = offsets[d];
    offsets[d] = sum;
    sum += c;
  }
}

/** One stable pass: moves every element to its place by one 16-bit digit of `key`. */
function scatter(
  n: number,
  key: Uint32Array,
  shift: number,
  offsets: Uint32Array,
  lo: Uint32Array,
  hi: Uint32Array,
  index: Uint32Array,
  lo2: Uint32Array,
  hi2: Uint32Array,
  index2: Uint32Array,
): void {
  for (let i = 0; i < n; i++) {
    const p = offsets[(key[i] >>> shift) & 0xffff]++;
    lo2[p] = lo[i];
    hi2[p] = hi[i];
    index2[p] = index[i];
  }
}

/** The inverse of `toSortableBits`. */
function fromSortableBits(lo: Uint32Array, hi: Uint32Array, out: Float64Array): void {
  const bits = new Uint32Array(out.buffer, out.byteOffset, out.length * 2);
  for (let i = 0; i < out.length; i++) {
    const high = hi[i];
    if (high & 0x80000000) {
      bits[2 * i + LOW_WORD] = lo[i];
      bits[2 * i + HIGH_WORD] = (high & 0x7fffffff) >>> 0;
    } else {
      bits[2 * i + LOW_WORD] = ~lo[i] >>> 0;
      bits[2 * i + HIGH_WORD] = ~high >>> 0;
    }
  }
}
