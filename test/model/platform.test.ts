/**
 * Platforms from a run's capacity, or from the totals the capacity flags give.
 */
import { describe, expect, it } from 'vitest';
import { overridePlatform, platformFromCapacity } from '../../src/model/platform.js';
import { UNKNOWN_CAPACITY } from '../../src/run/capacity.js';

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
