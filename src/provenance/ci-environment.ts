/**
 * Provenance from the environment of a CI job: GitHub Actions and GitLab CI set variables that
 * name the commit, the branch and the job. Pure: the environment (and, for GitHub, a reader of
 * the event payload) is passed in.
 *
 * GitHub Actions (GITHUB_ACTIONS=true):
 * - commit: GITHUB_SHA; on pull_request events the PR's head commit from the event payload
 *   (GITHUB_EVENT_PATH: pull_request.head.sha), because GITHUB_SHA is then a merge commit that
 *   exists on no branch;
 * - branch: GITHUB_HEAD_REF on pull requests (the PR's branch), else GITHUB_REF_NAME when
 *   GITHUB_REF_TYPE is `branch` (a tag build has no branch);
 * - commit title: the first line of head_commit.message in a push event's payload;
 * - job URL: GITHUB_SERVER_URL/GITHUB_REPOSITORY/actions/runs/GITHUB_RUN_ID.
 *
 * GitLab CI (GITLAB_CI=true): CI_COMMIT_SHA, CI_COMMIT_BRANCH (else on merge-request pipelines
 * CI_MERGE_REQUEST_SOURCE_BRANCH_NAME; tag pipelines have none), CI_COMMIT_TITLE, CI_JOB_URL.
 */
import type { Clues } from '../run/provenance.js';

export type Environment = Readonly<Record<string, string | undefined>>;

/** Reads the JSON of a file, or gives undefined (missing, unreadable, not JSON). */
export type JsonReader = (file: string) => unknown;

export function ciClues(env: Environment, readJson: JsonReader = () => undefined): Clues {
  if (env.GITHUB_ACTIONS === 'true') return gitHubClues(env, readJson);
  if (env.GITLAB_CI === 'true') return gitLabClues(env);
  return {};
}

function gitHubClues(env: Environment, readJson: JsonReader): Clues {
  const clues: Clues = { ci: 'github-actions' };
  const event = env.GITHUB_EVENT_PATH ? readJson(env.GITHUB_EVENT_PATH) : undefined;
  const pullRequestHead = stringAt(event, ['pull_request', 'head', 'sha']);
  const isPullRequest = (env.GITHUB_EVENT_NAME ?? '').startsWith('pull_request');
  const commit = (isPullRequest ? pullRequestHead : undefined) ?? nonEmpty(env.GITHUB_SHA);
  if (commit) clues.commit = commit;
  if (commit && commit === nonEmpty(env.GITHUB_SHA)) {
    const message = stringAt(event, ['head_commit', 'message']);
    const title = message?.split('\n')[0].trim();
    if (title && stringAt(event, ['head_commit', 'id']) === commit) clues.commit_title = title;
  }
  const branch = nonEmpty(env.GITHUB_HEAD_REF) ?? (env.GITHUB_REF_TYPE === 'branch' ? nonEmpty(env.GITHUB_REF_NAME) : undefined) ?? headsRef(env.GITHUB_REF);
  if (branch) clues.branch = branch;
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repository, GITHUB_RUN_ID: runId } = env;
  if (server && repository && runId) clues.job_url = `${server.replace(/\/+$/, '')}/${repository}/actions/runs/${runId}`;
  return clues;
}

function gitLabClues(env: Environment): Clues {
  const clues: Clues = { ci: 'gitlab-ci' };
  const commit = nonEmpty(env.CI_COMMIT_SHA);
  if (commit) clues.commit = commit;
  const title = nonEmpty(env.CI_COMMIT_TITLE);
  if (title) clues.commit_title = title;
  const branch = nonEmpty(env.CI_COMMIT_BRANCH) ?? nonEmpty(env.CI_MERGE_REQUEST_SOURCE_BRANCH_NAME);
  if (branch) clues.branch = branch;
  const jobUrl = nonEmpty(env.CI_JOB_URL);
  if (jobUrl) clues.job_url = jobUrl;
  return clues;
}

/** `refs/heads/main` -> `main`; anything else (a tag, a pull ref) names no branch. */
function headsRef(ref: string | undefined): string | undefined {
  return ref?.startsWith('refs/heads/') ? nonEmpty(ref.slice('refs/heads/'.length)) : undefined;
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function stringAt(doc: unknown, path: string[]): string | undefined {
  let at: unknown = doc;
  for (const key of path) {
    if (typeof at !== 'object' || at === null || Array.isArray(at)) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return typeof at === 'string' ? nonEmpty(at) : undefined;
}
