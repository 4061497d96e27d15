/**
 * Flag values in seconds: a number, or `auto`, and errors that name the flag.
 */
import { describe, expect, it } from 'vitest';
import { parseAutoOrSeconds, parseSeconds } from '../../src/cli/seconds-flag.js';

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
});
