/**
 * Everything a trace carries is untrusted. Task names, types, stages, labels and workflow names
 * made of markup (`<script>alert(1)</script>`, `<img src=x onerror=alert(1)>`) go through a whole
 * report (a synchronous/asynchronous pair, so the model's inferred stages too) and must come out
 * as text: escaped in the HTML, escaped in the SVG text vega draws, never as a tag.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReport, type BuiltReport } from '../../src/report/build-report.js';
import { gatherReport } from '../../src/report/gather.js';
import { checkSvg, cleanSvg } from '../../src/report/render/clean-svg.js';
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { tempDir } from '../helpers/cli.js';
import { decode, externalReferences, tables } from '../helpers/html.js';
import { ingestInto, memoryStore } from '../helpers/store.js';

const SCRIPT = '<script>alert(1)</script>';
const IMG = '<img src=x onerror=alert(1)>';
const STAGE = 's2 "quoted" & <b>bold</b> \u2028 ]]> <!-- x';
const work = tempDir('asyncscope-hostile-');
let store: SqliteStore;
let report: BuiltReport;
let byStage: BuiltReport;
const meta = { generatedAt: new Date(0), version: 'test' };

function csv(rows: string[][]): string {
  const quote = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return `${['id', 'name', 'type', 'stage', 'pipeline', 'start', 'end', 'cores', 'gpus'].join(',')}\n${rows.map((r) => r.map(quote).join(',')).join('\n')}\n`;
}

beforeAll(async () => {
  const sync = path.join(work, 'sync.csv');
  const async = path.join(work, 'async.csv');
  fs.writeFileSync(sync, csv([
    ['t1', SCRIPT, SCRIPT, 's1', 'p1', '0', '10', '2', '0'],
    ['t2', IMG, SCRIPT, 's1', 'p1', '0', '10', '2', '0'],
    ['t3', 'n3', IMG, STAGE, 'p1', '12', '20', '1', '1'],
    ['t4', 'n4', IMG, STAGE, 'p1', '12', '22', '1', '1'],
  ]));
  fs.writeFileSync(async, csv([
    ['t1', SCRIPT, SCRIPT, 's1', 'p1', '0', '10', '2', '0'],
    ['t2', IMG, SCRIPT, 's1', 'p1', '0', '10', '2', '0'],
    ['t3', 'n3', IMG, STAGE, IMG, '5', '13', '1', '1'],
    ['t4', 'n4', IMG, STAGE, IMG, '5', '15', '1', '1'],
  ]));
  store = memoryStore();
  const capacity = { nodes: 1, coresPerNode: 4, gpusPerNode: 2, cores: 4, gpus: 2 };
  const [s] = await ingestInto(store, [sync], { mode: 'sync', label: `<script>alert("sync")</script>`, workflow: IMG, capacity });
  const [a] = await ingestInto(store, [async], { mode: 'async', label: `<img src=y onerror=alert(3)>`, workflow: IMG, capacity });
  report = await buildReport(await gatherReport(store, { runs: [s, a], pairs: [{ sync: s, async: a }], by: 'type' }), meta);
  byStage = await buildReport(await gatherReport(store, { runs: [s, a], pairs: [], by: 'stage' }), meta);
}, 60_000);

afterAll(() => {
  store?.close();
  fs.rmSync(work, { recursive: true, force: true });
});

describe('hostile names in a report', () => {
  it('never become tags', () => {
    for (const built of [report, byStage]) {
      expect(built.html).not.toMatch(/<script/i);
      expect(built.html).not.toMatch(/<img/i);
      expect(built.html).not.toMatch(/<b>/);
      expect(built.html).not.toMatch(/<!-- x/);
      // no tag carries an event handler (the escaped names hold "onerror=" as text only)
      const attributes = (built.html.match(/<[a-z][^>]*>/gi) ?? []).flatMap((tag) =>
        [...tag.replace(/"[^"]*"/g, '""').matchAll(/\s([a-z:-]+)=/gi)].map((m) => m[1].toLowerCase()),
      );
      expect(attributes.filter((name) => name.startsWith('on'))).toEqual([]);
      expect(externalReferences(built.html)).toEqual([]);
      expect(built.renderWarnings).toEqual([]);
    }
  });

  it('show as text in the tables, headings and headline', () => {
    const html = report.html;
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('<h1>Asynchronous execution: &lt;img src=x onerror=alert(1)&gt;</h1>');
    expect(html).toContain('<h3>Run &lt;script&gt;alert(&quot;sync&quot;)&lt;/script&gt; (sync)</h3>');
    const types = tables(html).find((t) => t.caption.startsWith('Per task type: times'))!;
    expect(types.rows.map((r) => r.text[0])).toEqual([SCRIPT, IMG]);
    // the shell command to get the same figures quotes the labels
    expect(decode(html)).toContain(`asyncscope compare '<script>alert("sync")</script>' '<img src=y onerror=alert(3)>'`);
  });

  it('show as text in the SVG charts, which hold only drawing elements', () => {
    const svgs = report.html.match(/<svg[\s\S]*?<\/svg>/g)!;
    expect(svgs.length).toBe(report.charts);
    for (const svg of svgs) expect(() => checkSvg(svg)).not.toThrow();
    const texts = svgs.flatMap((svg) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => decode(m[1])));
    expect(texts).toContain(SCRIPT);
    expect(texts).toContain(IMG);
    // chart titles carry labels: also text
    expect(texts.some((t) => t.includes('<script>alert("sync")</script>'))).toBe(true);
    const byStageTexts = byStage.html.match(/<svg[\s\S]*?<\/svg>/g)!.flatMap((svg) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => decode(m[1])));
    expect(byStageTexts.some((t) => t.startsWith('p1/s2 "quoted" & <b>'))).toBe(true);
  });
});

describe('cleanSvg', () => {
  it('changes tags only, never the text a trace put between them', () => {
    const text = 'a class="b" x="1.23456" id="z" url(#q) d="M0,0h0v0h0Z"';
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" class="marks" width="10" height="10"><defs><clipPath id="clip1"><rect width="1.23456" height="2"/></clipPath></defs><g clip-path="url(#clip1)" role="graphics-object" aria-roledescription="x"><path d="M0,0h0v0h0Z"/><text x="1.23456">${text}</text></g></svg>`;
    const out = cleanSvg(svg, 'c1', 'Chart &amp; co');
    expect(out).toBe(
      `<svg role="img" aria-label="Chart &amp; co" focusable="false" xmlns="http://www.w3.org/2000/svg" width="10" height="10"><defs><clipPath id="c1-clip1"><rect width="1.23" height="2"/></clipPath></defs><g clip-path="url(#c1-clip1)"><text x="1.23">${text}</text></g></svg>`,
    );
  });
});

describe('checkSvg', () => {
  const wrap = (inner: string) => `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">${inner}</svg>`;
  it('accepts what vega draws', () => {
    expect(() => checkSvg(wrap('<g transform="translate(1,2)"><path d="M0,0h1Z" fill="#000"/><text x="1">a &lt;b&gt;</text></g>'))).not.toThrow();
  });
  it('rejects scripts, handlers, foreign content and outside references', () => {
    for (const bad of [
      '<script>alert(1)</script>',
      '<path onload="alert(1)" d="M0,0"/>',
      '<foreignObject><div/></foreignObject>',
      '<image href="http://example.com/x.png"/>',
      '<a href="javascript:alert(1)"><text>x</text></a>',
      '<rect fill="url(http://example.com/#g)" width="1" height="1"/>',
      '<path style="fill:url(http://example.com)" d="M0,0"/>',
    ]) {
      expect(() => checkSvg(wrap(bad)), bad).toThrow();
    }
    expect(() => checkSvg('<svg xmlns="http://evil.example/ns"></svg>')).toThrow(/namespace/);
  });
});
