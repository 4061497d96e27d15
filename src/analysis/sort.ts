/**
 * Sorting times together with their indexes: the one sort every timeline analysis needs.
 *
 * `Array.prototype.sort` with a comparator costs about a second for two million points; this
 * least-significant-digit radix sort on the 64 bits of each double does it in a fifth of that.
 * The doubles are turned, in place, into unsigned integers in the same order; the counts of all
 * four 16-bit digits are taken in that same pass, and each digit then costs one scatter pass (none
 * when every value has the same digit). It is stable: equal values keep their input order, which
 * the timeline uses to put ends before starts.
 *
 * Memory is reused rather than allocated: on the virtual machines these analyses run on, touching
 * fresh memory for the first time costs more than sorting it.
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
  return sortInPlace(values.slice()).order;
}

export interface SortResult {
  /** The values in ascending order (-0 as 0). */
  sorted: Float64Array;
  /** `sorted[k]` was `values[order[k]]`. */
  order: Uint32Array;
  /** A free array of the same length, for the caller to reuse. */
  spare: Uint32Array;
}

/**
 * Sorts `values` (which it overwrites: `sorted` is either that array or a new one) and gives the
 * permutation, without reading the values again in the permuted order (a cache miss per value).
 */
export function sortInPlace(values: Float64Array): SortResult {
  const n = values.length;
  let bits: Uint32Array = new Uint32Array(values.buffer, values.byteOffset, 2 * n);
  let index = new Uint32Array(n);
  const counts = new Uint32Array(DIGITS * RADIX);
  toSortableBits(bits, index, counts);

  let bits2: Uint32Array = new Uint32Array(2 * n);
  let index2 = new Uint32Array(n);
  for (let digit = 0; digit < DIGITS && n > 0; digit++) {
    const word = digit < 2 ? LOW_WORD : HIGH_WORD;
    const shift = (digit & 1) * 16;
    const offsets = counts.subarray(digit * RADIX, (digit + 1) * RADIX);
    if (offsets[(bits[word] >>> shift) & 0xffff] === n) continue; // every value has this digit
    prefixSums(offsets);
    scatter(n, word, shift, offsets, bits, index, bits2, index2);
    [bits, bits2] = [bits2, bits];
    [index, index2] = [index2, index];
  }
  fromSortableBits(bits);
  return { sorted: new Float64Array(bits.buffer, bits.byteOffset, n), order: index, spare: index2 };
}

/** Turns each double into two 32-bit words that compare like it (in place), and counts every 16-bit digit. */
function toSortableBits(bits: Uint32Array, index: Uint32Array, counts: Uint32Array): void {
  for (let i = 0; i < index.length; i++) {
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
    bits[2 * i + LOW_WORD] = low;
    bits[2 * i + HIGH_WORD] = high;
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

/** One stable pass: moves every element to its place by one 16-bit digit. */
function scatter(n: number, word: number, shift: number, offsets: Uint32Array, bits: Uint32Array, index: Uint32Array, bits2: Uint32Array, index2: Uint32Array): void {
  for (let i = 0; i < n; i++) {
    const p = offsets[(bits[2 * i + word] >>> shift) & 0xffff]++;
    bits2[2 * p] = bits[2 * i];
    bits2[2 * p + 1] = bits[2 * i + 1];
    index2[p] = index[i];
  }
}

/** The inverse of `toSortableBits`, in place. */
function fromSortableBits(bits: Uint32Array): void {
  for (let i = 0; i < bits.length; i += 2) {
    const low = bits[i + LOW_WORD];
    const high = bits[i + HIGH_WORD];
    if (high & 0x80000000) {
      bits[i + HIGH_WORD] = (high & 0x7fffffff) >>> 0;
    } else {
      bits[i + LOW_WORD] = ~low >>> 0;
      bits[i + HIGH_WORD] = ~high >>> 0;
    }
  }
}
