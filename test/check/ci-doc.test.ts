/**
 * The CI flow of docs/ci.md, end to end, as written there: the blocks marked `file=...` (the
 * rules file, the baseline commands, the GitHub Actions workflow, the GitLab CI job) are taken
 * from the page and run with bash in a scratch repository, so the page cannot drift from what
 * asyncscope does. Two stand-ins only: `asyncscope` on PATH is this checkout's build (the
 * workflow's `npm install --global ./tools/asyncscope-0.1.0.tgz` step is skipped), and `./benchmarks/run.sh`, the
 * page's placeholder for a benchmark, copies synthetic CSV traces the test prepared.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { BIN, ROOT, runProcess, tempDir, type CliResult } from '../helpers/cli.js';
import { junitCases, junitProblems, markdownRows } from '../helpers/junit-schema.js';
import { seedHistory } from '../helpers/history.js';
import { writeRepeatedRuns, type RepeatOptions } from '../helpers/synthetic-runs.js';

const DOC = fs.readFileSync(path.join(ROOT, 'docs', 'ci.md'), 'utf8');
const INSTALL = 'npm install --global ./tools/asyncscope-0.1.0.tgz';
const BENCHMARK = /^\.\/benchmarks\/run\.sh /;

/** The fenced blocks of the page whose info string names a file: ```yaml file=.gitlab-ci.yml */
function docFiles(markdown: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const match of markdown.matchAll(/^```\w+ file=(\S+)\n([\s\S]*?)^```$/gm)) files.set(match[1], match[2]);
  return files;
}

const FILES = docFiles(DOC);
const hasReportCommand = Object.keys(JSON.parse(fs.readFileSync(path.join(ROOT, 'oclif.manifest.json'), 'utf8')).commands).includes('report');

/** A CI step: bash as GitHub Actions runs it (`-e -o pipefail`). */
function bash(script: string, cwd: string, env: NodeJS.ProcessEnv): Promise<CliResult> {
  return runProcess('bash', ['-e', '-o', 'pipefail', '-c', script], { cwd, env });
}

let scratch: string;
let shim: string;
let baselineFile: string;

/** The environment of a CI job: this build as `asyncscope`, no inherited GitHub or asyncscope settings. */
function jobEnv(extra: Record<string, string>, pool: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!/^(GITHUB_|ASYNCSCOPE_)/.test(key)) env[key] = value;
  return { ...env, PATH: `${shim}${path.delimiter}${process.env.PATH}`, CI: 'true', POOL: pool, ...extra };
}

/** A checkout of the user's repository: the rules file of the page, its spec, the benchmark stand-in, the baseline if saved. */
function repository(name: string): string {
  const repo = path.join(scratch, name);
  fs.mkdirSync(path.join(repo, 'benchmarks'), { recursive: true });
  fs.mkdirSync(path.join(repo, 'specs'), { recursive: true });
  fs.writeFileSync(path.join(repo, 'asyncscope.checks.yaml'), FILES.get('asyncscope.checks.yaml')!);
  fs.copyFileSync(path.join(ROOT, 'traces', 'specs', 'dg2.yaml'), path.join(repo, 'specs', 'workflow.yaml'));
  fs.writeFileSync(
    path.join(repo, 'benchmarks', 'run.sh'),
    `#!/usr/bin/env bash
# Stand-in for the benchmark of docs/ci.md: copies the traces the test prepared for --out.
set -euo pipefail
out=""
while [ $# -gt 0 ]; do case "$1" in --out) out="$2"; shift 2 ;; *) shift ;; esac; done
mkdir -p "$out"
cp -R "$POOL/$out/." "$out/"
`,
    { mode: 0o755 },
  );
  if (fs.existsSync(baselineFile)) {
    fs.mkdirSync(path.join(repo, 'baselines'), { recursive: true });
    fs.copyFileSync(baselineFile, path.join(repo, 'baselines', 'benchmark.json'));
  }
  return repo;
}

/** Traces the stand-in benchmark hands out: `<out>/async/*.csv` (repeats) and `<out>/sync/*.csv`. */
function pool(name: string, out: string, async: RepeatOptions, sync?: RepeatOptions): string {
  const dir = path.join(scratch, name);
  writeRepeatedRuns(path.join(dir, out, 'async'), `${name}-async`, async);
  if (sync) writeRepeatedRuns(path.join(dir, out, 'sync'), `${name}-sync`, { ...sync, mode: 'sync' });
  return dir;
}

interface StepResult extends CliResult {
  name: string;
  skipped: string | null;
}

interface Workflow {
  jobs: Record<string, { env?: Record<string, string>; steps: { name?: string; id?: string; if?: string; run?: string; uses?: string; with?: Record<string, string> }[] }>;
}

/** Runs the job's steps as the Actions runner would: in order, later ones skipped after a failure unless `if: always()`. */
async function runGithubJob(repo: string, poolDir: string): Promise<{ steps: StepResult[]; uploads: string[] }> {
  const workflow = YAML.parse(FILES.get('.github/workflows/asyncscope.yml')!) as Workflow;
  const [job] = Object.values(workflow.jobs);
  const steps: StepResult[] = [];
  const uploads: string[] = [];
  let failed = false;
  for (const [index, step] of job.steps.entries()) {
    const name = step.name ?? step.uses ?? `step ${index}`;
    const skip = (why: string) => steps.push({ name, skipped: why, code: 0, stdout: '', stderr: '' });
    if (failed && step.if !== 'always()') {
      skip('an earlier step failed');
      continue;
    }
    if (step.uses) {
      if (step.uses.startsWith('actions/upload-artifact')) uploads.push(...String(step.with?.path ?? '').split('\n').map((p) => p.trim()).filter(Boolean));
      skip('an action');
      continue;
    }
    if (step.id === 'install') {
      expect(step.run).toBe(INSTALL);
      skip('this build is on PATH');
      continue;
    }
    if (step.run!.startsWith('asyncscope report') && !hasReportCommand) {
      skip('the report command is not in this build');
      continue;
    }
    const summary = path.join(repo, `step-summary-${index}.md`);
    const result = await bash(step.run!, repo, jobEnv({ ...job.env, GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary }, poolDir));
    steps.push({ name, skipped: null, ...result });
    if (result.code !== 0) failed = true;
  }
  return { steps, uploads };
}

const step = (steps: StepResult[], name: RegExp) => steps.find((s) => name.test(s.name))!;

beforeAll(async () => {
  scratch = tempDir('asyncscope-ci-doc-');
  shim = path.join(scratch, 'bin');
  fs.mkdirSync(shim);
  fs.writeFileSync(path.join(shim, 'asyncscope'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`, { mode: 0o755 });
  baselineFile = path.join(scratch, 'saved-baseline.json');

  // Saving the baseline, as the page says: five runs of the benchmark on trusted code.
  const repo = repository('make-baseline');
  const poolDir = pool('baseline-pool', 'baseline-traces', { runs: 5, seed: 101, noise: 0.03 });
  const made = await bash(FILES.get('make-baseline.sh')!, repo, jobEnv({}, poolDir));
  expect(made.code, made.stderr).toBe(0);
  fs.copyFileSync(path.join(repo, 'baselines', 'benchmark.json'), baselineFile);
}, 180_000);

afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

describe('docs/ci.md', () => {
  it('has the blocks the flow needs, with the placeholder benchmark and the install step in both CI systems', () => {
    expect([...FILES.keys()].sort()).toEqual(['.github/workflows/asyncscope-history.yml', '.github/workflows/asyncscope.yml', '.gitlab-ci.yml', 'asyncscope.checks.yaml', 'gitlab-ci-history.yml', 'make-baseline.sh']);
    const gitlab = YAML.parse(FILES.get('.gitlab-ci.yml')!).asyncscope.script as string[];
    const github = ((YAML.parse(FILES.get('.github/workflows/asyncscope.yml')!) as Workflow).jobs.benchmark.steps.flatMap((s) => (s.run ? s.run.trim().split('\n') : [])));
    expect(gitlab.filter((line) => line === INSTALL || BENCHMARK.test(line))).toHaveLength(2);
    // The package `npm pack` makes of this version is the one the jobs install.
    const version = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version as string;
    expect(INSTALL).toContain(`asyncscope-${version}.tgz`);
    expect(DOC).toContain(`npm pack   # asyncscope-${version}.tgz`);
    // The same asyncscope commands in both, but for where the Markdown summary goes.
    const commands = (lines: string[]) => lines.filter((l) => l.startsWith('asyncscope ') && !l.startsWith('asyncscope report')).map((l) => l.replace(/--markdown \S+/, '--markdown SUMMARY'));
    expect(commands(gitlab)).toEqual(commands(github));
  });

  it('saves the baseline from the five runs', () => {
    const doc = JSON.parse(fs.readFileSync(baselineFile, 'utf8'));
    expect(doc).toMatchObject({ format: 'asyncscope-baseline', version: 1, label: 'baseline' });
    expect(doc.samples).toHaveLength(5);
  });

  it('GitHub Actions: a benchmark like the baseline passes, with a JUnit file, a job summary and the report', async () => {
    const repo = repository('github-pass');
    const poolDir = pool('github-pass-pool', 'traces', { runs: 3, seed: 202, noise: 0.03 }, { runs: 1, seed: 203, noise: 0.03 });
    const { steps, uploads } = await runGithubJob(repo, poolDir);
    for (const s of steps) expect([s.name, s.code, s.skipped === null ? s.stderr.replace(/^asyncscope: warning: .*\n/gm, '') : ''], s.name).toEqual([s.name, 0, '']);
    const check = step(steps, /^Check/);
    expect(check.stdout).toContain('asyncscope check: all 7 rules passed');
    expect(check.stdout).not.toContain('::error');

    const junit = path.join(repo, 'out', 'junit.xml');
    expect(await junitProblems(junit)).toBeNull();
    const cases = junitCases(fs.readFileSync(junit, 'utf8'));
    expect(cases.map((c) => c.name)).toEqual(['makespan', 'GPU utilization', 'degree of asynchronicity', 'simulation duration', 'GPU utilization floor', 'improvement over synchronous execution', 'predicted improvement']);
    expect(cases.every((c) => c.failure === null)).toBe(true);

    const summary = fs.readFileSync(path.join(repo, `step-summary-${steps.indexOf(check)}.md`), 'utf8');
    expect(markdownRows(summary).map((r) => r.verdict)).toEqual(Array(7).fill('pass'));

    expect(uploads).toEqual(['reports/', 'out/junit.xml']);
    expect(fs.existsSync(path.join(repo, 'out', 'junit.xml'))).toBe(true);
    if (hasReportCommand) expect(fs.existsSync(path.join(repo, 'reports', 'run.html'))).toBe(true);
  });

  it('GitHub Actions: a benchmark 30% slower fails the check step (exit 1), says which rules, and still writes the report', async () => {
    const repo = repository('github-fail');
    const poolDir = pool('github-fail-pool', 'traces', { runs: 3, seed: 302, noise: 0.03, scale: 1.3 }, { runs: 1, seed: 303, noise: 0.03, scale: 1.3 });
    const { steps } = await runGithubJob(repo, poolDir);
    const check = step(steps, /^Check/);
    expect(check.code).toBe(1);
    expect(check.stderr).toMatch(/^asyncscope: check failed: 2 of 7 rules failed: makespan \(candidate\), simulation duration \(candidate\)$/m);
    expect(check.stdout).toMatch(/^::error title=asyncscope check failed%3A makespan \(candidate\)::makespan_s: median \d+\.\d{3} of 3 runs vs baseline median \d+\.\d{3} of 5 samples: \+\d\d\.\d%/m);
    const cases = junitCases(fs.readFileSync(path.join(repo, 'out', 'junit.xml'), 'utf8'));
    expect(cases.filter((c) => c.failure !== null).map((c) => c.name)).toEqual(['makespan', 'simulation duration']);
    expect(cases.find((c) => c.name === 'makespan')!.failure).toMatch(/significant \(Mann-Whitney U p = 0\.018 <= alpha 0\.05\)$/);
    const summary = fs.readFileSync(path.join(repo, `step-summary-${steps.indexOf(check)}.md`), 'utf8');
    expect(markdownRows(summary).filter((r) => r.verdict === 'FAIL').map((r) => r.rule)).toEqual(['makespan', 'simulation duration']);
    // if: always(): the report and the upload run after the failed check
    const report = step(steps, /^HTML report/);
    expect(report.skipped ?? 'ran').toBe(hasReportCommand ? 'ran' : 'the report command is not in this build');
    expect(step(steps, /^Upload/).skipped).toBe('an action');
  });

  it('GitLab CI: the job script passes, and its JUnit report and summary are written', async () => {
    const repo = repository('gitlab');
    const poolDir = pool('gitlab-pool', 'traces', { runs: 3, seed: 402, noise: 0.03 }, { runs: 1, seed: 403, noise: 0.03 });
    const job = YAML.parse(FILES.get('.gitlab-ci.yml')!).asyncscope as {
      variables: Record<string, string>;
      script: string[];
      after_script: string[];
      artifacts: { when: string; paths: string[]; reports: { junit: string } };
    };
    const env = jobEnv(job.variables, poolDir);
    const script = job.script.filter((line) => line !== INSTALL).join('\n');
    const result = await bash(script, repo, env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('asyncscope check: all 7 rules passed');
    if (hasReportCommand) {
      const after = await bash(job.after_script.join('\n'), repo, env);
      expect(after.code, after.stderr).toBe(0);
    }
    expect(job.artifacts.when).toBe('always');
    expect(await junitProblems(path.join(repo, job.artifacts.reports.junit))).toBeNull();
    expect(markdownRows(fs.readFileSync(path.join(repo, 'out', 'summary.md'), 'utf8'))).toHaveLength(7);
    for (const artifact of job.artifacts.paths) if (artifact !== 'reports/' || hasReportCommand) expect(fs.existsSync(path.join(repo, artifact)), artifact).toBe(true);
  });

  describe('the history jobs', () => {
    let shared: string;
    beforeAll(async () => {
      // The shared store as main's earlier jobs left it: 22 runs of the benchmark, 2 % noise.
      shared = path.join(scratch, 'shared-template.db');
      await seedHistory(path.join(scratch, 'shared-traces'), shared, { runs: 22, noise: 0.02, seed: 9 });
    }, 120_000);

    const gitlabJob = () =>
      YAML.parse(FILES.get('gitlab-ci-history.yml')!)['asyncscope-history'] as { variables: Record<string, string>; script: string[]; after_script: string[]; artifacts: { paths: string[] } };

    it('run the same asyncscope commands in GitHub Actions and GitLab CI', () => {
      const github = (YAML.parse(FILES.get('.github/workflows/asyncscope-history.yml')!) as Workflow).jobs.benchmark.steps.flatMap((s) => (s.run ? s.run.trim().split('\n') : []));
      const job = gitlabJob();
      const commands = (lines: string[]) =>
        lines
          .map((l) => l.replace(/^if \[ .* \]; then (.*); fi$/, '$1'))
          .filter((l) => l.startsWith('asyncscope '))
          .map((l) => l.replace(/--markdown \S+/, '--markdown SUMMARY').replace(/runner=\S+/, 'runner=NAME'));
      expect(commands([...job.script, ...job.after_script])).toEqual(commands(github));
      expect(github.filter((line) => line === INSTALL || BENCHMARK.test(line))).toHaveLength(2);
    });

    /** The GitLab job's script on a copy of the shared store, as a job of `branch` whose benchmark is `scale` times slower. */
    async function gitlabHistoryJob(name: string, branch: string, scale: number, jobId: number) {
      const repo = repository(name);
      const poolDir = pool(`${name}-pool`, 'traces', { runs: 3, seed: 500 + jobId, noise: 0.02, scale });
      const db = path.join(scratch, `${name}.db`);
      fs.copyFileSync(shared, db);
      const job = gitlabJob();
      const env = jobEnv(
        { ...job.variables, ASYNCSCOPE_DB: db, GITLAB_CI: 'true', CI_COMMIT_SHA: `${jobId}`.padStart(40, 'c'), CI_COMMIT_BRANCH: branch, CI_JOB_URL: `https://gitlab.example.com/g/p/-/jobs/${jobId}` },
        poolDir,
      );
      const result = await bash(job.script.filter((line) => line !== INSTALL).join('\n'), repo, env);
      const after = await bash(job.after_script.join('\n'), repo, env);
      return { repo, result, after };
    }

    it('GitLab CI: a merge request as fast as main passes, and the trend page is written', async () => {
      const { repo, result, after } = await gitlabHistoryJob('history-mr', 'faster-io', 1, 9001);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain('asyncscope check: the 1 rule passed');
      expect(after.code, after.stderr).toBe(0);
      expect(after.stdout).toMatch(/^History of nightly: 22 runs, branch=main/);
      expect(fs.existsSync(path.join(repo, 'reports', 'trend.html'))).toBe(true);
      expect(markdownRows(fs.readFileSync(path.join(repo, 'out', 'summary.md'), 'utf8')).map((r) => r.verdict)).toEqual(['pass']);
    }, 300_000);

    it('GitLab CI: a merge request 30% slower fails against main\'s history', async () => {
      const { result } = await gitlabHistoryJob('history-slow', 'slow-io', 1.3, 9002);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/check failed: 1 of 1 rules? failed/);
      expect(result.stdout).toMatch(/baseline: 20 runs of nightly before the candidate \(branch=main\)/);
    }, 300_000);

    it('GitLab CI: on main, a run like the others passes the change-point check too', async () => {
      const { result } = await gitlabHistoryJob('history-main', 'main', 1, 9003);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toMatch(/no change point in the last 21 runs/);
    }, 300_000);
  });
});
