/**
 * Concurrency over time: how many tasks ran at each moment, resampled to bins by the analyzers
 * (src/analysis/series.ts): the area is the time-weighted mean in each bin, the line its peak, so
 * a short burst stays visible however wide the bins.
 */
import { decimal, seconds } from '../../text/numbers.js';
import { numberCell, textCell, type ChartBlock } from '../document-model.js';
import type { RunReport } from '../report-data.js';
import { MEASURED_COLOUR, PREDICTED_COLOUR } from './palette.js';
import { binPoints, withoutRepeats } from './series-points.js';
import { chartSpec, TIME_AXIS_TITLE, WIDE, type VegaLiteSpec } from './theme.js';

const MEAN = 'mean in each bin';
const PEAK = 'peak in each bin';

export function concurrencyChart(id: string, report: RunReport): ChartBlock | null {
  const series = report.series;
  if (series === null) return null;
  const bins = series.concurrency.bins;
  const values = [
    ...withoutRepeats(binPoints(bins, 'mean')).map((p) => ({ ...p, series: MEAN })),
    ...withoutRepeats(binPoints(bins, 'max')).map((p) => ({ ...p, series: PEAK })),
  ];
  const title = `Tasks running over time: ${report.run.label}`;
  const x = { field: 't', type: 'quantitative', scale: { domain: [series.from, series.to], nice: false, zero: false }, axis: { title: TIME_AXIS_TITLE, tickCount: 10 } };
  const y = { field: 'value', type: 'quantitative', axis: { title: 'tasks running' } };
  const color = { field: 'series', type: 'nominal', scale: { domain: [MEAN, PEAK], range: [MEASURED_COLOUR, PREDICTED_COLOUR] }, legend: { title: null, orient: 'top', direction: 'horizontal' } };
  const parts: VegaLiteSpec = {
    width: WIDE,
    height: 180,
    data: { values },
    layer: [
      { transform: [{ filter: { field: 'series', equal: MEAN } }], mark: { type: 'area', interpolate: 'step-after', opacity: 0.55 }, encoding: { x, y, color } },
      { transform: [{ filter: { field: 'series', equal: PEAK } }], mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1 }, encoding: { x, y, color } },
    ],
  };
  const { max, mean } = report.analysis.concurrency;
  return {
    kind: 'chart',
    id,
    title,
    read: [`The area is the time-weighted mean number of tasks running in each of ${bins.mean.length} bins of ${seconds(bins.binWidth)} s; the line is the peak within each bin.`],
    spec: chartSpec(title, parts),
    table: {
      caption: 'Concurrency (tasks running at once)',
      columns: [{ header: 'figure' }, { header: 'value', numeric: true }],
      rows: [
        [textCell('maximum (tasks)'), numberCell(max, (v) => decimal(v))],
        [textCell('time-weighted mean (tasks)'), numberCell(mean, (v) => decimal(v, 3))],
        [textCell('bin width (s)'), numberCell(bins.binWidth, seconds)],
      ],
    },
    layout: 'wide',
  };
}
