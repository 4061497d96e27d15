/**
 * Flag values in seconds: a number, or `auto`, and errors that name the flag.
 */
import { describe, expect, it } from 'vitest';
import { parseAutoOrSeconds, parseDuration, parseSeconds } from '../../src/cli/seconds-flag.js';

describe('seconds flags', () => {
  it('reads seconds and auto, and names the flag in errors', () => {
    expect(parseSeconds('barrier-gap', '30')).toBe(30);
    expect(parseSeconds('barrier-gap', '0.5')).toBe(0.5);
    expect(parseAutoOrSeconds('overhead', 'AUTO')).toBe('auto');
    expect(parseAutoOrSeconds('overhead', '7')).toBe(7);
    expect(() => parseSeconds('barrier-gap', '-1')).toThrow('--barrier-gap: expected a non-negative number of seconds, got "-1"');
    expect(() => parseAutoOrSeconds('overhead', 'soon')).toThrow('--overhead: expected a non-negative number of seconds, got "soon"');
    expect(() => parseSeconds('overhead', '')).toThrow('--overhead: expected a non-negative number of seconds, got ""');
  });

  it('reads durations with units, and refuses zero, negatives and unknown units', () => {
    expect(parseDuration('budget', '90')).toBe(90);
    expect(parseDuration('budget', '90s')).toBe(90);
    expect(parseDuration('budget', '3m')).toBe(180);
    expect(parseDuration('budget', '1h')).toBe(3600);
    expect(parseDuration('budget', '2m30s')).toBe(150);
    expect(parseDuration('budget', ' 0.5M ')).toBe(30);
    for (const bad of ['0', '0s', '-3m', '3d', 'm', '', '3 m', '1e3']) {
      expect(() => parseDuration('budget', bad), bad).toThrow(`--budget: expected a positive duration (90, 90s, 3m, 1h, 2m30s), got "${bad}"`);
    }
  });
});
