import { describe, expect, it } from 'vitest';
import { argsortFloat64, sortInPlace } from '../../src/analysis/sort.js';
import { seededRandom } from '../../src/util/seeded-random.js';

describe('argsortFloat64', () => {
  it('orders values and keeps equal ones in input order (stable)', () => {
    expect(Array.from(argsortFloat64(Float64Array.of(3, 1, 2, 1)))).toEqual([1, 3, 2, 0]);
  });

  it('orders negatives, zeros (-0 as 0), fractions and large values', () => {
    const values = Float64Array.of(5.5, -1, 0, -0, -1e300, 1e300, -0.25, 2 ** -1074, 0);
    const { sorted, order, spare } = sortInPlace(values.slice());
    expect(spare.length).toBe(values.length);
    expect(Array.from(sorted)).toEqual([-1e300, -1, -0.25, 0, 0, 0, 2 ** -1074, 5.5, 1e300]);
    // the three zeros keep their input order: 0 (index 2), -0 (index 3), 0 (index 8)
    expect(Array.from(order).slice(3, 6)).toEqual([2, 3, 8]);
    for (let k = 0; k < values.length; k++) expect(sorted[k]).toBe(values[order[k]] === 0 ? 0 : values[order[k]]);
  });

  it('handles empty and single inputs', () => {
    expect(argsortFloat64(new Float64Array(0)).length).toBe(0);
    expect(Array.from(argsortFloat64(Float64Array.of(7)))).toEqual([0]);
  });

  it('agrees with a comparator sort on random data with many ties', () => {
    const random = seededRandom(7);
    const values = Float64Array.from({ length: 5000 }, () => Math.round(random() * 200) / 4 - 10);
    const order = Array.from(argsortFloat64(values));
    const expected = Array.from(values.keys()).sort((a, b) => values[a] - values[b] || a - b);
    expect(order).toEqual(expected);
  });
});
