/**
 * Flag values in seconds, and platforms from a run's capacity or the capacity flags.
 */
import { describe, expect, it } from 'vitest';
import { parseAutoOrSeconds, parseSeconds } from '../../src/cli/seconds-flag.js';
import { overridePlatform, platformFromCapacity } from '../../src/model/platform.js';
import { UNKNOWN_CAPACITY } from '../../src/run/capacity.js';

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

describe('platforms', () => {
  it('come from a capacity with nodes, with totals only, or not at all', () => {
    expect(platformFromCapacity({ nodes: 16, coresPerNode: 168, gpusPerNode: 6, cores: 2688, gpus: 96 })).toEqual({ kind: 'nodes', nodes: 16, coresPerNode: 168, gpusPerNode: 6 });
    expect(platformFromCapacity({ ...UNKNOWN_CAPACITY, nodes: 2, cores: 64, gpus: 8 })).toEqual({ kind: 'nodes', nodes: 2, coresPerNode: 32, gpusPerNode: 4 });
    expect(platformFromCapacity({ ...UNKNOWN_CAPACITY, cores: 64 })).toEqual({ kind: 'pool', cores: 64, gpus: 0 });
    expect(platformFromCapacity({ ...UNKNOWN_CAPACITY, gpus: 8 })).toBeNull();
  });

  it('take the totals the flags give, pooled unless --nodes is given', () => {
    const summit = { kind: 'nodes', nodes: 16, coresPerNode: 168, gpusPerNode: 6 } as const;
    expect(overridePlatform(summit, {})).toBe(summit);
    expect(overridePlatform(summit, { gpus: 48 })).toEqual({ kind: 'pool', cores: 2688, gpus: 48 });
    expect(overridePlatform(summit, { nodes: 8 })).toEqual({ kind: 'nodes', nodes: 8, coresPerNode: 336, gpusPerNode: 12 });
    expect(overridePlatform(null, { cores: 4 })).toEqual({ kind: 'pool', cores: 4, gpus: 0 });
    expect(overridePlatform(null, { gpus: 4 })).toBeNull();
  });
});
