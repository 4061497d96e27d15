/**
 * The trend page from history data (no store): a 30-run history with a 10 % shift and hostile
 * provenance (labels, branches, commit titles, job URLs, hosts made of markup) gives a page whose
 * every link resolves inside it, whose text stays text, and whose summary names the shift.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { metricSeries } from '../../src/history/series.js';
import { buildHistoryReport, type BuiltReport } from '../../src/report/build-report.js';
import type { HistoryReportData, HistoryRun } from '../../src/report/history-data.js';
import { checkSvg } from '../../src/report/render/clean-svg.js';
import { normalSampler } from '../helpers/random.js';
import { decode, externalReferences, section, tables } from '../helpers/html.js';

const SCRIPT = '<script>alert(1)</script>';
const meta = { generatedAt: new Date(Date.UTC(2026, 1, 1)), version: 'test' };

function data(hostile: boolean, x: 'time' | 'commit' = 'commit'): HistoryReportData {
  const draw = normalSampler(11);
  const runs: HistoryRun[] = Array.from({ length: 30 }, (_, i) => ({
    id: hostile && i === 3 ? SCRIPT : `run-${i}`,
    label: hostile ? '<img src=x onerror=alert(1)>' : 'nightly',
    mode: 'async',
    storedAt: new Date(Date.UTC(2026, 0, 1, i)).toISOString(),
    commit: i === 5 ? null : (1000003 * (i + 1)).toString(16).padStart(40, '0'),
    commitTitle: hostile ? `"><svg onload=alert(${i})>` : `commit ${i}`,
    branch: hostile ? '</td></tr><script>x</script>' : 'main',
    ci: 'gitlab-ci',
    jobUrl: hostile ? 'javascript:alert(1)' : `https://gitlab.example.com/g/p/-/jobs/${i}`,
    host: hostile ? '<b>host</b>' : 'runner-1',
  }));
  const makespan = runs.map((_, i) => 160 * (i >= 20 ? 1.1 : 1) * (1 + 0.02 * draw(0, 1)));
  const gpu = runs.map((_, i) => (i === 7 ? null : 0.8 + 0.01 * draw(0, 1)));
  const options = { window: 20, repeats: 3 };
  return {
    label: runs[0].label,
    filters: hostile ? ['branch=<i>main</i>'] : ['branch=main'],
    x,
    runs,
    metrics: [
      { metric: 'makespan_s', axisTitle: 'makespan (s)', format: (v: number) => v.toFixed(3), unmeasured: [], ...metricSeries(makespan, options) },
      { metric: 'utilization.gpu', axisTitle: 'GPU utilization', format: (v: number) => v.toFixed(4), unmeasured: [{ run: 7, reason: 'the capacity is unknown' }], ...metricSeries(gpu, options) },
    ],
    window: 20,
    repeats: 3,
  };
}

let plain: BuiltReport;
let hostile: BuiltReport;
beforeAll(async () => {
  plain = await buildHistoryReport(data(false, 'time'), meta);
  hostile = await buildHistoryReport(data(true), meta);
});

describe('the trend page', () => {
  it('says where the series shifted and where the latest runs stand', () => {
    const summary = decode(section(plain.html, 'summary'));
    expect(summary).toMatch(/makespan_s: 1 change point in 30 runs: \+\d+\.\d% from run #21 \(commit [0-9a-f]{7}, p = 0\.005\)\. The latest 3 runs \(median\): [\d.]+, inside the baseline band/);
    // ... inside, because 7 of the 20 baseline runs are already after the shift: the band moved up with it.
    expect(summary).toMatch(/utilization\.gpu: no change point in 29 runs\. The latest 3 runs \(median\): [\d.]+, (inside|below|above) the baseline band/);
    expect(plain.charts).toBe(2);
    expect(plain.renderWarnings).toEqual([]);
  });

  it('links every point and change point to a row of the table of runs, and nothing elsewhere', () => {
    for (const built of [plain, hostile]) {
      const ids = new Set([...built.html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]));
      const targets = [...built.html.matchAll(/href="#([^"]+)"/g)].map((m) => m[1]);
      expect(targets.filter((t) => !ids.has(t))).toEqual([]);
      expect(targets.filter((t) => t.startsWith('run-')).length).toBeGreaterThanOrEqual(30 + 29 + 1 + 1); // points of both charts, the change point's row, the summary
      const runs = tables(section(built.html, 'runs'))[0];
      expect(runs.rows).toHaveLength(30);
      expect(built.html).toContain('<tr id="run-30">');
    }
  });

  it('keeps hostile provenance as text: no tag, no handler, no link out', () => {
    const html = hostile.html;
    expect(html).not.toMatch(/<script|<img|<svg onload|<b>|<i>/i);
    const attributes = (html.match(/<[a-z][^>]*>/gi) ?? []).flatMap((tag) => [...tag.replace(/"[^"]*"/g, '""').matchAll(/\s([a-z:-]+)=/gi)].map((m) => m[1].toLowerCase()));
    expect(attributes.filter((name) => name.startsWith('on'))).toEqual([]);
    expect(externalReferences(html)).toEqual([]);
    expect(html).not.toContain('href="javascript');
    const runs = tables(section(html, 'runs'))[0];
    expect(runs.rows[3].text.slice(0, 2)).toEqual(['#4', SCRIPT]);
    expect(runs.rows[0].text[4]).toBe('"><svg onload=alert(0)>');
    expect(runs.rows[0].text[5]).toBe('</td></tr><script>x</script>');
    expect(runs.rows[0].text[7]).toBe('javascript:alert(1)');
    expect(decode(html)).toContain('History of <img src=x onerror=alert(1)>');
    for (const svg of html.match(/<svg[\s\S]*?<\/svg>/g)!) checkSvg(svg);
    expect(hostile.renderWarnings).toEqual([]);
  });

  it('notes the runs that did not measure a metric', () => {
    expect(decode(section(plain.html, 'metric-2'))).toContain('1 run(s) did not measure utilization.gpu and are left out: #8 run-7 (the capacity is unknown)');
  });

  it('shows job URLs as text, never as links', () => {
    const runs = section(plain.html, 'runs');
    expect(runs).toContain('https://gitlab.example.com/g/p/-/jobs/29</td>');
    expect(runs).not.toMatch(/href="https/);
  });
});
