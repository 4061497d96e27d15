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

/** A trailing id that is set off from the rest: `_ID0000003`, `-0042`, `.7`, or a bare `ID0000003`. */
const SEPARATED_ID = /(?:[._\-:#/ ]+(?:ID)?|ID)\d+$/i;

/**
 * The type of a task that has both a name and an id (WfCommons instances), i.e. the name without
 * the task's own number:
 * - name and id the same: as `typeFromId` (`bowtie2_ID0000003` -> `bowtie2`, `cpuhog_forkjoin_00000001` -> `cpuhog_forkjoin`);
 * - the name ends with the id: the name without it (`split_fasta_00000001` with id `00000001` -> `split_fasta`);
 * - otherwise the name is already a type, and only a separated trailing number is removed, so that
 *   digits that belong to a program's name stay (`NFCORE_BACASS.BACASS.FASTQC` and `bowtie2` stay as they are,
 *   `fastqc_ID0000003` -> `fastqc`).
 */
export function typeFromName(name: string, id: string): string {
  if (name === id) return typeFromId(name);
  if (id !== '' && name.length > id.length && name.endsWith(id)) {
    const stripped = name.slice(0, -id.length).replace(/[._\-:#/ ]+$/, '');
    if (stripped !== '') return stripped;
  }
  const stripped = name.replace(SEPARATED_ID, '');
  return stripped === '' ? typeFromId(name) : stripped;
}
