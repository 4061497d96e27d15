/**
 * What the machine offered a run. Every field may be unknown (null).
 */
export interface Capacity {
  nodes: number | null;
  coresPerNode: number | null;
  gpusPerNode: number | null;
  cores: number | null;
  gpus: number | null;
}

export const UNKNOWN_CAPACITY: Capacity = {
  nodes: null,
  coresPerNode: null,
  gpusPerNode: null,
  cores: null,
  gpus: null,
};
