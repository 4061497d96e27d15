/**
 * Sorting times together with their indexes: the one sort every timeline analysis needs.
 *
 * `Array.prototype.sort` with a comparator costs about a second for two million points; this
 * least-significant-digit radix sort on the 64 bits of each double (16 bits per pass, passes
 * whose digit is the same for every value skipped) does it in a fifth of that. It is stable:
 * equal values keep their input order, which the timeline uses to put ends before starts.
 */

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
  const scratch = new Float64Array(1);
  const scratchBits = new Uint32Array(scratch.buffer);
  for (let i = 0; i < n; i++) {
    const value = values[i];
    scratch[0] = value === 0 ? 0 : value; // -0 and 0 are equal times
    let low = scratchBits[0];
    let high = scratchBits[1];
    // Map IEEE-754 bits to unsigned integers in the same order: flip every bit of negatives,
    // only the sign bit of positives.
    if (high & 0x80000000) {
      high = ~high >>> 0;
      low = ~low >>> 0;
    } else {
      high = (high | 0x80000000) >>> 0;
    }
    lo[i] = low;
    hi[i] = high;
    index[i] = i;
  }

  let lo2 = new Uint32Array(n);
  let hi2 = new Uint32Array(n);
  let index2 = new Uint32Array(n);
  const count = new Uint32Array(65536);
  for (let pass = 0; pass < 4; pass++) {
    const key = pass < 2 ? lo : hi;
    const shift = (pass & 1) * 16;
    count.fill(0);
    for (let i = 0; i < n; i++) count[(key[i] >>> shift) & 0xffff]++;
    if (count[(key[0] >>> shift) & 0xffff] === n) continue; // every value has this digit: nothing to do
    let sum = 0;
    for (let d = 0; d < 65536; d++) {
      const c = count[d];
      count[d] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const p = count[(key[i] >>> shift) & 0xffff]++;
      lo2[p] = lo[i];
      hi2[p] = hi[i];
      index2[p] = index[i];
    }
    [lo, lo2] = [lo2, lo];
    [hi, hi2] = [hi2, hi];
    [index, index2] = [index2, index];
  }

  const sorted = new Float64Array(n);
  const sortedBits = new Uint32Array(sorted.buffer);
  for (let i = 0; i < n; i++) {
    const high = hi[i];
    if (high & 0x80000000) {
      sortedBits[2 * i] = lo[i];
      sortedBits[2 * i + 1] = (high & 0x7fffffff) >>> 0;
    } else {
      sortedBits[2 * i] = ~lo[i] >>> 0;
      sortedBits[2 * i + 1] = ~high >>> 0;
    }
  }
  return { sorted, order: index };
}
