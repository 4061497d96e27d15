/**
 * The degree-of-asynchronicity sweep (model/sweep.ts): improvement of asynchronous over
 * level-by-level execution against the degree of asynchronicity, for the family of workflows
 * between a chain of levels and the workflow's own DAG; the measured run as a point beside it.
 */
import type { SweepPoint } from '../../model/sweep.js';
import { decimal, percent, seconds } from '../../text/numbers.js';
import { numberCell, textCell, type ChartBlock } from '../document-model.js';
import { MEASURED_COLOUR, PREDICTED_COLOUR } from './palette.js';
import { chartSpec, WIDE, type VegaLiteSpec } from './theme.js';

export function sweepChart(id: string, title: string, points: readonly SweepPoint[], measured: { label: string; doa: number | null; improvement: number } | null): ChartBlock {
  const family = points.filter((p) => p.doa !== null).map((p) => ({ doa: p.doa, improvement: p.improvement, source: 'model: the family' }));
  const layers: VegaLiteSpec[] = [
    {
      data: { values: family },
      mark: { type: 'line', point: true, interpolate: 'linear' },
      encoding: {
        x: { field: 'doa', type: 'quantitative', scale: { zero: false, nice: false, padding: 12 }, axis: { title: 'degree of asynchronicity (doa of the asynchronous execution)' } },
        y: { field: 'improvement', type: 'quantitative', axis: { title: 'improvement (1 - async / sync)', format: '.0%' } },
        color: { field: 'source', type: 'nominal', scale: { domain: ['model: the family', 'measured'], range: [PREDICTED_COLOUR, MEASURED_COLOUR] }, legend: { title: null, orient: 'top', direction: 'horizontal' } },
      },
    },
  ];
  if (measured && measured.doa !== null) {
    layers.push({
      data: { values: [{ doa: measured.doa, improvement: measured.improvement, source: 'measured' }] },
      mark: { type: 'point', shape: 'diamond', size: 120, filled: true },
      encoding: { x: { field: 'doa', type: 'quantitative' }, y: { field: 'improvement', type: 'quantitative' }, color: { field: 'source', type: 'nominal' } },
    });
  }
  const parts: VegaLiteSpec = { width: WIDE - 300, height: 200, layer: layers };
  return {
    kind: 'chart',
    id,
    title,
    read: [
      'Each point is one workflow of the family: the same stages and machine, from a chain of levels (left: every stage waits for the whole level before it) to the workflow itself (right), simulated level by level and asynchronously. The diamond is the measured pair: the asynchronous run\'s doa and its improvement over the synchronous run.',
    ],
    spec: chartSpec(title, parts),
    table: {
      caption: 'Members of the family (barrier edges kept), simulated; then the measured pair',
      columns: [{ header: 'member' }, { header: 'doa', numeric: true }, { header: 'sync (s)', numeric: true }, { header: 'async (s)', numeric: true }, { header: 'improvement', numeric: true }],
      rows: [
        ...points.map((p) => [textCell(`${p.kept} kept`), numberCell(p.doa, (v) => decimal(v)), numberCell(p.syncS, seconds), numberCell(p.asyncS, seconds), numberCell(p.improvement, (v) => percent(v))]),
        ...(measured ? [[textCell(`measured: ${measured.label}`), numberCell(measured.doa, (v) => decimal(v)), textCell('-'), textCell('-'), numberCell(measured.improvement, (v) => percent(v))]] : []),
      ],
    },
    layout: 'side',
  };
}

/** A member of the family as `sweep --measure` ran it: the model's point and the measured one. */
export interface MeasuredSweepPoint {
  point: SweepPoint;
  /** The stored asynchronous run's label, or the member in words when the runs were not kept. */
  label: string;
  doa: number | null;
  improvement: number | null;
}

const MODEL = 'model: the family';
const RAN = 'measured on this machine';

/**
 * The family's curve (simulated) with each member as it ran for real (`sweep --measure`): a
 * measured point per member, joined to its simulated point by a thin rule so that the distance
 * between model and machine shows for each member.
 */
export function measuredSweepChart(id: string, title: string, points: readonly SweepPoint[], measured: readonly MeasuredSweepPoint[]): ChartBlock {
  const curve = points.filter((p) => p.doa !== null).map((p) => ({ doa: p.doa, improvement: p.improvement, source: MODEL }));
  const ran = measured.filter((m) => m.doa !== null && m.improvement !== null);
  const x = { field: 'doa', type: 'quantitative' };
  const y = { field: 'improvement', type: 'quantitative' };
  const layers: VegaLiteSpec[] = [
    {
      data: { values: ran.filter((m) => m.point.doa !== null).map((m) => ({ doa: m.point.doa, improvement: m.point.improvement, doa2: m.doa, improvement2: m.improvement })) },
      mark: { type: 'rule', color: '#bbbbbb', strokeWidth: 1 },
      encoding: { x, y, x2: { field: 'doa2' }, y2: { field: 'improvement2' } },
    },
    {
      data: { values: curve },
      mark: { type: 'line', point: true, interpolate: 'linear' },
      encoding: {
        x: { ...x, scale: { zero: false, nice: false, padding: 12 }, axis: { title: 'degree of asynchronicity (doa of the asynchronous execution)' } },
        y: { ...y, axis: { title: 'improvement (1 - async / sync)', format: '.0%' } },
        color: { field: 'source', type: 'nominal', scale: { domain: [MODEL, RAN], range: [PREDICTED_COLOUR, MEASURED_COLOUR] }, legend: { title: null, orient: 'top', direction: 'horizontal' } },
      },
    },
    {
      data: { values: ran.map((m) => ({ doa: m.doa, improvement: m.improvement, source: RAN })) },
      mark: { type: 'point', shape: 'diamond', size: 110, filled: true },
      encoding: { x, y, color: { field: 'source', type: 'nominal' } },
    },
  ];
  return {
    kind: 'chart',
    id,
    title,
    read: [
      'The line is the family simulated (left: a chain of levels, right: the workflow itself); each diamond is one member run for real on this machine, level by level and then asynchronously: the asynchronous run\'s measured doa and its measured improvement over the synchronous run, joined by a grey rule to the point the model predicts for it.',
    ],
    spec: chartSpec(title, { width: WIDE - 360, height: 220, layer: layers }),
    table: {
      caption: 'Members of the family: predicted (simulated) and measured',
      columns: [
        { header: 'member' },
        { header: 'doa predicted', numeric: true },
        { header: 'doa measured', numeric: true },
        { header: 'improvement predicted', numeric: true },
        { header: 'improvement measured', numeric: true },
      ],
      rows: measured.map((m) => [
        textCell(m.label),
        numberCell(m.point.doa, (v) => decimal(v)),
        numberCell(m.doa, (v) => decimal(v)),
        numberCell(m.point.improvement, (v) => percent(v)),
        numberCell(m.improvement, (v) => percent(v)),
      ]),
    },
    layout: 'side',
  };
}
