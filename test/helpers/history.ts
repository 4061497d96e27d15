/**
 * Seeded histories: a store holding N runs of one benchmark under one label, stored in order,
 * each with its own commit on a branch, the makespan of run k (1-based) multiplied by `factor`
 * from run `shiftAt` on, and run-to-run noise. What `history`, `check --history` and
 * `report --history` are tested on.
 */
import path from 'node:path';
import { NO_PROVENANCE, type Provenance } from '../../src/run/provenance.js';
import { openStore } from '../../src/store/open-store.js';
import { ingestInto } from './store.js';
import { writeRepeatedRuns } from './synthetic-runs.js';

export interface HistoryOptions {
  runs: number;
  /** The first run (1-based) of the new regime; none: no shift. */
  shiftAt?: number;
  factor?: number;
  /** Relative standard deviation of the per-run factor. */
  noise?: number;
  seed?: number;
  label?: string;
  /** Runs of another branch, slower by `otherFactor`, stored after these runs of main (1-based). */
  otherBranchAfter?: number[];
  otherFactor?: number;
}

/** The commit of run k: 40 hex digits, distinct per run. */
export const commitOf = (k: number, branch = 'main') => `${(7919 * k).toString(16).padStart(7, '0')}${(branch === 'main' ? 'a' : 'f').repeat(33)}`;

/** Writes the traces into `dir` and stores them into the store at `db` (an SQLite file or a PostgreSQL URL); returns the run ids in order. */
export async function seedHistory(dir: string, db: string, options: HistoryOptions): Promise<string[]> {
  const { runs, shiftAt = Infinity, factor = 1.1, noise = 0.02, seed = 1, label = 'nightly', otherBranchAfter = [], otherFactor = 1.3 } = options;
  const plan: { name: string; branch: string; commit: string; scale: number; seed: number }[] = [];
  for (let k = 1; k <= runs; k++) {
    plan.push({ name: `${label}-${k}`, branch: 'main', commit: commitOf(k), scale: k >= shiftAt ? factor : 1, seed: seed * 1000 + k });
    if (otherBranchAfter.includes(k)) plan.push({ name: `${label}-feature-${k}`, branch: 'feature', commit: commitOf(k, 'feature'), scale: otherFactor, seed: seed * 1000 + 500 + k });
  }
  const store = await openStore(db, { access: 'write', create: true });
  try {
    for (const run of plan) {
      const [file] = writeRepeatedRuns(dir, run.name, { runs: 1, seed: run.seed, scale: run.scale, noise });
      const provenance: Provenance = { ...NO_PROVENANCE, commit: run.commit, commit_title: `change ${run.name}`, branch: run.branch, ci: 'gitlab-ci', job_url: `https://gitlab.example.com/g/p/-/jobs/${run.seed}`, meta: {} };
      await ingestInto(store, [path.resolve(file)], { label, provenance: () => provenance });
    }
  } finally {
    await store.close();
  }
  return plan.map((r) => `${r.name}-0`);
}
