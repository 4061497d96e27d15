/**
 * Task types from identifiers when a trace gives no explicit type.
 */

/**
 * The id without its trailing number or id: `mProject_ID0000012` -> `mProject`, `sim-0042` -> `sim`,
 * `t3.0007` -> `t3`. An id that is only a number gives `task`.
 */
export function typeFromId(id: string): string {
  const stripped = id.replace(/[._\-:#/ ]*(?:ID)?\d+$/i, '');
  return stripped === '' ? 'task' : stripped;
}
