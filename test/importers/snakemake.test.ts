/**
 * The Snakemake importer on the real working directories of traces/snakemake (made by Snakemake
 * 7.21 here; figures in their expected.json), and on the pieces it reads.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSnakemake, snakemakeLayout } from '../../src/importers/snakemake/index.js';
import { ctimeWall, parseLog, parseResources } from '../../src/importers/snakemake/log.js';
import { decodeName } from '../../src/importers/snakemake/files.js';
import { criticalPath } from '../../src/model/critical-path.js';
import { buildDag } from '../../src/model/dag.js';
import { countTasks } from '../../src/run/task-counts.js';
import { ROOT } from '../helpers/cli.js';

const SNAKEMAKE = path.join(ROOT, 'traces', 'snakemake');

interface ExpectedSample {
  dag: { jobs: number; edges: number; up_to_date_jobs: number };
  run: { jobs_started: number; jobs_finished: number; jobs_failed: string[]; jobs_never_started: string[]; jobs_started_not_finished: string[] };
  makespan_s: number;
  critical_path: { length_s: number; jobs: string[] };
  jobs_of_this_run: { rule: string; wildcards: string; threads: number; start_s: number; end_s: number }[];
}
const expected = JSON.parse(fs.readFileSync(path.join(SNAKEMAKE, 'expected.json'), 'utf8')) as Record<string, ExpectedSample>;

const input = (dir: string) => ({ path: dir, display: path.relative(ROOT, dir), kind: 'dir' as const, explicit: true });

/**
 * Per sample: tasks (the DAG's 12 jobs), executed (jobs with a start and an end), failed, cached
 * (up to date), skipped/pending (never started), makespan, edges, critical path.
 *
 * Edges: the DAG has 15, but a job that never started appears in the log by its rule only, so the
 * dependencies of B3, report and all are unknown in `failure` and `interrupted`: 10 edges there
 * (the other 5 all touch those jobs). `all` has no output and no record: its times come from the
 * log, placed at the end of its input's job (it takes no time), so the makespans are those of
 * the records, as in expected.json.
 */
const SAMPLES = {
  'paper-example': { tasks: 12, executed: 12, failed: 0, cached: 0, skipped: 0, pending: 0, running: 0, edges: 15 },
  failure: { tasks: 12, executed: 9, failed: 1, cached: 0, skipped: 3, pending: 0, running: 0, edges: 10 },
  rerun: { tasks: 12, executed: 4, failed: 0, cached: 8, skipped: 0, pending: 0, running: 0, edges: 15 },
  interrupted: { tasks: 12, executed: 7, failed: 0, cached: 0, skipped: 0, pending: 3, running: 2, edges: 10 },
} as const;

describe('Snakemake importer on the real working directories of traces/snakemake', () => {
  for (const [sample, figures] of Object.entries(SAMPLES)) {
    it(`${sample}: ${figures.tasks} jobs, ${figures.executed} executed, ${figures.failed} failed, ${figures.cached} cached, makespan and critical path of expected.json, ${figures.edges} edges`, async () => {
      const facts = expected[sample];
      const run = await readSnakemake(input(path.join(SNAKEMAKE, sample)), {});
      const count = (outcome: string) => run.tasks.outcome.filter((o) => o === outcome).length;
      expect(facts.dag.jobs).toBe(figures.tasks);
      expect(run.tasks.length).toBe(figures.tasks);
      const counts = countTasks(run.tasks);
      expect(counts.executed).toBe(figures.executed);
      expect(counts.incomplete).toBe(figures.running);
      expect(counts.makespanS).toBeCloseTo(facts.makespan_s, 6);
      expect([count('failed'), count('cached'), count('skipped'), count('pending'), count('running')]).toEqual([figures.failed, figures.cached, figures.skipped, figures.pending, figures.running]);
      expect(count('failed')).toBe(facts.run.jobs_failed.length);
      expect(count('cached')).toBe(facts.dag.up_to_date_jobs);
      expect(count('skipped') + count('pending')).toBe(facts.run.jobs_never_started.length);
      expect(run.edges.length).toBe(figures.edges);

      // Each job of this run with its threads and times (relative to the first start) as expected.json lists them.
      for (const job of facts.jobs_of_this_run) {
        const name = job.wildcards ? `${job.rule} (${job.wildcards})` : job.rule;
        const i = run.tasks.name.indexOf(name);
        expect(i, name).toBeGreaterThanOrEqual(0);
        expect(run.tasks.cores[i], name).toBe(job.threads);
        expect(run.tasks.start[i], name).toBeCloseTo(job.start_s, 6);
        expect(run.tasks.end[i], name).toBeCloseTo(job.end_s, 6);
      }

      // Critical path over this run's jobs, each weighted by its duration.
      const dag = buildDag(run.tasks.length, run.edges.parent, run.edges.child);
      const weight = run.tasks.start.map((start, i) => (Number.isNaN(start) || Number.isNaN(run.tasks.end[i]) ? 0 : run.tasks.end[i] - start));
      const longest = criticalPath(dag, weight);
      expect(longest.lengthS).toBeCloseTo(facts.critical_path.length_s, 6);
      const onPath = longest.path.map((i) => run.tasks.type[i]).filter((rule) => rule !== 'all');
      expect(onPath.slice(-facts.critical_path.jobs.length)).toEqual(facts.critical_path.jobs);

      expect(run.capacity).toMatchObject({ nodes: 1, cores: 4, gpus: 2 });
      expect(run.warnings.some((w) => w.includes("the log's local times (to the second) are UTC, learned from"))).toBe(true);
    });
  }

  it('failure: B2 failed and kept the time the log gives it; B3, report and all were skipped', async () => {
    const run = await readSnakemake(input(path.join(SNAKEMAKE, 'failure')), {});
    const b2 = run.tasks.type.indexOf('B2');
    expect(run.tasks.row(b2)).toMatchObject({ uid: 'results/B2.txt', state: 'failed', cores: 2, gpus: 1 });
    expect(run.tasks.outcome[b2]).toBe('failed');
    // Started when B1 ended (the log's second is earlier), ended at the log's error second.
    expect(run.tasks.start[b2]).toBeCloseTo(run.tasks.end[run.tasks.type.indexOf('B1')], 6);
    expect(run.tasks.end[b2]).toBeGreaterThan(run.tasks.start[b2]);
    for (const rule of ['B3', 'report', 'all']) {
      const i = run.tasks.type.indexOf(rule);
      expect(run.tasks.row(i)).toMatchObject({ uid: `${rule}#not-started`, state: 'not started', start: null, end: null });
      expect(run.tasks.outcome[i]).toBe('skipped');
    }
  });

  it('rerun: jobs up to date are cached, with their earlier times as events and threads from the older log', async () => {
    const run = await readSnakemake(input(path.join(SNAKEMAKE, 'rerun')), {});
    const processS1 = run.tasks.uid.indexOf('results/process/s1.txt');
    expect(run.tasks.row(processS1)).toMatchObject({ name: 'process (sample=s1)', state: 'up to date', cores: 2, start: null, end: null });
    expect(run.tasks.outcome[processS1]).toBe('cached');
    const names = Array.from({ length: run.events.length }, (_, k) => k).filter((k) => run.events.task[k] === processS1).map((k) => run.events.event[k]);
    expect(names).toEqual(['cached_start', 'cached_end']);
    expect(run.warnings.some((w) => w.includes('the newest of 2 logs'))).toBe(true);
    // A has two outputs: one job, one task.
    expect(run.tasks.type.filter((t) => t === 'A')).toHaveLength(1);
  });

  it('interrupted: the two jobs cut off are running (a start, no end); the jobs not started are pending', async () => {
    const run = await readSnakemake(input(path.join(SNAKEMAKE, 'interrupted')), {});
    for (const rule of ['B2', 'C2']) {
      const i = run.tasks.type.indexOf(rule);
      expect(run.tasks.outcome[i]).toBe('running');
      expect(run.tasks.state[i]).toBe('incomplete');
      expect(Number.isNaN(run.tasks.start[i])).toBe(false);
      expect(Number.isNaN(run.tasks.end[i])).toBe(true);
    }
  });

  it('benchmark files add their figures to their job', async () => {
    const run = await readSnakemake(input(path.join(SNAKEMAKE, 'paper-example')), {});
    const a = run.tasks.type.indexOf('A');
    expect(run.benchmarks.get(a)).toMatchObject({ s: 0.5267, max_rss: 4.9, cpu_time: 0 });
    expect(run.benchmarks.size).toBe(6); // A, B2, C2, process x3
  });

  it('the workdir, its .snakemake folder and the metadata folder are the same trace', async () => {
    const dir = path.join(SNAKEMAKE, 'paper-example');
    expect(snakemakeLayout(dir)).toEqual({ state: path.join(dir, '.snakemake'), workdir: dir });
    expect(snakemakeLayout(path.join(dir, '.snakemake'))).toEqual({ state: path.join(dir, '.snakemake'), workdir: dir });
    expect(snakemakeLayout(path.join(dir, '.snakemake', 'metadata'))).toEqual({ state: path.join(dir, '.snakemake'), workdir: dir });
    expect(snakemakeLayout(path.join(dir, 'results'))).toBeNull();
    const fromState = await readSnakemake(input(path.join(dir, '.snakemake')), {});
    const fromWorkdir = await readSnakemake(input(dir), {});
    expect(fromState.tasks).toEqual(fromWorkdir.tasks);
    expect(fromState.id).toBe('paper-example.2026-12-01T221430');
  });
});

describe('the zone of a Snakemake log', () => {
  // paper-example was run with TZ=UTC. The same directory with its log's times moved 2 hours
  // ahead is what the run would have printed at UTC+2: the importer learns the offset from the
  // records and places every job as before (made in a temporary copy, never committed).
  const copy = (shiftHours: number) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'asyncscope-snakemake-'));
    fs.cpSync(path.join(SNAKEMAKE, 'paper-example'), dir, { recursive: true });
    const logDir = path.join(dir, '.snakemake', 'log');
    for (const name of fs.readdirSync(logDir)) {
      const file = path.join(logDir, name);
      const text = fs.readFileSync(file, 'utf8').replace(/^\[(.*)\]$/gm, (_line, stamp: string) => {
        const t = new Date(ctimeWall(stamp) * 1000 + shiftHours * 3600_000);
        const [day, , , year, time] = t.toUTCString().replace(',', '').split(' ');
        const month = t.toUTCString().split(' ')[2];
        return `[${day} ${month} ${String(t.getUTCDate()).padStart(2, ' ')} ${time} ${year}]`;
      });
      fs.writeFileSync(file, text);
    }
    return dir;
  };

  it('is learned from the jobs that have records, and --tz overrides it', async () => {
    const original = await readSnakemake(input(path.join(SNAKEMAKE, 'paper-example')), {});
    const dir = copy(2);
    try {
      const shifted = await readSnakemake(input(dir), {});
      expect(shifted.warnings.some((w) => w.includes('are UTC+02:00, learned from 11 job(s)'))).toBe(true);
      expect(shifted.epoch).toBe(original.epoch);
      expect(shifted.tasks.end).toEqual(original.tasks.end);
      // Stated wrongly as UTC, the log-timed job (all) lands 2 hours late (within the log's second).
      const stated = await readSnakemake(input(dir), { timeZone: 'UTC' });
      const all = stated.tasks.type.indexOf('all');
      const late = stated.tasks.start[all] - original.tasks.start[all];
      expect(late).toBeGreaterThan(7199);
      expect(late).toBeLessThan(7201);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a Snakemake record that cannot time its job', () => {
  it('a record whose endtime is before its starttime, or that has no starttime, leaves the job the log\'s times', async () => {
    const original = await readSnakemake(input(path.join(SNAKEMAKE, 'paper-example')), {});
    const b1 = original.tasks.uid.indexOf('results/B1.txt');
    const c1 = original.tasks.uid.indexOf('results/C1.txt');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'asyncscope-snakemake-'));
    try {
      fs.cpSync(path.join(SNAKEMAKE, 'paper-example'), dir, { recursive: true });
      const metadata = path.join(dir, '.snakemake', 'metadata');
      const edit = (output: string, change: (record: Record<string, unknown>) => void) => {
        const file = path.join(metadata, Buffer.from(output).toString('base64'));
        const record = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
        change(record);
        fs.writeFileSync(file, JSON.stringify(record));
      };
      edit('results/B1.txt', (record) => (record.endtime = 1.0));
      edit('results/C1.txt', (record) => (record.starttime = null));
      const run = await readSnakemake(input(dir), {});
      for (const task of [b1, c1]) {
        expect(run.tasks.end[task]).toBeGreaterThanOrEqual(run.tasks.start[task]);
        // The log's times, to its second.
        expect(Math.abs(run.tasks.start[task] - original.tasks.start[task])).toBeLessThan(1.5);
        expect(Math.abs(run.tasks.end[task] - original.tasks.end[task])).toBeLessThan(1.5);
      }
      // The two damaged records said apart from the job that has none (`all`, which makes no file).
      expect(run.warnings).toContain('1 job(s) without metadata records of this run (no output files, failed or cut off): their times come from the log, to the second');
      expect(run.warnings).toContain('2 job(s) whose metadata record ends before it starts or has no start (damaged, or an output copied with its old time): their times come from the log, to the second');
      expect(original.warnings.join('\n')).not.toMatch(/ends before it starts/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a Snakemake directory without its log', () => {
  it('takes every record as a job of one run, with the threads of the --stats JSON, and says so', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'asyncscope-snakemake-'));
    try {
      fs.cpSync(path.join(SNAKEMAKE, 'paper-example'), dir, { recursive: true });
      fs.rmSync(path.join(dir, '.snakemake', 'log'), { recursive: true });
      const run = await readSnakemake(input(dir), {});
      // 11 jobs with outputs (A's two records are one job); `all` has none, so without the log it is unknown.
      expect(run.tasks.length).toBe(11);
      expect(new Set(run.tasks.outcome)).toEqual(new Set(['done']));
      expect(countTasks(run.tasks).makespanS).toBeCloseTo(expected['paper-example'].makespan_s, 6);
      expect(run.tasks.cores[run.tasks.uid.indexOf('results/process/s1.txt')]).toBe(2);
      expect(run.tasks.cores[run.tasks.uid.indexOf('results/B2.txt')]).toBe(2);
      expect(run.tasks.cores[run.tasks.uid.indexOf('results/C1.txt')]).toBe(1);
      expect(run.edges.length).toBe(14); // the 15 of the DAG but report -> all (all has no output, so no record)
      expect(run.warnings.some((w) => w.startsWith('no Snakemake log'))).toBe(true);
      expect(run.capacity).toMatchObject({ cores: null });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Snakemake pieces', () => {
  it('log times, resources, record names', () => {
    expect(ctimeWall('Tue Dec  1 22:14:48 2026')).toBe(Date.UTC(2026, 11, 1, 22, 14, 48) / 1000);
    expect(parseResources('tmpdir=/tmp, gpu=1, mem_mb=200')).toEqual({ tmpdir: '/tmp', gpu: 1, mem_mb: 200 });
    expect(decodeName('cmVzdWx0cy9CMS50eHQ=')).toBe('results/B1.txt');
  });

  it('a log of Snakemake before 7.? (Job counts, count first) and of 8 (Finished jobid:)', () => {
    const log = parseLog(
      [
        'Provided cores: 8',
        'Job counts:',
        '\tcount\tjobs',
        '\t2\talign',
        '\t1\tall',
        '\t3',
        '',
        '[Mon Jan 15 10:00:00 2024]',
        'rule align:',
        '    input: a.fq',
        '    output: a.bam',
        '    jobid: 1',
        '    threads: 4',
        '',
        '[Mon Jan 15 10:00:05 2024]',
        'Finished jobid: 1 (Rule: align)',
      ].join('\n'),
    );
    expect([...log.reader.planned]).toEqual([
      ['align', 2],
      ['all', 1],
    ]);
    expect(log.jobs[0]).toMatchObject({ jobid: 1, rule: 'align', input: ['a.fq'], output: ['a.bam'], threads: 4, started: Date.UTC(2024, 0, 15, 10) / 1000, finished: Date.UTC(2024, 0, 15, 10, 0, 5) / 1000 });
    expect(log.reader.cores).toBe(8);
  });
});
