/**
 * Overlap heat map: for every pair of groups, how much of the shorter one's busy time it ran
 * beside the other (the analyzer's `overlap[].fraction`). A synchronous run is a pale grid; an
 * asynchronous one lights up where stages ran side by side.
 *
 *            T0    T1T2  T3T6
 *   T0       .     0     0
 *   T1T2     0     .     0
 *   T3T6     0     0     .      (DG2 sync by type: nothing overlaps)
 */
import { decimal, percent, seconds } from '../../text/numbers.js';
import { numberCell, textCell, type ChartBlock, type TextBlock } from '../document-model.js';
import type { RunReport } from '../report-data.js';
import { SEQUENTIAL_SCHEME } from './palette.js';
import { chartSpec, type VegaLiteSpec } from './theme.js';

/** Groups drawn at most (the first, by first start); the table lists every overlapping pair. */
export const HEATMAP_MAX_GROUPS = 20;
const CELL = 40;

export function overlapChart(id: string, report: RunReport, groupNoun: string): ChartBlock | TextBlock | null {
  const { groups, overlap } = report.analysis;
  if (groups.length === 0) return null;
  if (groups.length < 2) return { kind: 'text', tone: 'note', parts: [`Overlap: ${report.run.label} has a single ${groupNoun}, so nothing can overlap.`] };
  const shown = groups.slice(0, HEATMAP_MAX_GROUPS).map((g) => g.name);
  const index = new Map(shown.map((name, i) => [name, i]));
  const fraction = new Map<string, number>();
  for (const pair of overlap) {
    if (index.has(pair.a) && index.has(pair.b)) {
      fraction.set(`${index.get(pair.a)} ${index.get(pair.b)}`, pair.fraction);
      fraction.set(`${index.get(pair.b)} ${index.get(pair.a)}`, pair.fraction);
    }
  }
  const cells: { a: string; b: string; fraction: number | null; text: string; ink: string }[] = [];
  shown.forEach((a, i) =>
    shown.forEach((b, j) => {
      if (i === j) return;
      const f = fraction.get(`${i} ${j}`) ?? 0;
      cells.push({ a, b, fraction: f > 0 ? f : null, text: f > 0 ? (percent(f, 0) ?? '') : '0', ink: f > 0.45 ? '#ffffff' : '#1a1a1a' });
    }),
  );
  const title = `Overlap: ${report.run.label}`;
  const size = CELL * shown.length;
  const x = { field: 'b', type: 'nominal', scale: { domain: shown }, axis: { title: groupNoun, labelAngle: -40, labelLimit: 150 } };
  const y = { field: 'a', type: 'nominal', scale: { domain: shown }, axis: { title: groupNoun, labelLimit: 170 } };
  const parts: VegaLiteSpec = {
    width: size,
    height: size,
    data: { values: cells },
    layer: [
      {
        mark: { type: 'rect', stroke: 'white', strokeWidth: 1 },
        encoding: {
          x,
          y,
          color: {
            field: 'fraction',
            type: 'quantitative',
            scale: { scheme: SEQUENTIAL_SCHEME, reverse: true, domain: [0, 1] },
            legend: { title: ['share of the shorter', `${groupNoun}'s busy time`], format: '.0%', orient: 'bottom', direction: 'horizontal', gradientLength: Math.max(120, Math.min(size, 220)) },
          },
        },
      },
      { transform: [{ filter: { field: 'fraction', valid: false } }], mark: { type: 'rect', fill: '#f2f2f2', stroke: 'white', strokeWidth: 1 }, encoding: { x, y } },
      // Text ink by the cell's darkness, as a literal colour (fill, not color: a layer with an unscaled color channel breaks vega-lite's scale merging).
      { mark: { type: 'text', fontSize: 11 }, encoding: { x, y, text: { field: 'text' }, fill: { field: 'ink', type: 'nominal', scale: null, legend: null } } },
    ],
  };
  const hidden = groups.length - shown.length;
  return {
    kind: 'chart',
    id,
    title,
    read: [
      `Each cell is the time two ${groupNoun}s ran at once, as a share of the busy time of the shorter of the two (100%: it ran entirely beside the other). Grey cells: never at the same time.`,
      hidden > 0 ? ` The first ${HEATMAP_MAX_GROUPS} of ${groups.length} ${groupNoun}s are drawn; the table lists every pair that overlapped.` : '',
    ],
    spec: chartSpec(title, parts),
    table: {
      caption: `Pairs of ${groupNoun}s that ran at the same time`,
      empty: `none: no two ${groupNoun}s ran at the same time`,
      columns: [{ header: 'a' }, { header: 'b' }, { header: 'together (s)', numeric: true }, { header: 'share of shorter', numeric: true }],
      rows: overlap.map((p) => [textCell(p.a), textCell(p.b), numberCell(p.seconds, seconds), numberCell(p.fraction, (v) => decimal(v))]),
    },
    layout: 'side',
  };
}
