/**
 * A metric over the runs of a history (`report --history`): one point per run, the level of the
 * series between change points (E-Divisive, src/history/), a rule at each change point with the
 * size of the shift, and the baseline band: the middle half (first to third quartile) of the
 * runs `check --history` compares the latest ones with.
 *
 * x is the time each run was stored, or the runs in order labelled by commit. Each point links to
 * its run's row in the page's table of runs (an anchor inside the page: the report loads and
 * links to nothing outside it), with a tooltip naming the run.
 */
import type { Band, HistoryWindow } from '../../history/window.js';
import type { Shifts } from '../../history/shifts.js';
import { numberCell, textCell, type ChartBlock, type MarkLinks } from '../document-model.js';
import { shortCommit } from '../../run/provenance.js';
import { signedPercent } from '../../text/numbers.js';
import { GREY, MEASURED_COLOUR, PREDICTED_COLOUR } from './palette.js';
import { chartSpec, WIDE, type VegaLiteSpec } from './theme.js';

export type TrendAxis = 'time' | 'commit';

export interface TrendPoint {
  /** 1-based position of the run in the history (the `#` of the page). */
  position: number;
  runId: string;
  /** When the run was stored, ISO 8601 UTC. */
  time: string;
  commit: string | null;
  branch: string | null;
  value: number;
  /** The id of the run's row in the page. */
  anchor: string;
}

export interface TrendInput {
  metric: string;
  /** Axis title: the metric and its unit. */
  axisTitle: string;
  /** A value as the commands print it. */
  format: (value: number) => string;
  x: TrendAxis;
  points: TrendPoint[];
  /** Change points, with positions into `points` (0-based). */
  shifts: Shifts;
  /** The baseline and candidate runs (positions into `points`), and the baseline's band. */
  window: HistoryWindow | null;
  band: Band | null;
}

/** Short commit for labels: 7 hex digits as git prints them; other commit texts as they are, cut. */
/** The x of a point on a commit axis: unique (the position), then the commit or the run id. */
function commitKey(p: TrendPoint): string {
  return `#${p.position} ${shortCommit(p.commit) ?? (p.runId.length > 16 ? `${p.runId.slice(0, 15)}…` : p.runId)}`;
}

export function trendChart(id: string, input: TrendInput): ChartBlock {
  const { points, shifts, window, band } = input;
  const key = input.x === 'commit' ? commitKey : (p: TrendPoint) => p.time;
  const segmentOf = (i: number) => shifts.segments.findIndex((s) => i >= s.start && i < s.end);
  const rows: Record<string, unknown>[] = points.map((p, i) => ({
    kind: 'point',
    x: key(p),
    value: p.value,
    level: shifts.segments[segmentOf(i)]?.median ?? null,
    segment: segmentOf(i),
    link: `link-${p.position}`,
  }));
  if (window && band) {
    for (let i = window.baseline[0]; i < window.candidate[1]; i++) rows.push({ kind: 'band', x: key(points[i]), low: band.low, high: band.high, median: band.median });
  }
  for (const s of shifts.shifts) {
    rows.push({ kind: 'shift', x: key(points[s.index]), text: s.relative === null ? input.format(s.change) : signedPercent(s.relative) });
  }

  const x =
    input.x === 'commit'
      ? { field: 'x', type: 'ordinal', scale: { domain: points.map(key) }, axis: { title: 'run and commit, oldest first', labelAngle: -60, labelOverlap: 'parity', labelLimit: 140 } }
      : { field: 'x', type: 'temporal', scale: { type: 'utc' }, axis: { title: 'stored at (UTC)', format: '%Y-%m-%d %H:%M', labelOverlap: true, tickCount: 8 } };
  const y = { field: 'value', type: 'quantitative', scale: { zero: false }, axis: { title: input.axisTitle, tickCount: 6 } };
  const only = (kind: string) => [{ filter: { field: 'kind', equal: kind } }];
  const layer: VegaLiteSpec[] = [];
  if (window && band) {
    layer.push(
      { transform: only('band'), mark: { type: 'area', color: MEASURED_COLOUR, opacity: 0.12 }, encoding: { x, y: { ...y, field: 'low' }, y2: { field: 'high' } } },
      { transform: only('band'), mark: { type: 'line', color: MEASURED_COLOUR, strokeDash: [4, 3], strokeWidth: 1 }, encoding: { x, y: { ...y, field: 'median' } } },
    );
  }
  layer.push(
    { transform: only('point'), mark: { type: 'line', color: GREY, strokeWidth: 1 }, encoding: { x, y } },
    {
      transform: only('point'),
      mark: { type: 'line', color: PREDICTED_COLOUR, strokeWidth: 2.5 },
      encoding: { x, y: { ...y, field: 'level' }, detail: { field: 'segment', type: 'nominal' } },
    },
    {
      transform: only('point'),
      // aria and a description on this mark only: they tag each point's path with its link key,
      // which render/links.ts turns into a link to the run's row.
      mark: { type: 'point', filled: true, size: 36, color: MEASURED_COLOUR, opacity: 1, aria: true },
      encoding: { x, y, description: { field: 'link' } },
    },
  );
  if (shifts.shifts.length > 0) {
    layer.push(
      { transform: only('shift'), mark: { type: 'rule', color: '#D55E00', strokeWidth: 1.5, strokeDash: [6, 3] }, encoding: { x } },
      { transform: only('shift'), mark: { type: 'text', color: '#D55E00', align: 'left', dx: 4, dy: 2, baseline: 'top', fontSize: 11, fontWeight: 600, y: 0 }, encoding: { x, text: { field: 'text' } } },
    );
  }
  const title = `${input.metric} over ${points.length} run${points.length === 1 ? '' : 's'}`;
  const parts: VegaLiteSpec = { width: WIDE, height: 240, data: { values: rows }, layer };

  const links: MarkLinks = {};
  for (const p of points) {
    const where = [p.commit ? `commit ${shortCommit(p.commit)}` : null, p.branch ? `on ${p.branch}` : null].filter(Boolean).join(' ');
    links[`link-${p.position}`] = { anchor: p.anchor, title: `#${p.position} ${p.runId}${where ? ` (${where})` : ''}: ${input.format(p.value)}` };
  }

  const run = (index: number) => points[index];
  return {
    kind: 'chart',
    id,
    title,
    read: [
      'Blue points: the runs (each links to its row in the table of runs); orange lines: the median between change points; dashed red rules: change points, with the shift of the median',
      window && band ? `; blue band: the middle half of the ${window.baseline[1] - window.baseline[0]} runs the latest ${window.candidate[1] - window.candidate[0]} are checked against, dashed line its median.` : '.',
    ],
    spec: chartSpec(title, parts),
    links,
    table: {
      caption: `Change points of ${input.metric} (E-Divisive means, alpha ${shifts.options.alpha}, ${shifts.options.permutations} permutations, segments of at least ${shifts.options.minSize} runs)`,
      columns: [
        { header: 'from run' },
        { header: 'run id' },
        { header: 'commit' },
        { header: 'median before', numeric: true },
        { header: 'median after', numeric: true },
        { header: 'change', numeric: true },
        { header: 'p', numeric: true },
      ],
      rows: shifts.shifts.map((s) => [
        { text: `#${run(s.index).position}`, link: run(s.index).anchor },
        textCell(run(s.index).runId),
        textCell(shortCommit(run(s.index).commit)),
        numberCell(s.before.median, input.format),
        numberCell(s.after.median, input.format),
        s.relative === null ? numberCell(s.change, input.format) : numberCell(s.relative, signedPercent),
        numberCell(s.p, (v) => String(Number(v.toPrecision(2)))),
      ]),
      empty: `no change point in ${points.length} runs`,
    },
    layout: 'wide',
  };
}
