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
