/**
 * Provenance from git, when a trace sits in a repository: the commit checked out there, its
 * title and the branch (none on a detached HEAD, as CI checkouts usually are). One `git log`
 * per folder. No git installed, not a repository, a repository git refuses to read (another
 * owner): no clues, and no error; a trace needs no repository.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Clues } from '../run/provenance.js';

/** Runs git with these arguments in a folder: its stdout, or null when it failed or is missing. */
export type GitRunner = (folder: string, args: readonly string[]) => string | null;

/** `%H`, `%s` and `%D` (the refs pointing at the commit), separated by NUL bytes. */
const LOG_ARGS = ['log', '-1', '--no-color', '--format=%H%x00%s%x00%D'] as const;

export function gitClues(folder: string, run: GitRunner = runGit): Clues {
  const out = run(folder, LOG_ARGS);
  return out === null ? {} : parseGitLog(out);
}

/**
 * @example parseGitLog('1f2a...\0Fix the scheduler\0HEAD -> main, origin/main\n') // => { commit: '1f2a...', commit_title: 'Fix the scheduler', branch: 'main' }
 */
export function parseGitLog(out: string): Clues {
  const [hash, title, refs] = out.replace(/\n$/, '').split('\0');
  if (!hash || !/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(hash)) return {};
  const clues: Clues = { commit: hash };
  if (title) clues.commit_title = title;
  // "HEAD -> main, origin/main, tag: v1": the branch HEAD is on. Ref names hold no spaces.
  const branch = /(?:^|, )HEAD -> ([^,\s]+)/.exec(refs ?? '')?.[1];
  if (branch) clues.branch = branch;
  return clues;
}

/**
 * Whether git could find a repository from this folder: a `.git` (a folder, or the file a worktree or
 * submodule has) here or above, or GIT_DIR set. Most traces sit outside any repository, and asking
 * git costs a process start (20 to 70 ms, a tenth of a small session's ingest); a few stat calls do not.
 */
export function mayBeInRepository(folder: string, env: NodeJS.ProcessEnv = process.env, exists: (file: string) => boolean = fs.existsSync): boolean {
  if (env.GIT_DIR) return true;
  for (let dir = path.resolve(folder); ; dir = path.dirname(dir)) {
    if (exists(path.join(dir, '.git'))) return true;
    if (path.dirname(dir) === dir) return false;
  }
}

function runGit(folder: string, args: readonly string[]): string | null {
  if (!mayBeInRepository(folder)) return null;
  try {
    const result = spawnSync('git', ['-C', folder, ...args], {
      encoding: 'utf8',
      timeout: 10_000,
      stdio: ['ignore', 'pipe', 'ignore'],
      // Never wait for a password or take a lock in the user's repository.
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C' },
    });
    return result.status === 0 && typeof result.stdout === 'string' ? result.stdout : null;
  } catch {
    return null;
  }
}
