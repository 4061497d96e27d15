/**
 * Provenance from CI environments, with the variables GitHub Actions and GitLab CI document for
 * push, pull-request, merge-request and tag pipelines.
 */
import { describe, expect, it } from 'vitest';
import { ciClues } from '../../src/provenance/ci-environment.js';

const SHA = '1f2a90154a7e5c3b1b7ad05e8e2b5f7a41c3e0d9';
const HEAD = '9e4b29b0c6c1a1d8b2fcd43f5d0b7e0d7a3c1f22';

const github = {
  CI: 'true',
  GITHUB_ACTIONS: 'true',
  GITHUB_SHA: SHA,
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_REPOSITORY: 'octo/workflow',
  GITHUB_RUN_ID: '7731',
};

describe('GitHub Actions', () => {
  it('a push to a branch: the commit, its branch, the run page, and the title from the event payload', () => {
    const event = { head_commit: { id: SHA, message: 'Faster scheduler\n\nlong text' } };
    const clues = ciClues({ ...github, GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/main', GITHUB_REF_NAME: 'main', GITHUB_REF_TYPE: 'branch', GITHUB_EVENT_PATH: '/e.json' }, (f) =>
      f === '/e.json' ? event : undefined,
    );
    expect(clues).toEqual({ ci: 'github-actions', commit: SHA, commit_title: 'Faster scheduler', branch: 'main', job_url: 'https://github.com/octo/workflow/actions/runs/7731' });
  });

  it('a pull request: the head commit of the PR (GITHUB_SHA is a merge commit) and its branch', () => {
    const event = { pull_request: { head: { sha: HEAD } } };
    const clues = ciClues(
      { ...github, GITHUB_EVENT_NAME: 'pull_request', GITHUB_REF: 'refs/pull/12/merge', GITHUB_REF_NAME: '12/merge', GITHUB_REF_TYPE: 'branch', GITHUB_HEAD_REF: 'fix/overlap', GITHUB_EVENT_PATH: '/e.json' },
      () => event,
    );
    expect(clues).toMatchObject({ commit: HEAD, branch: 'fix/overlap' });
    expect(clues.commit_title).toBeUndefined();
  });

  it('a pull request whose payload cannot be read falls back to GITHUB_SHA', () => {
    expect(ciClues({ ...github, GITHUB_EVENT_NAME: 'pull_request', GITHUB_HEAD_REF: 'x' }).commit).toBe(SHA);
  });

  it('a tag build names no branch', () => {
    const clues = ciClues({ ...github, GITHUB_REF: 'refs/tags/v1.0', GITHUB_REF_NAME: 'v1.0', GITHUB_REF_TYPE: 'tag' });
    expect(clues.branch).toBeUndefined();
    expect(clues.commit).toBe(SHA);
  });
});

describe('GitLab CI', () => {
  const gitlab = { GITLAB_CI: 'true', CI_COMMIT_SHA: SHA, CI_COMMIT_TITLE: 'Faster scheduler', CI_JOB_URL: 'https://gitlab.example.com/g/p/-/jobs/99' };

  it('a branch pipeline', () => {
    expect(ciClues({ ...gitlab, CI_COMMIT_BRANCH: 'main', CI_COMMIT_REF_NAME: 'main' })).toEqual({
      ci: 'gitlab-ci',
      commit: SHA,
      commit_title: 'Faster scheduler',
      branch: 'main',
      job_url: 'https://gitlab.example.com/g/p/-/jobs/99',
    });
  });

  it('a merge-request pipeline: the source branch', () => {
    expect(ciClues({ ...gitlab, CI_MERGE_REQUEST_SOURCE_BRANCH_NAME: 'feature', CI_COMMIT_REF_NAME: 'feature' }).branch).toBe('feature');
  });

  it('a tag pipeline names no branch', () => {
    expect(ciClues({ ...gitlab, CI_COMMIT_TAG: 'v1', CI_COMMIT_REF_NAME: 'v1' }).branch).toBeUndefined();
  });
});

it('outside CI (or another CI) says nothing', () => {
  expect(ciClues({ CI: 'true', GITHUB_SHA: SHA })).toEqual({});
  expect(ciClues({})).toEqual({});
});
