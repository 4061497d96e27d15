/** Number columns across their blocks: what was pushed comes back, by index and as one array. */
import { describe, expect, it } from 'vitest';
import { Float64Column, Int32Column } from '../../src/util/number-column.js';

describe('number columns', () => {
  it('hands back every number pushed, across blocks of 65536', () => {
    const ints = new Int32Column();
    const doubles = new Float64Column();
    const n = 3 * 65536 + 17;
    for (let k = 0; k < n; k++) {
      ints.push(k - 5);
      doubles.push(k / 3);
    }
    expect(ints.length).toBe(n);
    const all = ints.toArray();
    const fractions = doubles.toArray();
    expect(all).toHaveLength(n);
    for (const k of [0, 65535, 65536, 2 * 65536 + 1, n - 1]) {
      expect(all[k]).toBe(k - 5);
      expect(ints.at(k)).toBe(k - 5);
      expect(fractions[k]).toBe(k / 3);
    }
    expect(new Int32Column().toArray()).toHaveLength(0);
  });
});
