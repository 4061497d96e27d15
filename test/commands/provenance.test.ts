/**
 * Provenance through the CLI: ingest records where a run came from (a GitHub Actions job, a
 * GitLab CI job, git of the trace's folder, --meta), credentials removed; runs --where/--since
 * select by it; runs show and --json show it; runs edit --meta changes it; --no-provenance keeps
 * only --meta.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunJson } from '../../src/run/stored-run.js';
import { cli, cliJson, tempDir } from '../helpers/cli.js';
import { writeRepeatedRuns } from '../helpers/synthetic-runs.js';

let dir: string;
let db: string;
const noCi = { GITHUB_ACTIONS: '', GITLAB_CI: '' };
const run = (args: string[], env: NodeJS.ProcessEnv = noCi) => cli([...args, '--db', db], { env });
const runJson = <T>(args: string[], env: NodeJS.ProcessEnv = noCi) => cliJson<T>([...args, '--db', db], { env });

vi.setConfig({ testTimeout: 240_000 });

const SHA = '1f2a90154a7e5c3b1b7ad05e8e2b5f7a41c3e0d9';
const github = {
  GITHUB_ACTIONS: 'true',
  GITLAB_CI: '',
  GITHUB_SHA: SHA,
  GITHUB_REF: 'refs/heads/main',
  GITHUB_REF_NAME: 'main',
  GITHUB_REF_TYPE: 'branch',
  GITHUB_EVENT_NAME: 'push',
  GITHUB_SERVER_URL: 'https://x-access-token:ghs_secret@github.com',
  GITHUB_REPOSITORY: 'org/bench',
  GITHUB_RUN_ID: '4242',
};
const gitlab = {
  GITHUB_ACTIONS: '',
  GITLAB_CI: 'true',
  CI_COMMIT_SHA: 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00',
  CI_COMMIT_BRANCH: 'feature/faster-io',
  CI_COMMIT_TITLE: 'Read inputs <once>',
  CI_JOB_URL: 'https://gitlab.example.com/g/p/-/jobs/77?private_token=glpat-secret',
};

let traces: string[];
let repoTrace: string;
let gitHead: string;

beforeAll(() => {
  dir = tempDir();
  db = path.join(dir, 'prov.db');
  traces = writeRepeatedRuns(path.join(dir, 'traces'), 'bench', { runs: 4, seed: 7 });
  // A trace inside a git repository of its own, outside any CI.
  const repo = path.join(dir, 'repo');
  [repoTrace] = writeRepeatedRuns(repo, 'inrepo', { runs: 1, seed: 8 });
  const git = (...args: string[]) => spawnSync('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { encoding: 'utf8' });
  git('init', '-q', '-b', 'results');
  git('add', '.');
  git('commit', '-q', '-m', 'Nightly results\n\nbody');
  gitHead = git('rev-parse', 'HEAD').stdout.trim();
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('provenance', () => {
  it('is detected from GitHub Actions, GitLab CI and git, and set by --meta, without credentials', async () => {
    expect((await run(['ingest', traces[0], '--label', 'bench', '--meta', 'gpu=a100'], github)).code).toBe(0);
    expect((await run(['ingest', traces[1], '--label', 'bench', '--meta', 'gpu=h100', '--meta', 'api_token=abc'], gitlab)).code).toBe(0);
    expect((await run(['ingest', repoTrace, '--label', 'bench'])).code).toBe(0);
    expect((await run(['ingest', traces[2], '--label', 'other', '--no-provenance', '--meta', 'commit=abcd1234'], github)).code).toBe(0);

    const { code, json } = await runJson<RunJson[]>(['runs']);
    expect(code).toBe(0);
    expect(json.map((r) => r.id)).toEqual(['bench-0', 'bench-1', 'inrepo-0', 'bench-2']);
    expect(json[0]).toMatchObject({
      commit: SHA,
      branch: 'main',
      ci: 'github-actions',
      job_url: 'https://REDACTED@github.com/org/bench/actions/runs/4242',
      asyncscope_version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      meta: { gpu: 'a100' },
    });
    expect(json[0].host).toBeTruthy();
    expect(json[1]).toMatchObject({
      commit: gitlab.CI_COMMIT_SHA,
      commit_title: 'Read inputs <once>',
      branch: 'feature/faster-io',
      ci: 'gitlab-ci',
      job_url: 'https://gitlab.example.com/g/p/-/jobs/77?private_token=REDACTED',
    });
    expect(json[1].meta.gpu).toBe('h100');
    expect(JSON.stringify(json)).not.toMatch(/ghs_secret|glpat-secret|"abc"/);
    expect(json[2]).toMatchObject({ commit: gitHead, commit_title: 'Nightly results', branch: 'results', ci: null, job_url: null });
    // --no-provenance: only what --meta says (and the version)
    expect(json[3]).toMatchObject({ commit: 'abcd1234', branch: null, ci: null, job_url: null, host: null, meta: {} });
  });

  it('runs --where and --since select by it', async () => {
    const ids = async (...args: string[]) => {
      const r = await runJson<RunJson[]>(['runs', ...args]);
      expect(r.code, r.stderr).toBe(0);
      return r.json.map((x) => x.id);
    };
    expect(await ids('--where', 'branch=main')).toEqual(['bench-0']);
    expect(await ids('--where', 'ci=gitlab-ci')).toEqual(['bench-1']);
    expect(await ids('--where', 'gpu=a100')).toEqual(['bench-0']);
    expect(await ids('--where', `commit=${SHA.slice(0, 7).toUpperCase()}`)).toEqual(['bench-0']);
    expect(await ids('--where', 'label=bench', '--where', 'meta.gpu=h100')).toEqual(['bench-1']);
    expect(await ids('--where', 'commit=abc%')).toEqual([]);
    expect(await ids('--since', '1h')).toHaveLength(4);
    expect(await ids('--since', '2999-01-01')).toEqual([]);
    const none = await run(['runs', '--where', 'branch=gone']);
    expect(none.stdout).toBe('No run matches.\n');
    const table = await run(['runs', '--where', 'label=bench']);
    expect(table.stdout).toMatch(/\nbench-0 .* 1f2a901\s+main\s+/);
  });

  it('runs show prints it, and runs edit --meta changes it', async () => {
    const shown = await run(['runs', 'show', 'bench-1']);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/^commit:\s+c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00 \(Read inputs <once>\)$/m);
    expect(shown.stdout).toMatch(/^branch:\s+feature\/faster-io$/m);
    expect(shown.stdout).toMatch(/^ci:\s+gitlab-ci https:\/\/gitlab\.example\.com\/g\/p\/-\/jobs\/77\?private_token=REDACTED$/m);
    expect(shown.stdout).toMatch(/^meta\.gpu:\s+h100$/m);

    const edited = await runJson<RunJson>(['runs', 'edit', 'bench-1', '--meta', 'branch=main', '--meta', 'gpu=', '--meta', 'queue=short']);
    expect(edited.code, edited.stderr).toBe(0);
    expect(edited.json).toMatchObject({ branch: 'main', meta: { queue: 'short' } });
    expect(edited.json.meta.gpu).toBeUndefined();
    const details = await runJson<RunJson & { imported_at: string }>(['runs', 'show', 'bench-1']);
    expect(details.json).toMatchObject({ branch: 'main', commit: gitlab.CI_COMMIT_SHA, meta: { queue: 'short' } });
  });

  it('refuses bad filters in one line with exit 2', async () => {
    for (const [args, message] of [
      [['runs', '--where', 'branch'], /--where "branch": expected KEY=VALUE/],
      [['runs', '--where', 'commit=ab'], /give at least 4 characters of the commit/],
      [['runs', '--since', 'yesterday'], /--since "yesterday": give a duration/],
    ] as const) {
      const r = await run([...args]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
