/**
 * What `push` and `pull` share: copying the runs named (or all) from one store into another,
 * one transaction per run, and saying what happened to each. The store locations are shown as
 * the stores give them (a URL without its password).
 */
import { runJson, type StoredRun } from '../run/stored-run.js';
import { copyRun } from '../store/copy-runs.js';
import type { Store } from '../store/store.js';

export interface CopiedRun {
  /** The run's id in the store it came from. */
  from_id: string;
  /** stored: copied now; existing: the target held its content already (nothing copied). */
  status: 'stored' | 'existing';
  /** The run as the target store holds it. */
  run: ReturnType<typeof runJson>;
  notes: string[];
}

export async function copyRuns(from: Store, refs: readonly string[], all: boolean, to: Store): Promise<CopiedRun[]> {
  // Resolve every reference before copying anything, so that a typo copies nothing.
  const runs: StoredRun[] = [];
  if (all) runs.push(...(await from.listRuns()));
  for (const ref of refs) runs.push(...(await from.resolveRuns(ref)));
  const unique = [...new Map(runs.map((run) => [run.pk, run])).values()];
  const copied: CopiedRun[] = [];
  for (const run of unique) {
    const result = await copyRun(from, run, to);
    copied.push({ from_id: run.id, status: result.status === 'existing' ? 'existing' : 'stored', run: runJson(result.run), notes: result.notes });
  }
  return copied;
}

/** One line per run, for people. */
export function copiedText(copied: readonly CopiedRun[], verb: 'pushed' | 'pulled', where: string): string[] {
  if (copied.length === 0) return ['no runs to copy'];
  return copied.map((c) => {
    const as = c.run.id === c.from_id ? '' : ` as ${c.run.id}`;
    const line =
      c.status === 'stored' ? `${verb} ${c.from_id}${as} (${c.run.tasks} tasks) ${verb === 'pushed' ? 'to' : 'from'} ${where}` : `${c.from_id}: already in ${verb === 'pushed' ? where : 'the local store'} as run ${c.run.id} (same content): nothing copied`;
    return [line, ...c.notes.map((note) => `  ${note}`)].join('\n');
  });
}
