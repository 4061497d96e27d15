/**
 * One provenance from several sources that may disagree. Precedence, field by field:
 *
 *   1. `--meta KEY=VALUE`: the user said so;
 *   2. the CI environment (GitHub Actions, GitLab CI): the commit the pipeline is testing;
 *   3. git of the trace's folder: the commit checked out where the trace was written.
 *
 * The CI environment wins over git because a CI checkout is often a detached merge commit (git
 * then knows no branch), and because the trace may sit in another repository than the code
 * under test (a data or results repository). The commit's companions (its title, its branch)
 * are taken from a source only when that source names the same commit as the one chosen (or
 * names none): a branch from git next to a commit from CI would describe another commit.
 * The job URL is redacted of credentials; host is this machine's name unless `--meta host=`.
 */
import { MAX_VALUE_LENGTH, type Clues, type Provenance } from '../run/provenance.js';
import { redactUrl } from './redact.js';

export interface ProvenanceSources {
  explicit: Clues;
  ci: Clues;
  git: Clues;
  /** Free pairs from --meta (removals already dropped). */
  meta: Record<string, string>;
  host: string | null;
  version: string;
}

export function resolveProvenance(sources: ProvenanceSources): Provenance {
  const ordered = [sources.explicit, sources.ci, sources.git];
  const commit = first(ordered.map((s) => s.commit));
  const sameCommit = (s: Clues) => s.commit === undefined || commit === null || sameHash(s.commit, commit);
  const commitBound = ordered.filter(sameCommit);
  const jobUrl = first(ordered.map((s) => s.job_url));
  return {
    commit: clip(commit),
    commit_title: clip(first(commitBound.map((s) => s.commit_title))),
    branch: clip(first(commitBound.map((s) => s.branch))),
    ci: clip(first(ordered.map((s) => s.ci))),
    job_url: clip(jobUrl === null ? null : redactUrl(jobUrl)),
    host: clip(sources.explicit.host ?? sources.host),
    asyncscope_version: sources.version,
    meta: { ...sources.meta },
  };
}

/** Two hashes name the same commit when one is a prefix of the other (`1f2a901` and the full hash). */
export function sameHash(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x.length >= 4 && y.length >= 4 && (x.startsWith(y) || y.startsWith(x));
}

function first(values: (string | undefined)[]): string | null {
  for (const v of values) if (v !== undefined && v !== '') return v;
  return null;
}

function clip(value: string | null): string | null {
  if (value === null || value.length <= MAX_VALUE_LENGTH) return value;
  return `${value.slice(0, MAX_VALUE_LENGTH - 1)}…`;
}
