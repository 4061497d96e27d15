/**
 * What if the workflow had other node counts: the model's synchronous and asynchronous makespans
 * (top) and the improvement of async over sync (bottom) against the number of nodes, from the
 * calibrated asynchronous structure (model/whatif.ts). The run's own node count is marked.
 */
import type { WhatIfPoint } from '../../model/whatif.js';
import { decimal, percent, seconds } from '../../text/numbers.js';
import { numberCell, type ChartBlock } from '../document-model.js';
import { MEASURED_COLOUR, OKABE_ITO, PREDICTED_COLOUR } from './palette.js';
import { chartSpec, WIDE, type VegaLiteSpec } from './theme.js';

export function whatifChart(id: string, title: string, points: readonly WhatIfPoint[], ownNodes: number): ChartBlock {
  const feasible = points.filter((p) => p.asyncS !== null);
  const makespans = feasible.flatMap((p) => [
    { nodes: p.nodes, mode: 'level by level (sync)', seconds: p.syncS },
    { nodes: p.nodes, mode: 'asynchronous', seconds: p.asyncS },
  ]);
  const gains = feasible.map((p) => ({ nodes: p.nodes, improvement: p.improvement }));
  const x = { field: 'nodes', type: 'quantitative', scale: { zero: false, nice: false }, axis: { title: 'nodes', tickMinStep: 1 } };
  const own = { mark: { type: 'rule', strokeDash: [4, 3], color: '#888' }, data: { values: [{ nodes: ownNodes }] }, encoding: { x: { field: 'nodes', type: 'quantitative' } } };
  const spec: VegaLiteSpec = chartSpec(title, {
    vconcat: [
      {
        width: WIDE,
        height: 170,
        layer: [
          {
            data: { values: makespans },
            mark: { type: 'line', point: true },
            encoding: {
              x: { ...x, axis: { ...x.axis, title: null } },
              y: { field: 'seconds', type: 'quantitative', axis: { title: 'makespan (s)' } },
              color: { field: 'mode', type: 'nominal', scale: { domain: ['level by level (sync)', 'asynchronous'], range: [MEASURED_COLOUR, PREDICTED_COLOUR] }, legend: { title: null, orient: 'top', direction: 'horizontal' } },
            },
          },
          own,
        ],
      },
      {
        width: WIDE,
        height: 110,
        layer: [
          {
            data: { values: gains },
            mark: { type: 'line', point: true, color: OKABE_ITO[2] },
            encoding: { x, y: { field: 'improvement', type: 'quantitative', axis: { title: 'improvement', format: '.0%' } } },
          },
          own,
        ],
      },
    ],
    spacing: 12,
  });
  return {
    kind: 'chart',
    id,
    title,
    read: [
      `The model's makespans of the asynchronous structure (calibrated on the synchronous run) on other node counts of the same node (dashed: the run's ${ownNodes}), and the improvement 1 - async / sync. Node-hours (nodes x async makespan) are in the table. The same grid, and more: asyncscope whatif.`,
    ],
    spec,
    table: {
      caption: 'Predicted makespans in seconds, improvement, and node-hours of the asynchronous execution',
      columns: [
        { header: 'nodes', numeric: true },
        { header: 'cores/node', numeric: true },
        { header: 'GPUs/node', numeric: true },
        { header: 'sync (s)', numeric: true },
        { header: 'async (s)', numeric: true },
        { header: 'improvement', numeric: true },
        { header: 'node-hours', numeric: true },
      ],
      rows: points.map((p) => [
        numberCell(p.nodes, (v) => decimal(v)),
        numberCell(p.coresPerNode, (v) => decimal(v)),
        numberCell(p.gpusPerNode, (v) => decimal(v)),
        numberCell(p.syncS, seconds),
        numberCell(p.asyncS, seconds),
        numberCell(p.improvement, (v) => percent(v)),
        numberCell(p.nodeHours, (v) => decimal(v, 2)),
      ]),
    },
    layout: 'wide',
  };
}
