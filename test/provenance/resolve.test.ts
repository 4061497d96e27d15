/** Which source wins when the user, the CI environment and git disagree; credentials; --meta. */
import { describe, expect, it } from 'vitest';
import { parseMetaFlags } from '../../src/provenance/meta-flags.js';
import { ProvenanceDetector } from '../../src/provenance/detect.js';
import { redactUrl } from '../../src/provenance/redact.js';
import { resolveProvenance, sameHash } from '../../src/provenance/resolve.js';

const CI_SHA = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const GIT_SHA = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';

const base = { explicit: {}, ci: {}, git: {}, meta: {}, host: 'node17', version: '0.1.0' };

describe('precedence', () => {
  it('--meta over the CI environment over git, field by field', () => {
    const p = resolveProvenance({
      ...base,
      explicit: { branch: 'release' },
      ci: { ci: 'gitlab-ci', commit: CI_SHA, branch: 'main', job_url: 'https://ci/job/1' },
      git: { commit: GIT_SHA, branch: 'local', commit_title: 'git title' },
    });
    expect(p).toMatchObject({ commit: CI_SHA, branch: 'release', ci: 'gitlab-ci', job_url: 'https://ci/job/1', host: 'node17', asyncscope_version: '0.1.0' });
    // git names another commit: its title describes that one, not the run's.
    expect(p.commit_title).toBeNull();
  });

  it('git fills in what CI lacks when it names the same commit (a detached CI checkout has no branch)', () => {
    const p = resolveProvenance({ ...base, ci: { ci: 'github-actions', commit: CI_SHA }, git: { commit: CI_SHA, commit_title: 'Faster' } });
    expect(p).toMatchObject({ commit: CI_SHA, commit_title: 'Faster', branch: null });
  });

  it('a short hash given with --meta matches the full one', () => {
    const p = resolveProvenance({ ...base, explicit: { commit: 'bbbbbbb' }, git: { commit: GIT_SHA, branch: 'dev' } });
    expect(p).toMatchObject({ commit: 'bbbbbbb', branch: 'dev' });
    expect(sameHash('bbbbbbb', GIT_SHA)).toBe(true);
    expect(sameHash('bbb', GIT_SHA)).toBe(false);
  });

  it('git alone, outside CI', () => {
    expect(resolveProvenance({ ...base, git: { commit: GIT_SHA, branch: 'dev', commit_title: 't' } })).toMatchObject({ commit: GIT_SHA, branch: 'dev', commit_title: 't', ci: null, job_url: null });
  });

  it('nothing known: nulls, the host and the version', () => {
    expect(resolveProvenance(base)).toEqual({ commit: null, commit_title: null, branch: null, ci: null, job_url: null, host: 'node17', asyncscope_version: '0.1.0', meta: {} });
  });

  it('a job URL carrying a token is stored redacted', () => {
    expect(resolveProvenance({ ...base, ci: { job_url: 'https://gitlab-ci-token:glcbt-64_secret@gitlab.example.com/g/p/-/jobs/9' } }).job_url).toBe('https://REDACTED@gitlab.example.com/g/p/-/jobs/9');
  });
});

describe('redactUrl', () => {
  it('removes user information and secret parameters, keeps the rest', () => {
    expect(redactUrl('https://oauth2:glpat-xyz@gitlab.com/g/p/-/jobs/1?private_token=abc&x=1')).toBe('https://REDACTED@gitlab.com/g/p/-/jobs/1?private_token=REDACTED&x=1');
    expect(redactUrl('postgresql://ci:s3cret@db:5432/results?sslmode=require')).toBe('postgresql://REDACTED@db:5432/results?sslmode=require');
    expect(redactUrl('https://s3/x?X-Amz-Signature=abc&X-Amz-Credential=k&a=b')).toBe('https://s3/x?X-Amz-Signature=REDACTED&X-Amz-Credential=REDACTED&a=b');
    expect(redactUrl('https://ci/cb#access_token=abc')).toBe('https://ci/cb#access_token=REDACTED');
    expect(redactUrl('https://github.com/octo/w/actions/runs/1')).toBe('https://github.com/octo/w/actions/runs/1');
    expect(redactUrl('not a url')).toBe('not a url');
  });
});

describe('--meta', () => {
  it('splits provenance fields from free pairs; KEY= removes', () => {
    const m = parseMetaFlags(['branch=main', 'gpu=a100', 'note=a=b', 'old=']);
    expect(m.fields).toEqual({ branch: 'main' });
    expect(m.meta).toEqual({ gpu: 'a100', note: 'a=b', old: null });
  });

  it('keeps no credential: a key named like one is stored as REDACTED, with a warning; URLs are redacted', () => {
    const m = parseMetaFlags(['db_password=hunter2', 'API_KEY=x', 'results=https://u:p@host/x']);
    expect(m.meta).toEqual({ db_password: 'REDACTED', API_KEY: 'REDACTED', results: 'https://REDACTED@host/x' });
    expect(m.warnings).toHaveLength(2);
  });

  it('refuses what cannot be stored, naming it', () => {
    expect(() => parseMetaFlags(['novalue'])).toThrow(/KEY=VALUE/);
    expect(() => parseMetaFlags(['=x'])).toThrow(/KEY=VALUE/);
    expect(() => parseMetaFlags(['bad key=x'])).toThrow(/"bad key"/);
    expect(() => parseMetaFlags(['note=line\nbreak'])).toThrow(/control character/);
    expect(() => parseMetaFlags(['asyncscope_version=9'])).toThrow(/recorded by asyncscope/);
    expect(() => parseMetaFlags([`x=${'a'.repeat(1001)}`])).toThrow(/at most 1000/);
  });
});

describe('ProvenanceDetector', () => {
  const meta = parseMetaFlags(['gpu=a100']);
  it('puts CI, git and --meta together for a trace, asking git once per folder', () => {
    const asked: string[] = [];
    const detector = new ProvenanceDetector({
      detect: true,
      meta,
      version: '0.1.0',
      env: { GITLAB_CI: 'true', CI_COMMIT_SHA: CI_SHA, CI_COMMIT_BRANCH: 'main' },
      git: (folder) => (asked.push(folder), `${CI_SHA}\0Title\0HEAD\n`),
      hostname: () => 'runner-3',
    });
    const a = detector.forTrace('/nonexistent/traces/a.csv');
    detector.forTrace('/nonexistent/traces/b.csv');
    expect(asked).toEqual(['/nonexistent/traces']);
    expect(a).toEqual({ commit: CI_SHA, commit_title: 'Title', branch: 'main', ci: 'gitlab-ci', job_url: null, host: 'runner-3', asyncscope_version: '0.1.0', meta: { gpu: 'a100' } });
  });

  it('--no-provenance records only --meta and the version', () => {
    const detector = new ProvenanceDetector({ detect: false, meta, version: '0.1.0', env: { GITLAB_CI: 'true', CI_COMMIT_SHA: CI_SHA }, git: () => `${GIT_SHA}\0t\0\n`, hostname: () => 'h' });
    expect(detector.forTrace('/x/a.csv')).toMatchObject({ commit: null, host: null, ci: null, meta: { gpu: 'a100' }, asyncscope_version: '0.1.0' });
  });
});
