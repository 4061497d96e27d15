#!/usr/bin/env node
/**
 * A report in a real browser (run after `asyncscope demo`; not part of vitest):
 *
 *   node test/browser/report-in-browser.mjs [reports/demo.html] [--charts N]
 *
 * Any report works (the demo's, a trend page of `report --history`): without --charts a demo
 * report must show 5 charts per run and 3 per comparison, and another report every chart it has a
 * figure for.
 * Headless Chromium (the Debian package at /usr/bin/chromium, never a downloaded browser), a fresh
 * profile, the report opened from its file. Every network request is intercepted: the report file
 * itself is let through, anything else is logged and blocked, and fails the test, as does any
 * console error (a Content-Security-Policy violation is one), any page error, or fewer SVG charts
 * than expected, any chart without a visible size, any text cut off or behind a scroll bar, and
 * any link to an anchor the page lacks. A page
 * whose chart marks are links (the trend page: each point links to its run) has a point clicked,
 * which must scroll to the run's row. Saves REPORT.png (the whole page) and for the demo
 * reports/demo-top.png (the summary and the first comparison's makespans, for the README).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const chartsAt = args.indexOf('--charts');
const chartsWanted = chartsAt >= 0 ? Number(args.splice(chartsAt, 2)[1]) : null;
const report = path.resolve(args[0] ?? path.join(ROOT, 'reports', 'demo.html'));
const outDir = path.dirname(report);
const isDemo = path.basename(report) === 'demo.html';
const WIDTH = 1200;

const problems = [];
const log = (line) => process.stdout.write(`${line}\n`);

if (!fs.existsSync(report)) {
  log(`report-in-browser: ${report} does not exist: run ./bin/run.js demo first`);
  process.exit(1);
}
const url = pathToFileURL(report).href;
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'asyncscope-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: WIDTH, height: 1000 },
  offline: true,
});
try {
  // Every request the page makes: through the route (which blocks all but the report itself), or
  // seen only as an event when the browser stopped it earlier (the report's Content-Security-Policy).
  const requests = new Set();
  await context.route('**/*', (route) => {
    const requested = route.request().url();
    requests.add(requested);
    if (requested === url) return route.continue();
    log(`  blocked: ${requested}`);
    return route.abort('blockedbyclient');
  });
  context.on('request', (request) => requests.add(request.url()));
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));

  await page.goto(url, { waitUntil: 'load' });
  const facts = await page.evaluate(() => {
    const charts = [...document.querySelectorAll('figure.chart svg')];
    const ids = new Set([...document.querySelectorAll('[id]')].map((e) => e.id));
    const anchors = [...document.querySelectorAll('a')].map((a) => a.getAttribute('href') ?? a.getAttribute('xlink:href') ?? '');
    return {
      title: document.title,
      figures: document.querySelectorAll('figure.chart').length,
      charts: charts.length,
      brokenLinks: anchors.filter((href) => !(href.startsWith('#') && ids.has(href.slice(1)))),
      chartLinks: document.querySelectorAll('figure.chart svg a').length,
      empty: charts.filter((svg) => {
        const box = svg.getBoundingClientRect();
        return !(box.width > 50 && box.height > 20);
      }).length,
      scripts: document.querySelectorAll('script').length,
      headlines: [...document.querySelectorAll('p.headline')].map((p) => p.textContent.trim()),
      height: document.documentElement.scrollHeight,
      overflowing: document.documentElement.scrollWidth > window.innerWidth,
      // Text cut off or hidden behind a scroll bar (a long run id in a table, issue 13 point 14):
      // any element whose content is wider than its box where it does not let the content show.
      clipped: [...document.body.querySelectorAll('*')]
        .filter((e) => getComputedStyle(e).overflowX !== 'visible' && e.scrollWidth > e.clientWidth + 1)
        .map((e) => `<${e.tagName.toLowerCase()}${e.id ? ` id=${e.id}` : ''}${e.className && typeof e.className === 'string' ? ` class=${e.className}` : ''}> ${e.scrollWidth} px of content in ${e.clientWidth} px`),
    };
  });
  log(`opened ${url}`);
  log(`  title: ${facts.title}`);
  log(`  charts: ${facts.charts} SVG (${chartsWanted ?? facts.figures} expected), ${facts.empty} without a visible size`);
  log(`  page: ${WIDTH} x ${facts.height} px${facts.overflowing ? ', wider than the window' : ''}`);
  for (const headline of facts.headlines.slice(0, 2)) log(`  ${headline}`);
  const others = [...requests].filter((r) => r !== url);
  log(`  requests: ${requests.size} (${others.length} other than the report)`);
  for (const other of others) problems.push(`the report requested ${other} (blocked)`);
  // Every chart the report declares (a figure.chart) must be drawn; which charts a report holds (a
  // run with one task type has no overlap chart) is what test/commands/demo*.test.ts check.
  const expected = chartsWanted ?? facts.figures;
  if (facts.charts < expected || facts.charts === 0) problems.push(`only ${facts.charts} SVG charts, expected ${expected}`);
  for (const href of facts.brokenLinks.slice(0, 5)) problems.push(`a link to ${JSON.stringify(href)}, which is no anchor in the page`);
  if (facts.chartLinks > 0) {
    // Click the last point of the first chart: the page must scroll its run's row into view, and stay the same file.
    const point = page.locator('figure.chart svg a').last();
    const target = (await point.getAttribute('href')) ?? '';
    await point.click();
    const landed = await page.evaluate((id) => {
      const row = document.getElementById(id.slice(1));
      const box = row?.getBoundingClientRect();
      return { hash: location.hash, visible: !!box && box.top >= 0 && box.top < window.innerHeight };
    }, target);
    log(`  chart links: ${facts.chartLinks}; clicking one went to ${landed.hash} (${landed.visible ? 'in view' : 'NOT in view'})`);
    if (landed.hash !== target || !landed.visible) problems.push(`clicking a chart point linking to ${target} went to ${JSON.stringify(landed.hash)}${landed.visible ? '' : ', its row out of view'}`);
  }
  if (facts.empty > 0) problems.push(`${facts.empty} chart(s) drawn without a visible size`);
  if (facts.scripts > 0) problems.push(`${facts.scripts} script element(s) in the report`);
  if (facts.overflowing) problems.push('the page is wider than a 1200 px window');
  for (const clipped of facts.clipped.slice(0, 5)) problems.push(`content cut off or behind a scroll bar: ${clipped}`);

  const full = path.join(outDir, `${path.basename(report, '.html')}.png`);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: full, fullPage: true });
  const shots = [full];
  if (isDemo) {
    // For the README: from the title to the end of the first comparison's makespan chart.
    const top = path.join(outDir, 'demo-top.png');
    const topHeight = await page.evaluate(() => {
      const chart = document.getElementById('pair-1-makespans') ?? document.querySelector('figure.chart');
      return chart ? Math.ceil(chart.getBoundingClientRect().bottom + window.scrollY + 24) : 1600;
    });
    await page.screenshot({ path: top, fullPage: true, clip: { x: 0, y: 0, width: WIDTH, height: Math.min(topHeight, facts.height) } });
    shots.push(top);
  }
  log(`  screenshots: ${shots.map((s) => path.relative(process.cwd(), s)).join(', ')}`);
} finally {
  await context.close();
  fs.rmSync(profile, { recursive: true, force: true });
}

if (problems.length > 0) {
  for (const problem of problems) log(`FAIL: ${problem}`);
  process.exit(1);
}
log('ok: the report opens offline, loads nothing, logs no error');
