/**
 * Measured and predicted makespans of a synchronous/asynchronous pair (the model's comparison,
 * src/model/compare.ts): the four predictions (sequential, sync, async_ideal, async) beside the
 * two measurements, and the error of each prediction that has a measurement to compare with.
 *
 * Which structure each prediction is made on: sync on the synchronous run's own DAG (level by
 * level); sequential, async_ideal and async on the asynchronous structure (inferred from the
 * asynchronous run, or the spec given), all calibrated on the synchronous run.
 */
import { relativeError } from '../../model/compare.js';
import { percent, seconds, signedPercent, signedPoints } from '../../text/numbers.js';
import { numberCell, textCell, type Cell, type ChartBlock } from '../document-model.js';
import type { PairReport } from '../report-data.js';
import { MEASURED_COLOUR, PREDICTED_COLOUR } from './palette.js';
import { chartSpec, WIDE, type VegaLiteSpec } from './theme.js';

export const PREDICTIONS = ['sequential', 'sync', 'async_ideal', 'async'] as const;

interface Row {
  prediction: (typeof PREDICTIONS)[number];
  predictedS: number;
  measuredS: number | null;
  /** What the prediction is made on. */
  structure: string;
}

/** The rows of the comparison, each figure as the model computed it. */
export function makespanRows(pair: PairReport): Row[] {
  const c = pair.comparison;
  const asyncStructure = pair.specPath === null ? 'asynchronous run (inferred)' : 'spec';
  return [
    { prediction: 'sequential', predictedS: c.asyncPrediction.sequentialS, measuredS: null, structure: asyncStructure },
    { prediction: 'sync', predictedS: c.predicted.syncS, measuredS: c.measured.syncS, structure: 'synchronous run (inferred)' },
    // async_ideal is a lower bound of the asynchronous makespan: it is set against the measured one.
    { prediction: 'async_ideal', predictedS: c.asyncPrediction.asyncIdealS, measuredS: c.measured.asyncS, structure: asyncStructure },
    { prediction: 'async', predictedS: c.predicted.asyncS, measuredS: c.measured.asyncS, structure: asyncStructure },
  ];
}

export function makespanChart(id: string, pair: PairReport): ChartBlock {
  const c = pair.comparison;
  const rows = makespanRows(pair);
  const label = (v: number) => `${v.toFixed(1)} s`;
  const values = rows.flatMap((r) => [
    ...(r.prediction === 'async_ideal' || r.measuredS === null ? [] : [{ prediction: r.prediction, source: 'measured', seconds: r.measuredS, text: label(r.measuredS) }]),
    { prediction: r.prediction, source: 'predicted', seconds: r.predictedS, text: label(r.predictedS) },
  ]);
  const title = `Makespans, measured and predicted: ${pair.title}`;
  const y = { field: 'prediction', type: 'nominal', scale: { domain: [...PREDICTIONS], paddingInner: 0.25 }, axis: { title: null, labelFontSize: 12 } };
  const yOffset = { field: 'source', type: 'nominal', scale: { domain: ['measured', 'predicted'] } };
  const x = { field: 'seconds', type: 'quantitative', axis: { title: 'makespan (s)', tickCount: 8 } };
  const parts: VegaLiteSpec = {
    width: WIDE - 130,
    height: { step: 22 },
    data: { values },
    layer: [
      {
        mark: { type: 'bar', height: { band: 1 } },
        encoding: { y, yOffset, x, color: { field: 'source', type: 'nominal', scale: { domain: ['measured', 'predicted'], range: [MEASURED_COLOUR, PREDICTED_COLOUR] }, legend: { title: null, orient: 'top', direction: 'horizontal' } } },
      },
      { mark: { type: 'text', align: 'left', baseline: 'middle', dx: 4, fontSize: 11, color: '#333' }, encoding: { y, yOffset, x, text: { field: 'text' } } },
    ],
  };
  const error = (r: Row): Cell => {
    if (r.measuredS === null) return { text: '-', value: null };
    const value = r.prediction === 'sync' ? c.error.sync : r.prediction === 'async' ? c.error.async : relativeError(r.predictedS, r.measuredS);
    return { text: signedPercent(value), value };
  };
  return {
    kind: 'chart',
    id,
    title,
    read: [
      'Blue: measured makespans of the two runs; orange: the model\'s predictions, calibrated on the synchronous run (task durations by type, launch overhead). ',
      { anchor: 'def-predictions', text: 'What each prediction means' },
      '.',
    ],
    spec: chartSpec(title, parts),
    table: {
      caption: 'Makespans in seconds; error = (predicted - measured) / measured. async_ideal, a lower bound, is set against the measured asynchronous makespan.',
      columns: [{ header: 'prediction' }, { header: 'made on' }, { header: 'predicted (s)', numeric: true }, { header: 'measured (s)', numeric: true }, { header: 'error', numeric: true }],
      rows: rows.map((r) => [textCell(r.prediction), textCell(r.structure), numberCell(r.predictedS, seconds), numberCell(r.measuredS, seconds), error(r)]),
      footer: [
        textCell('improvement (1 - async / sync)'),
        textCell(''),
        numberCell(c.predicted.improvement, (v) => percent(v)),
        numberCell(c.measured.improvement, (v) => percent(v)),
        { text: signedPoints(c.error.improvementPp), value: c.error.improvementPp },
      ],
    },
    layout: 'wide',
  };
}
