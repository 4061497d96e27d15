/**
 * `asyncscope demo --traces DIR` on the four Summit runs of the JSSPP 2023 study, as a user runs
 * it. One demo output (run once, from a folder that is not the checkout, over a stale demo.db)
 * serves every test: its sections, its numbers against the analyzers and the model computed here
 * in-process on the same database, its self-containment.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { analyzeStoredRun } from '../../src/analysis/stored-run.js';
import { compareRuns } from '../../src/model/compare.js';
import { loadRunData, storedCriticalPath } from '../../src/model/from-store.js';
import { percent } from '../../src/text/numbers.js';
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { cli, tempDir } from '../helpers/cli.js';
import { fileStore } from '../helpers/store.js';
import { decode, externalReferences, figure, row, section, tables } from '../helpers/html.js';
import { beforeAllWithShared, describeWithShared } from '../helpers/shared-traces.js';
import { SUMMIT } from '../helpers/traces.js';

const work = tempDir('asyncscope-report-');
const reports = path.join(work, 'reports');
const dbFile = path.join(reports, 'demo.db');
let demo: { code: number; stdout: string; stderr: string };
let html: string;
let store: SqliteStore;

beforeAllWithShared(async () => {
  fs.mkdirSync(reports);
  fs.writeFileSync(dbFile, 'not a database: the demo must recreate it');
  const traces = path.join(work, 'summit');
  fs.mkdirSync(traces);
  for (const run of Object.values(SUMMIT)) fs.copyFileSync(run.file, path.join(traces, path.basename(run.file)));
  fs.writeFileSync(path.join(traces, 'notes.txt'), 'not a trace: skipped with a warning');
  demo = await cli(['demo', '--traces', 'summit'], { cwd: work });
  html = fs.readFileSync(path.join(reports, 'demo.html'), 'utf8');
  store = fileStore(dbFile, { access: 'read' });
}, 120_000);

afterAll(async () => {
  await store?.close();
  fs.rmSync(work, { recursive: true, force: true });
});

// In the folder's order (file names): DeepDriveMD's sessions (login2) before DG2's (login5).
const RUNS = ['ddmd-sync', 'ddmd-async', 'dg2-sync', 'dg2-async'];
const PAIRS = [
  { id: 'pair-1', title: 'DeepDriveMD', sync: 'ddmd-sync', async: 'ddmd-async' },
  { id: 'pair-2', title: 'DG2', sync: 'dg2-sync', async: 'dg2-async' },
];

describeWithShared('asyncscope demo --traces on the Summit runs', () => {
  it('writes reports/demo.html and prints its path and a three-line summary', () => {
    expect(demo.stderr).toContain('asyncscope: warning: skipped 1 file(s) that are not traces: summit/notes.txt\n');
    expect(demo.stderr).not.toContain('error');
    expect(demo.code).toBe(0);
    const lines = demo.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe(path.join('reports', 'demo.html'));
    expect(lines[1]).toMatch(/^DeepDriveMD: async saved 19\.8% of the synchronous makespan \(model predicted 20\.4%, \+0\.6 pp\)\.$/);
    expect(lines[2]).toMatch(/^DG2: async saved 26\.0% of the synchronous makespan \(model predicted 26\.2%, \+0\.2 pp\)\.$/);
    expect(lines[3]).toContain(path.join('reports', 'demo.db'));
  });

  it('recreates demo.db with the four Summit runs, labelled, with their modes and workflows', async () => {
    const runs = await store.listRuns();
    expect(runs.map((r) => [r.label, r.mode, r.workflow, r.tasks])).toEqual([
      ['ddmd-sync', 'sync', 'DeepDriveMD', 627],
      ['ddmd-async', 'async', 'DeepDriveMD', 627],
      ['dg2-sync', 'sync', 'DG2', 256],
      ['dg2-async', 'async', 'DG2', 256],
    ]);
  });

  it('has every section, in order, each listed in the contents', () => {
    const ids = [...html.matchAll(/<section id="([^"]+)">/g)].map((m) => m[1]);
    expect(ids).toEqual(['summary', 'comparisons', 'pair-1', 'pair-2', 'why', 'why-1', 'why-2', 'why-3', 'why-4', 'whatif', 'whatif-1', 'whatif-2', 'runs', 'run-1', 'run-2', 'run-3', 'run-4', 'definitions']);
    for (const id of ids) expect(html).toContain(`<a href="#${id}">`);
    expect(section(html, 'pair-2')).toContain('<h3>DG2: synchronous vs asynchronous</h3>');
    expect(section(html, 'run-2')).toContain('<h3>Run ddmd-async (async)</h3>');
    // per run: timeline, concurrency, CPU, GPU, overlap; per pair: makespans and the two schedules
    for (let i = 1; i <= 4; i++) for (const chart of ['timeline', 'concurrency', 'cpu', 'gpu', 'overlap']) expect(html).toContain(`id="run-${i}-${chart}"`);
    for (const pair of PAIRS) for (const chart of ['makespans', 'sync', 'async']) expect(html).toContain(`id="${pair.id}-${chart}"`);
    // per run: its critical path and waits; per pair: what if on other node counts, and the sweep
    for (let i = 1; i <= 4; i++) for (const chart of ['path', 'waits']) expect(html).toContain(`id="why-${i}-${chart}"`);
    for (let i = 1; i <= 2; i++) for (const chart of ['nodes', 'sweep']) expect(html).toContain(`id="whatif-${i}-${chart}"`);
  });

  it('shows why each run took as long as it did: the critical path and waits of analyze --critical-path', async () => {
    for (const [i, label] of RUNS.entries()) {
      const json = (await storedCriticalPath(store, await store.resolveRun(label))).json;
      const why = section(html, `why-${i + 1}`);
      expect(why).toContain(`<h3>Why ${label} took ${json.makespan_s.toFixed(1)} s</h3>`);
      for (const finding of json.findings) expect(decode(why)).toContain(finding);
      const waits = tables(why)[1];
      expect(waits.caption).toContain('Waits summed over the tasks of each type');
      for (const w of json.waits.by_type) expect(row(waits, w.type).value.slice(1, 7)).toEqual([w.tasks, w.dependencies_s, w.staging_s, w.cpus_s, w.gpus_s, w.launch_s]);
    }
    // DG2 async (the fourth run): T0 -> T1T2 -> T3T6, T3T6 holding every GPU
    expect(decode(section(html, 'why-4'))).toContain('The makespan (1332.7 s) is set by T0 -> T1T2 -> T3T6');
  });

  it('shows the what-if grid and the sweep of each pair as the model computes them', () => {
    const grid = tables(section(html, 'whatif-2'))[0];
    // DG2 on its own 16 nodes: the calibrated asynchronous structure gives compare's predicted async makespan.
    const own = grid.rows.find((r) => r.value[0] === 16)!;
    expect(own.value[4]).toBeCloseTo(1327.192, 3);
    const sweep = tables(section(html, 'whatif-2'))[1];
    expect(sweep.rows.at(-1)!.text[0]).toBe('measured: dg2-async');
    expect(sweep.rows.at(-1)!.value[1]).toBeCloseTo(1.5275, 4);
  });

  it('gives every chart an SVG with a title, a caption and a table of its numbers', () => {
    const figures = [...html.matchAll(/<figure class="chart[^"]*" id="([^"]+)">([\s\S]*?)<\/figure>/g)];
    expect(figures).toHaveLength(38);
    expect(html.match(/<svg /g)).toHaveLength(38);
    for (const [, id, body] of figures) {
      expect(body, id).toMatch(/<svg role="img" aria-label="[^"]+"/);
      expect(body, id).toContain('<figcaption>');
      expect(tables(body), id).toHaveLength(1);
      // the SVG's ids are prefixed with the chart's, so charts never take each other's clip paths
      for (const m of body.matchAll(/ id="([^"]+)"/g)) if (m[1] !== id) expect(m[1].startsWith(`${id}-`), m[1]).toBe(true);
    }
  });

  it('the key figures of every run are those of the analyzers', async () => {
    for (const [i, label] of RUNS.entries()) {
      const json = (await analyzeStoredRun(store, await store.resolveRun(label), { by: 'type' })).json;
      const figures = tables(section(html, `run-${i + 1}`))[0];
      expect(figures.caption).toContain('Key figures');
      const value = (name: string) => row(figures, name).value[1];
      expect(value('tasks')).toBe(json.tasks);
      expect(value('makespan_s')).toBe(json.makespan_s);
      expect(value('busy_s')).toBe(json.busy_s);
      expect(value('idle_s')).toBe(json.idle_s);
      expect(value('utilization.cpu')).toBe(json.utilization.cpu);
      expect(value('utilization.gpu')).toBe(json.utilization.gpu);
      expect(value('concurrency.max')).toBe(json.concurrency.max);
      expect(value('concurrency.mean')).toBe(json.concurrency.mean);
      expect(value('asynchronicity.async_fraction')).toBe(json.asynchronicity.async_fraction);
      expect(value('asynchronicity.doa')).toBe(json.asynchronicity.doa);
      // and as the tables of analyze print them
      expect(row(figures, 'utilization.cpu').text[1]).toBe(String(Number(json.utilization.cpu!.toFixed(4))));
    }
  });

  it('the timeline, utilization and overlap tables are the analyzers\' figures', async () => {
    const run = await store.resolveRun('dg2-async');
    const json = (await analyzeStoredRun(store, run, { by: 'type' })).json;
    const timeline = tables(figure(html, 'run-4-timeline'))[0];
    expect(timeline.rows.map((r) => r.text[0])).toEqual(['T0', 'T1T2', 'T3T6', 'T4T5', 'T7']);
    for (const g of json.groups) expect(row(timeline, g.name).value).toEqual([null, g.tasks, g.start_s, g.end_s, g.busy_s]);

    expect(tables(figure(html, 'run-4-cpu'))[0].footer!.value[4]).toBe(json.utilization.cpu);
    expect(tables(figure(html, 'run-4-gpu'))[0].footer!.value[4]).toBe(json.utilization.gpu);

    const overlap = tables(figure(html, 'run-4-overlap'))[0];
    expect(overlap.rows.map((r) => [r.text[0], r.text[1], r.value[2], r.value[3]])).toEqual(json.overlap.map((o) => [o.a, o.b, o.seconds, o.fraction]));
    expect(overlap.rows.map((r) => r.text[2])).toEqual(['231.532', '462.574']);
    // DG2 sync by type: nothing overlaps, and the table says so
    expect(tables(figure(html, 'run-3-overlap'))[0].rows[0].text[0]).toMatch(/^none: no two task types ran at the same time/);
  });

  it('the comparisons are those of the model, with the headline "async saved X% (model predicted Y%)"', async () => {
    for (const pair of PAIRS) {
      const c = compareRuns({ sync: (await loadRunData(store, await store.resolveRun(pair.sync))), async: (await loadRunData(store, await store.resolveRun(pair.async))) });
      const part = section(html, pair.id);
      expect(part).toContain(`async <strong>saved ${percent(c.measured.improvement)}</strong> of the synchronous makespan (model predicted <strong>${percent(c.predicted.improvement)}</strong>`);
      const makespans = tables(figure(part, `${pair.id}-makespans`))[0];
      expect(row(makespans, 'sequential').value.slice(2)).toEqual([c.asyncPrediction.sequentialS, null, null]);
      expect(row(makespans, 'sync').value.slice(2)).toEqual([c.predicted.syncS, c.measured.syncS, c.error.sync]);
      expect(row(makespans, 'async_ideal').value.slice(2, 4)).toEqual([c.asyncPrediction.asyncIdealS, c.measured.asyncS]);
      expect(row(makespans, 'async').value.slice(2)).toEqual([c.predicted.asyncS, c.measured.asyncS, c.error.async]);
      expect(makespans.footer!.value.slice(2)).toEqual([c.predicted.improvement, c.measured.improvement, c.error.improvementPp]);
      // the predicted schedule's end is the predicted makespan
      const asyncSchedule = tables(figure(part, `${pair.id}-async`))[0];
      expect(Math.max(...asyncSchedule.rows.map((r) => r.value[5] ?? 0))).toBe(c.predicted.asyncS);
    }
    expect(section(html, 'summary').match(/class="headline"/g)).toHaveLength(2);
  });

  it('is one self-contained file: no script, no external reference, links only inside it', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<(link|iframe|object|embed|img|image|use|foreignObject|base|meta http-equiv="refresh")\b/i);
    expect(html).not.toMatch(/\son[a-z]+=/i);
    expect(externalReferences(html)).toEqual([]);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none';`);
    expect(html).toContain('<style>');
    expect(html).toContain('@media print');
    // every in-page link has its target
    for (const m of html.matchAll(/href="#([^"]+)"/g)) expect(html).toContain(`id="${m[1]}"`);
  });

  it('draws each Summit run task by task (they have at most 2,000 tasks)', () => {
    for (let i = 1; i <= 4; i++) expect(figure(html, `run-${i}-timeline`)).toContain('Each thin bar is one task');
  });
});
