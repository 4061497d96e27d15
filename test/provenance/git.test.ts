/**
 * Provenance from git: the output format parsed, and a real repository (when git is installed:
 * the base image may lack it) on a branch, detached, and a folder outside any repository.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gitClues, mayBeInRepository, parseGitLog } from '../../src/provenance/git.js';

const SHA = '1f2a90154a7e5c3b1b7ad05e8e2b5f7a41c3e0d9';

describe('parseGitLog', () => {
  it('reads the hash, the title and the branch HEAD is on', () => {
    expect(parseGitLog(`${SHA}\0Fix the scheduler\0HEAD -> feature/x, origin/main, tag: v1\n`)).toEqual({ commit: SHA, commit_title: 'Fix the scheduler', branch: 'feature/x' });
  });

  it('names no branch on a detached HEAD', () => {
    expect(parseGitLog(`${SHA}\0t\0HEAD, origin/main\n`)).toEqual({ commit: SHA, commit_title: 't' });
    expect(parseGitLog(`${SHA}\0t\0\n`)).toEqual({ commit: SHA, commit_title: 't' });
  });

  it('takes nothing from output that is not a commit', () => {
    expect(parseGitLog('fatal: not a git repository\n')).toEqual({});
    expect(parseGitLog('')).toEqual({});
  });

  it('keeps a hostile title as text (it is escaped where shown)', () => {
    expect(parseGitLog(`${SHA}\0<script>alert(1)</script> & "x"\0HEAD -> main\n`).commit_title).toBe('<script>alert(1)</script> & "x"');
  });
});

describe('mayBeInRepository', () => {
  const existing = (...files: string[]) => (file: string) => files.includes(file);

  it('finds a .git in the folder or any folder above it', () => {
    expect(mayBeInRepository('/home/u/repo/traces/rp', {}, existing('/home/u/repo/.git'))).toBe(true);
    expect(mayBeInRepository('/home/u/repo', {}, existing('/home/u/repo/.git'))).toBe(true);
    expect(mayBeInRepository('/data/traces', {}, existing('/.git'))).toBe(true);
  });

  it('says no when there is none up to the root, so that git is not started', () => {
    const asked: string[] = [];
    expect(mayBeInRepository('/data/traces/rp', {}, (file) => (asked.push(file), false))).toBe(false);
    expect(asked).toEqual(['/data/traces/rp/.git', '/data/traces/.git', '/data/.git', '/.git']);
  });

  it('leaves it to git when GIT_DIR names the repository', () => {
    expect(mayBeInRepository('/data/traces', { GIT_DIR: '/elsewhere/.git' }, () => false)).toBe(true);
  });
});

describe('gitClues', () => {
  it('says nothing when git is missing or fails', () => {
    expect(gitClues('/anywhere', () => null)).toEqual({});
  });

  const hasGit = spawnSync('git', ['--version']).status === 0;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'asyncscope-git-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const git = (cwd: string, ...args: string[]) => {
    const r = spawnSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e' } });
    if (r.status !== 0) throw new Error(r.stderr);
    return r.stdout.trim();
  };

  it.skipIf(!hasGit)('reads a real repository: on a branch, then detached; a folder outside reads nothing', () => {
    const repo = path.join(tmp, 'repo');
    fs.mkdirSync(path.join(repo, 'traces'), { recursive: true });
    git(repo, 'init', '-q', '-b', 'bench/main');
    fs.writeFileSync(path.join(repo, 'traces', 'run.csv'), 'task_id,start,end\na,0,1\n');
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'First benchmark <b>run</b>');
    const head = git(repo, 'rev-parse', 'HEAD');
    expect(gitClues(path.join(repo, 'traces'))).toEqual({ commit: head, commit_title: 'First benchmark <b>run</b>', branch: 'bench/main' });
    git(repo, 'checkout', '-q', '--detach');
    expect(gitClues(path.join(repo, 'traces'))).toEqual({ commit: head, commit_title: 'First benchmark <b>run</b>' });
    const outside = path.join(tmp, 'outside');
    fs.mkdirSync(outside);
    expect(gitClues(outside)).toEqual({});
    // A linked worktree has a .git file, not a folder: still a repository.
    const linked = path.join(tmp, 'linked');
    git(repo, 'worktree', 'add', '-q', '-b', 'other', linked);
    expect(fs.statSync(path.join(linked, '.git')).isFile()).toBe(true);
    expect(gitClues(path.join(linked, 'traces'))).toEqual({ commit: head, commit_title: 'First benchmark <b>run</b>', branch: 'other' });
  });
});
