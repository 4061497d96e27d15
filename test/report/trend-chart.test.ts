/**
 * The trend chart of `report --history`: a 30-run history with a 10 % shift drawn with its change
 * point, band and links (each point a link to its run's row), on both x axes; hostile run ids,
 * commits and branches stay text; the SVG holds no link but to anchors in the page.
 */
import { describe, expect, it } from 'vitest';
import { findShifts } from '../../src/history/shifts.js';
import { bandOf, historyWindow } from '../../src/history/window.js';
import { shortCommit } from '../../src/run/provenance.js';
import { trendChart, type TrendPoint } from '../../src/report/charts/trend-chart.js';
import { checkSvg } from '../../src/report/render/clean-svg.js';
import { renderSvg } from '../../src/report/render/svg.js';
import { normalSampler } from '../helpers/random.js';

function history(hostile = false): TrendPoint[] {
  const draw = normalSampler(3);
  return Array.from({ length: 30 }, (_, i) => ({
    position: i + 1,
    runId: hostile && i === 20 ? '<script>alert(1)</script>' : `run-${i}`,
    time: new Date(Date.UTC(2026, 0, 1 + i, 12)).toISOString(),
    commit: hostile && i === 20 ? '"><img src=x onerror=alert(2)>' : (i * 7919).toString(16).padStart(40, 'a'),
    branch: hostile ? '</title><a href="https://evil.example">' : 'main',
    value: 160 * (i >= 20 ? 1.1 : 1) * (1 + 0.02 * draw(0, 1)),
    anchor: `run-${i + 1}`,
  }));
}

function input(points: TrendPoint[], x: 'time' | 'commit') {
  const values = points.map((p) => p.value);
  const shifts = findShifts(values);
  const window = historyWindow(points.length, 20, 3);
  return { metric: 'makespan_s', axisTitle: 'makespan (s)', format: (v: number) => v.toFixed(3), x, points, shifts, window, band: bandOf(values.slice(...window.baseline)) };
}

describe('trend chart', () => {
  for (const x of ['time', 'commit'] as const) {
    it(`draws the shift at run 21 with its size, the band and one link per point (x: ${x})`, async () => {
      const chart = trendChart('trend-1', input(history(), x));
      expect(chart.table.rows).toHaveLength(1);
      expect(chart.table.rows[0][0]).toEqual({ text: '#21', link: 'run-21' });
      expect(chart.table.rows[0][5].text).toMatch(/^\+(8|9|10|11|12)\.\d%$/);
      const { svg, warnings } = await renderSvg(chart.spec, chart.id, chart.title, chart.links);
      expect(warnings).toEqual([]);
      expect(svg.match(/<a href="#run-\d+">/g)).toHaveLength(30);
      expect(svg).toContain('<a href="#run-21"><title>#21 run-20 (commit ');
      expect(svg).toMatch(/<text[^>]*>\+(8|9|10|11|12)\.\d%<\/text>/);
      checkSvg(svg);
    });
  }

  it('keeps hostile ids, commits and branches as text, in the table and the tooltips', async () => {
    const chart = trendChart('trend-1', input(history(true), 'commit'));
    const { svg, warnings } = await renderSvg(chart.spec, chart.id, chart.title, chart.links);
    expect(warnings).toEqual([]);
    expect(svg).not.toMatch(/<script|<img|evil\.example"/);
    expect(svg).toContain('&lt;/title&gt;&lt;a href=&quot;https://evil.example&quot;&gt;');
    expect(svg).toContain('"&gt;&lt;img src=x on'); // the commit, cut, as an axis label
    expect(svg.match(/<a /g)).toHaveLength(30);
    checkSvg(svg);
  });

  it('draws a history without a change point, or of one run', async () => {
    const flat = history().map((p) => ({ ...p, value: 100 }));
    const chart = trendChart('trend-2', input(flat, 'time'));
    expect(chart.table.rows).toEqual([]);
    expect(chart.table.empty).toBe('no change point in 30 runs');
    expect((await renderSvg(chart.spec, chart.id, chart.title, chart.links)).warnings).toEqual([]);
    const one = trendChart('trend-3', input(history().slice(0, 1), 'commit'));
    expect((await renderSvg(one.spec, one.id, one.title, one.links)).svg.match(/<a /g)).toHaveLength(1);
  });
});

describe('links in charts', () => {
  it('refuses a link that leaves the page', () => {
    expect(() => checkSvg('<svg><a href="https://example.com"><path d="M0,0"/></a></svg>')).toThrow(/unexpected link/);
    expect(() => checkSvg('<svg><path href="#x" d="M0,0"/></svg>')).toThrow(/unexpected link/);
    expect(() => checkSvg('<svg><a xlink:href="#x"><path d="M0,0"/></a></svg>')).toThrow(/unexpected link/);
    expect(() => checkSvg('<svg><a href="#run-1"><title>t</title><path d="M0,0"/></a></svg>')).not.toThrow();
  });

  it('shortens commits as git does, and cuts other texts', () => {
    expect(shortCommit('1f2a90154a7e5c3b1b7ad05e8e2b5f7a41c3e0d9')).toBe('1f2a901');
    expect(shortCommit('release-candidate-2026-01')).toBe('release-candida…');
    expect(shortCommit(null)).toBeNull();
  });
});
