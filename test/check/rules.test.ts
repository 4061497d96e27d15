/** Thresholds, rules from command-line flags, and limits. */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { isBeyond, limitOf, parseThreshold, ruleFromFlag } from '../../src/check/rules.js';

describe('parseThreshold', () => {
  it('reads numbers, percentages and percentage points', () => {
    expect(parseThreshold('max_increase', '5%')).toEqual({ unit: 'relative', value: 0.05, text: '5%' });
    expect(parseThreshold('max_increase', '30')).toEqual({ unit: 'absolute', value: 30, text: '30' });
    expect(parseThreshold('max_decrease', '5pp')).toEqual({ unit: 'absolute', value: 0.05, text: '5pp' });
    expect(parseThreshold('min', '80%')).toEqual({ unit: 'absolute', value: 0.8, text: '80%' });
    expect(parseThreshold('min', 0.8)).toEqual({ unit: 'absolute', value: 0.8, text: '0.8' });
    expect(parseThreshold('min', '-5%')).toEqual({ unit: 'absolute', value: -0.05, text: '-5%' });
    expect(parseThreshold('max', '1.5e3')?.value).toBe(1500);
  });

  it('refuses what is not a threshold, and negative relative ones', () => {
    for (const bad of ['', 'five', '5 percent', '%', '5%%', 'NaN', 'Infinity', '1e999']) expect(parseThreshold('max', bad), bad).toBeNull();
    expect(parseThreshold('max_increase', '-5%')).toBeNull();
    expect(parseThreshold('max_decrease', -1)).toBeNull();
    expect(parseThreshold('max', Number.NaN)).toBeNull();
  });
});

describe('ruleFromFlag', () => {
  it('splits METRIC=THRESHOLD at the last =', () => {
    expect(ruleFromFlag('max_increase', 'makespan_s=5%')).toMatchObject({ name: 'makespan_s max-increase 5%', metric: { text: 'makespan_s' }, bound: { kind: 'max_increase' } });
    expect(ruleFromFlag('max', 'groups["a=b"].busy_s=10').metric.groups).toEqual(['a=b']);
  });

  it('explains a malformed flag', () => {
    expect(() => ruleFromFlag('max_increase', 'makespan_s')).toThrow('--max-increase "makespan_s": write METRIC=THRESHOLD, e.g. --max-increase makespan_s=5%');
    expect(() => ruleFromFlag('min', 'utilization.gpu=high')).toThrow(/"high" is not a threshold/);
    expect(() => ruleFromFlag('min', 'utilisation.gpu=0.8')).toThrow(InputError);
  });
});

describe('limits', () => {
  it('moves the baseline by the threshold', () => {
    expect(limitOf({ kind: 'max_increase', threshold: { unit: 'relative', value: 0.05, text: '5%' } }, 1000)).toBeCloseTo(1050, 12);
    expect(limitOf({ kind: 'max_decrease', threshold: { unit: 'absolute', value: 30, text: '30' } }, 1000)).toBe(970);
    expect(limitOf({ kind: 'min', threshold: { unit: 'absolute', value: 0.8, text: '0.8' } }, null)).toBe(0.8);
  });

  it('counts touching the limit as within', () => {
    expect(isBeyond('max', 10, 10)).toBe(false);
    expect(isBeyond('max_increase', 10.000001, 10)).toBe(true);
    expect(isBeyond('min', 10, 10)).toBe(false);
    expect(isBeyond('max_decrease', 9.999999, 10)).toBe(true);
  });
});
