/**
 * The sentence for an asynchronous run that was slower (issue 13.9): "0.3% slower than the
 * synchronous run", never "-0.3% faster" or "took 0.3% longer of the synchronous makespan".
 */
import { describe, expect, it } from 'vitest';
import type { PairReport } from '../../src/report/report-data.js';
import { headlineText } from '../../src/report/sections/headline.js';
import { fasterOrSlower } from '../../src/text/numbers.js';

function pair(measured: number, predicted: number): PairReport {
  return { title: 'DG2', comparison: { measured: { improvement: measured }, predicted: { improvement: predicted }, error: { improvementPp: (predicted - measured) * 100 } } } as unknown as PairReport;
}

describe('faster or slower', () => {
  it('says slower for a negative improvement, in compare and in the report', () => {
    expect(fasterOrSlower(0.26)).toBe('26.0% faster');
    expect(fasterOrSlower(-0.003)).toBe('0.3% slower');
    expect(fasterOrSlower(-0.05, true)).toBe('5.0% slower');
    expect(fasterOrSlower(0.262, true)).toBe('26.2%');
    expect(headlineText(pair(-0.003, 0.05))).toBe('DG2: async was 0.3% slower than the synchronous run (model predicted 5.0%, +5.3 pp).');
    expect(headlineText(pair(-0.003, -0.01))).toBe('DG2: async was 0.3% slower than the synchronous run (model predicted 1.0% slower, -0.7 pp).');
    expect(headlineText(pair(0.26, 0.262))).toBe('DG2: async saved 26.0% of the synchronous makespan (model predicted 26.2%, +0.2 pp).');
  });
});
