/**
 * A task's outcome: what became of it, in one small vocabulary shared by every trace format.
 *
 * Each workflow system names its final states its own way (`DONE`, `COMPLETED`, `exec_done`,
 * `CANCELLED by 0`, `dep_fail`, Nextflow's `CACHED` ...). A task keeps that word verbatim in
 * `state`, which users recognise, and its normalized outcome here, which the counts on a run, the
 * checks and the reports use. Importers that know their system map its states themselves;
 * `outcomeOfState` covers the words most systems share.
 */

export const OUTCOMES = ['done', 'failed', 'cancelled', 'timeout', 'cached', 'skipped', 'running', 'pending'] as const;

/**
 * - done: ran in this run and succeeded
 * - failed: ran (or tried to) and failed
 * - cancelled: stopped by a user or the system before it finished
 * - timeout: killed by its time limit
 * - cached: not executed in this run, its result reused (no start or end)
 * - skipped: never ran because a dependency failed (no start or end)
 * - running: started, no end (the trace was cut short)
 * - pending: never started, nothing failed upstream
 */
export type Outcome = (typeof OUTCOMES)[number];

/** How many tasks of a run ended each way; only outcomes that occur are present. */
export type OutcomeCounts = Partial<Record<Outcome, number>>;

const OUTCOME_SET: ReadonlySet<string> = new Set(OUTCOMES);

export function isOutcome(value: unknown): value is Outcome {
  return typeof value === 'string' && OUTCOME_SET.has(value);
}

// The first word of a state, upper case, without separators: `CANCELLED by 0` -> CANCELLED,
// `exec_done` -> EXECDONE, `Completed` -> COMPLETED.
const WORDS: ReadonlyMap<string, Outcome> = new Map(
  Object.entries({
    done: ['DONE', 'COMPLETED', 'COMPLETE', 'SUCCESS', 'SUCCEEDED', 'SUCCESSFUL', 'OK', 'FINISHED', 'EXECDONE', 'EXITED'],
    failed: ['FAILED', 'FAIL', 'FAILURE', 'ERROR', 'ERRED', 'OUTOFMEMORY', 'NODEFAIL', 'BOOTFAIL', 'DEADLINE', 'EXECFAILED', 'LOST'],
    cancelled: ['CANCELED', 'CANCELLED', 'ABORTED', 'KILLED', 'PREEMPTED', 'REVOKED', 'REMOVED'],
    timeout: ['TIMEOUT', 'TIMEDOUT'],
    cached: ['CACHED', 'MEMODONE', 'MEMOIZED', 'UPTODATE'],
    skipped: ['SKIPPED', 'DEPFAIL', 'UPSTREAMFAILED'],
    running: ['RUNNING', 'EXECUTING', 'ACTIVE', 'STARTED', 'LAUNCHED', 'COMPLETING'],
    pending: ['PENDING', 'QUEUED', 'WAITING', 'SCHEDULED', 'SUBMITTED', 'NEW', 'HELD', 'SUSPENDED', 'READY'],
  } satisfies Record<Outcome, string[]>).flatMap(([outcome, words]) => words.map((word) => [word, outcome as Outcome] as const)),
);

/**
 * The outcome a state word most likely means, or null when it is not a word systems share (then
 * the importer of that system must say). Case, separators and a trailing reason are ignored.
 */
export function outcomeOfState(state: string | null | undefined): Outcome | null {
  if (!state) return null;
  // A trace repeats a handful of states a million times: each is read once (a bound keeps a
  // table of a million distinct states from growing the cache without end).
  const known = SEEN.get(state);
  if (known !== undefined) return known;
  const first = state.trim().split(/\s+/, 1)[0].replace(/[^A-Za-z]/g, '').toUpperCase();
  const outcome = WORDS.get(first) ?? null;
  if (SEEN.size < 10_000) SEEN.set(state, outcome);
  return outcome;
}

const SEEN = new Map<string, Outcome | null>();

/** Counts outcomes as tasks come. */
export class OutcomeCounter {
  private readonly counts = new Map<Outcome, number>();

  add(outcome: Outcome | null): void {
    if (outcome !== null) this.counts.set(outcome, (this.counts.get(outcome) ?? 0) + 1);
  }

  /** The counts in the vocabulary's order, only outcomes that occurred. */
  result(): OutcomeCounts {
    const result: OutcomeCounts = {};
    for (const outcome of OUTCOMES) {
      const n = this.counts.get(outcome);
      if (n !== undefined) result[outcome] = n;
    }
    return result;
  }
}

/** `done 250, failed 6`: the counts for people, in the vocabulary's order; '' when none is known. */
export function formatOutcomes(counts: OutcomeCounts): string {
  return OUTCOMES.filter((outcome) => counts[outcome] !== undefined)
    .map((outcome) => `${outcome} ${counts[outcome]}`)
    .join(', ');
}
