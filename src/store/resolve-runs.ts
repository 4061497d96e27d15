/**
 * The one run resolver: how every command turns what the user typed into stored runs, whatever
 * the backend. A reference is a run id, a label (repeated runs of one benchmark share one), or
 * `LABEL@latest`, the most recently imported run carrying LABEL.
 */
import { distance } from 'fastest-levenshtein';
import { InputError } from '../errors.js';
import type { StoredRun } from '../run/stored-run.js';
import type { Store } from './store.js';

/** Suffix naming the most recently imported run carrying a label: `nightly@latest`. */
export const LATEST_SUFFIX = '@latest';

type Lookup = Pick<Store, 'findRunById' | 'findRunsByLabel' | 'runNames'>;

/**
 * The runs a reference names: a run id names one run; a label names every run that carries it;
 * `LABEL@latest` (when no run has that id or label itself) the latest of them. Throws when
 * nothing matches, suggesting what the user may have meant.
 */
export async function resolveRuns(store: Lookup, ref: string): Promise<StoredRun[]> {
  const byId = await store.findRunById(ref);
  if (byId) return [byId];
  const byLabel = await store.findRunsByLabel(ref);
  if (byLabel.length > 0) return byLabel;
  if (ref.endsWith(LATEST_SUFFIX)) {
    const label = ref.slice(0, -LATEST_SUFFIX.length);
    const runs = await store.findRunsByLabel(label); // oldest import first
    if (runs.length === 0) throw new InputError(`no run with label "${label}"${await suggestion(store, label)}`);
    return [runs[runs.length - 1]];
  }
  throw new InputError(`no run with id or label "${ref}"${await suggestion(store, ref)}`);
}

/** Exactly one run: by id, by a label only one run carries, or `LABEL@latest`. */
export async function resolveRun(store: Lookup, ref: string): Promise<StoredRun> {
  const runs = await resolveRuns(store, ref);
  if (runs.length > 1) {
    const ids = runs.map((run) => run.id);
    const shown = ids.length > 5 ? [...ids.slice(0, 5), '...'] : ids;
    throw new InputError(`label "${ref}" is carried by ${runs.length} runs (${shown.join(', ')}): name one by its id, or "${ref}${LATEST_SUFFIX}" for the latest`);
  }
  return runs[0];
}

/** The runs of several references, each once, in the order first named (a run named by id and by label counts once). */
export async function resolveEach(store: Lookup, refs: readonly string[]): Promise<StoredRun[]> {
  const seen = new Set<number>();
  const runs: StoredRun[] = [];
  for (const ref of refs) {
    for (const run of await resolveRuns(store, ref)) {
      if (!seen.has(run.pk)) {
        seen.add(run.pk);
        runs.push(run);
      }
    }
  }
  return runs;
}

/** "did you mean" for a mistyped reference: names within a few edits, or containing it. */
async function suggestion(store: Lookup, ref: string): Promise<string> {
  const names = await store.runNames();
  if (names.length === 0) return ': the database holds no runs yet (see asyncscope ingest)';
  const lower = ref.toLowerCase();
  const close = names.filter((name) => {
    const other = name.toLowerCase();
    return other.includes(lower) || distance(other, lower) <= Math.max(1, Math.floor(lower.length / 4));
  });
  if (close.length > 0 && close.length <= 5) return ` (did you mean ${close.map((n) => `"${n}"`).join(' or ')}?)`;
  return ' (see asyncscope runs)';
}
