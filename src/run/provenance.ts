/**
 * Where a run came from: the commit and branch it measured, the CI job that ran it, the machine,
 * the asyncscope that stored it, and free `key=value` pairs. Stored with the run (docs/schema.md),
 * shown by `runs`, `runs show` and their JSON, and used to filter histories (`--where branch=main`).
 */

/** The fields asyncscope knows, by their names in JSON, in `--meta` and in `--where`. */
export interface Provenance {
  /** Full commit hash (or whatever `--meta commit=` gave). */
  commit: string | null;
  /** First line of the commit message. */
  commit_title: string | null;
  branch: string | null;
  /** `github-actions`, `gitlab-ci`, or what `--meta ci=` gave. */
  ci: string | null;
  /** The CI job's page, credentials removed. */
  job_url: string | null;
  /** The machine that ran the ingest. */
  host: string | null;
  /** The asyncscope version that stored the run. */
  asyncscope_version: string | null;
  /** Free pairs (`--meta gpu=a100`), by key. */
  meta: Record<string, string>;
}

/** The fields `--meta KEY=VALUE` may set besides free pairs (asyncscope_version is a fact, not a setting). */
export const SETTABLE_FIELDS = ['commit', 'commit_title', 'branch', 'ci', 'job_url', 'host'] as const;
export type SettableField = (typeof SETTABLE_FIELDS)[number];

/** What one source (the CI environment, git, the user) says; absent when it says nothing. */
export type Clues = Partial<Record<SettableField, string>>;

export const NO_PROVENANCE: Provenance = {
  commit: null,
  commit_title: null,
  branch: null,
  ci: null,
  job_url: null,
  host: null,
  asyncscope_version: null,
  meta: {},
};

/** Longest value kept (a commit title, a URL); longer ones are cut with an ellipsis. */
export const MAX_VALUE_LENGTH = 1000;

/**
 * A commit as people quote it: 7 hex digits for a hash, other texts (given with --meta) cut at 16.
 *
 * @example shortCommit('1f2a9012c0ffee') // => '1f2a901'
 */
export function shortCommit(commit: string | null): string | null {
  if (commit === null) return null;
  return /^[0-9a-f]{8,}$/i.test(commit) ? commit.slice(0, 7) : commit.length > 16 ? `${commit.slice(0, 15)}…` : commit;
}
