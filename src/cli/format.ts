/**
 * Number formatting shared by tables and reports, so the same figure reads the same everywhere.
 */

/** Seconds with millisecond precision: `1800.123`. */
export function seconds(value: number | null | undefined): string | null {
  return value === null || value === undefined || Number.isNaN(value) ? null : value.toFixed(3);
}

/** A fraction as a percentage with one decimal: `0.5275` -> `52.8%`. */
export function percent(value: number | null | undefined, digits = 1): string | null {
  return value === null || value === undefined || Number.isNaN(value) ? null : `${(value * 100).toFixed(digits)}%`;
}

/** A number with at most `digits` decimals, trailing zeros removed: 2688, 0.6844, 1.5. */
export function decimal(value: number | null | undefined, digits = 4): string | null {
  if (value === null || value === undefined || Number.isNaN(value)) return null;
  return Number(value.toFixed(digits)).toString();
}

/** Capacity as `16 nodes, 2688 cores, 96 GPUs`, or `unknown`. */
export function capacityText(capacity: { nodes: number | null; cores: number | null; gpus: number | null }): string {
  const parts: string[] = [];
  if (capacity.nodes !== null) parts.push(`${capacity.nodes} nodes`);
  if (capacity.cores !== null) parts.push(`${decimal(capacity.cores)} cores`);
  if (capacity.gpus !== null) parts.push(`${decimal(capacity.gpus)} GPUs`);
  return parts.length > 0 ? parts.join(', ') : 'unknown';
}
