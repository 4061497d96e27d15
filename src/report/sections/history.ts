/**
 * The trend page as a document: a summary (per metric, the change points found and where the
 * latest runs stand against the baseline band), one section per metric with its trend chart and
 * change points, the table of runs every point links to, and definitions.
 */
import { shortCommit } from '../../run/provenance.js';
import { trendChart, type TrendPoint } from '../charts/trend-chart.js';
import { numberCell, textCell, type Block, type Cell, type Inline, type ReportDocument, type Section } from '../document-model.js';
import { signedPercent } from '../../text/numbers.js';
import type { HistoryMetric, HistoryReportData } from '../history-data.js';
import type { ReportMeta } from './all-sections.js';

/** The anchor of run i (0-based) in the table of runs: what chart points and change points link to. */
export const historyRunAnchor = (i: number) => `run-${i + 1}`;
const metricAnchor = (i: number) => `metric-${i + 1}`;

export function historyDocument(data: HistoryReportData, meta: ReportMeta): ReportDocument {
  const sections: Section[] = [
    summary(data),
    ...data.metrics.map((m, i) => metricSection(data, m, i)),
    runsSection(data),
    definitions(data),
  ];
  const filters = data.filters.length > 0 ? `, ${data.filters.join(', ')}` : '';
  const span = data.runs.length > 0 ? `, stored ${day(data.runs[0].storedAt)} to ${day(data.runs[data.runs.length - 1].storedAt)}` : '';
  return {
    title: `History of ${data.label}`,
    subtitle: `asyncscope report --history: ${data.runs.length} run${data.runs.length === 1 ? '' : 's'}${filters}${span}; ${data.metrics.map((m) => m.metric).join(', ')}`,
    sections,
    footer: `Made by asyncscope ${meta.version} on ${meta.generatedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC. Change points by E-Divisive means; figures as asyncscope history gives them.`,
  };
}

function summary(data: HistoryReportData): Section {
  const blocks: Block[] = [];
  if (data.runs.length === 0) blocks.push({ kind: 'text', parts: ['No run matches.'], tone: 'note' });
  for (const [i, m] of data.metrics.entries()) blocks.push({ kind: 'text', parts: headline(data, m, i) });
  return { id: 'summary', title: 'Summary', blocks, subsections: [] };
}

/** `makespan_s: 1 change point in 30 runs: +10.2% from run #21 (commit 1f2a901, p = 0.005). The latest 3 runs are above the baseline band.` */
function headline(data: HistoryReportData, m: HistoryMetric, i: number): Inline[] {
  const n = m.measured.length;
  const parts: Inline[] = [{ anchor: metricAnchor(i), text: m.metric }, ': '];
  if (m.shifts.shifts.length === 0) parts.push(`no change point in ${n} run${n === 1 ? '' : 's'}`);
  else {
    parts.push(`${m.shifts.shifts.length} change point${m.shifts.shifts.length === 1 ? '' : 's'} in ${n} runs: `);
    m.shifts.shifts.forEach((s, k) => {
      if (k > 0) parts.push('; ');
      const run = m.positions[s.index];
      const commit = shortCommit(data.runs[run].commit);
      parts.push({ strong: s.relative === null ? m.format(s.change) : signedPercent(s.relative) }, ' from ', { anchor: historyRunAnchor(run), text: `run #${run + 1}` });
      parts.push(` (${commit ? `commit ${commit}, ` : ''}p = ${pText(s.p)})`);
    });
  }
  const standing = latestAgainstBand(m);
  parts.push(standing ? `. ${standing}.` : '.');
  return parts;
}

/** Where the candidate runs' median stands against the band: above, below or inside. */
function latestAgainstBand(m: HistoryMetric): string | null {
  if (!m.window || !m.band) return null;
  const [start, end] = m.window.candidate;
  const latest = m.measured.slice(start, end).sort((a, b) => a - b);
  if (latest.length === 0) return null;
  const mid = latest.length % 2 === 1 ? latest[(latest.length - 1) / 2] : (latest[latest.length / 2 - 1] + latest[latest.length / 2]) / 2;
  const runs = latest.length === 1 ? 'The latest run' : `The latest ${latest.length} runs (median)`;
  const where = mid > m.band.high ? 'above' : mid < m.band.low ? 'below' : 'inside';
  return `${runs}: ${m.format(mid)}, ${where} the baseline band ${m.format(m.band.low)} to ${m.format(m.band.high)}`;
}

function metricSection(data: HistoryReportData, m: HistoryMetric, i: number): Section {
  const points: TrendPoint[] = m.positions.map((run, k) => {
    const r = data.runs[run];
    return { position: run + 1, runId: r.id, time: r.storedAt, commit: r.commit, branch: r.branch, value: m.measured[k], anchor: historyRunAnchor(run) };
  });
  const blocks: Block[] = [];
  if (points.length === 0) blocks.push({ kind: 'text', parts: [`No run of the history measured ${m.metric}.`], tone: 'note' });
  else {
    blocks.push(trendChart(`trend-${i + 1}`, { metric: m.metric, axisTitle: m.axisTitle, format: m.format, x: data.x, points, shifts: m.shifts, window: m.window, band: m.band }));
  }
  if (m.unmeasured.length > 0) {
    const shown = m.unmeasured.slice(0, 5).map((u) => `#${u.run + 1} ${data.runs[u.run].id} (${u.reason})`);
    blocks.push({ kind: 'text', tone: 'note', parts: [`${m.unmeasured.length} run(s) did not measure ${m.metric} and are left out: ${shown.join('; ')}${m.unmeasured.length > 5 ? '; ...' : ''}.`] });
  }
  return { id: metricAnchor(i), title: m.metric, blocks, subsections: [] };
}

function runsSection(data: HistoryReportData): Section {
  const rows: Cell[][] = data.runs.map((r, i) => [
    textCell(`#${i + 1}`),
    textCell(r.id),
    textCell(r.storedAt.slice(0, 16).replace('T', ' ')),
    textCell(shortCommit(r.commit)),
    textCell(r.commitTitle),
    textCell(r.branch),
    textCell(r.ci),
    textCell(r.jobUrl),
    textCell(r.host),
    ...data.metrics.map((m) => numberCell(m.values[i], m.format)),
  ]);
  return {
    id: 'runs',
    title: 'The runs',
    blocks: [
      {
        kind: 'text',
        parts: [
          'In the order they were stored, oldest first. The job URL is text, not a link: the page opens nothing outside itself. ',
          'Each run has a report of its own: asyncscope report RUN_ID --out FILE.',
        ],
      },
      {
        kind: 'table',
        table: {
          caption: `Runs of ${data.label}`,
          columns: [
            { header: '#' },
            { header: 'run id' },
            { header: 'stored (UTC)' },
            { header: 'commit' },
            { header: 'commit title' },
            { header: 'branch' },
            { header: 'CI' },
            { header: 'job' },
            { header: 'host' },
            ...data.metrics.map((m) => ({ header: m.metric, numeric: true })),
          ],
          rows,
          rowIds: data.runs.map((_, i) => historyRunAnchor(i)),
          limit: data.runs.length,
          empty: 'no runs',
        },
      },
    ],
    subsections: [],
  };
}

function definitions(data: HistoryReportData): Section {
  const options = data.metrics[0]?.shifts.options;
  return {
    id: 'definitions',
    title: 'Definitions',
    blocks: [
      {
        kind: 'definitions',
        items: [
          {
            id: 'def-change-point',
            term: 'Change point',
            text: [
              'A run from which on the series behaves differently from before, found by E-Divisive means (Matteson and James 2014, as MongoDB and Apache Otava use it): the split that makes the two sides most different by their energy distance, kept when a permutation test finds it significant',
              options ? ` (alpha ${options.alpha}, ${options.permutations} permutations, at least ${options.minSize} runs on each side)` : '',
              '; then each side is split again. The shift is the change of the median from the segment before to the segment after.',
            ],
          },
          {
            id: 'def-band',
            term: 'Baseline band',
            text: [
              `The middle half (first to third quartile) of the ${data.window} runs before the latest ${data.repeats}: what asyncscope check --history --window ${data.window}${data.repeats > 1 ? ` --repeats ${data.repeats}` : ''} compares the latest runs with. The dashed line is its median.`,
            ],
          },
          { id: 'def-order', term: 'Order', text: ['Runs in the order they were stored (ingested), as LABEL@latest counts them. In CI that is the order the jobs ran.'] },
        ],
      },
    ],
    subsections: [],
  };
}

function day(iso: string): string {
  return iso.slice(0, 10);
}

function pText(p: number): string {
  return String(Number(p.toPrecision(2)));
}
