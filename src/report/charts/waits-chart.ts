/**
 * What the tasks of each type waited for, from time zero to their start: dependencies, data
 * staging, CPUs, GPUs, launch (docs/metrics.md, "Waits"), as the mean per task, stacked.
 */
import type { CriticalPathJson } from '../../model/run-critical-path.js';
import { count, seconds } from '../../text/numbers.js';
import { numberCell, textCell, type ChartBlock } from '../document-model.js';
import { GREY, OKABE_ITO } from './palette.js';
import { chartSpec, WIDE, type VegaLiteSpec } from './theme.js';

const KINDS = ['dependencies', 'staging', 'CPUs', 'GPUs', 'launch'] as const;
const KIND_COLOURS = [GREY, OKABE_ITO[4], OKABE_ITO[2], OKABE_ITO[5], OKABE_ITO[1]];

export function waitsChart(id: string, label: string, json: CriticalPathJson): ChartBlock {
  const rows = json.waits.by_type;
  const values = rows.flatMap((r) => {
    const each = [r.dependencies_s, r.staging_s, r.cpus_s, r.gpus_s, r.launch_s].map((v) => v / Math.max(1, r.tasks));
    return KINDS.map((kind, k) => ({ type: r.type, kind, order: k, seconds: each[k] }));
  });
  const title = `Waits by task type: ${label}`;
  const parts: VegaLiteSpec = {
    width: WIDE - 160,
    height: { step: 22 },
    data: { values },
    mark: { type: 'bar' },
    encoding: {
      y: { field: 'type', type: 'nominal', sort: rows.map((r) => r.type), axis: { title: null, labelLimit: 150 } },
      x: { field: 'seconds', type: 'quantitative', stack: 'zero', axis: { title: 'mean wait per task, from time zero to its start (s)' } },
      color: { field: 'kind', type: 'nominal', scale: { domain: [...KINDS], range: KIND_COLOURS }, legend: { title: null, orient: 'top', direction: 'horizontal' } },
      order: { field: 'order', type: 'quantitative' },
    },
  };
  return {
    kind: 'chart',
    id,
    title,
    read: [
      'Each task waits from time zero to its start: first for its dependencies, then, once ready, for its data to be staged, for CPUs or GPUs to be free (GPUs when not enough were free even had it needed no cores), and otherwise for the middleware to launch it. Blocked anyway: of the dependency wait, the time it would not have fitted on the free resources either.',
    ],
    spec: chartSpec(title, parts),
    table: {
      caption: 'Waits summed over the tasks of each type, task-seconds',
      columns: [
        { header: 'type' },
        { header: 'tasks', numeric: true },
        { header: 'dependencies', numeric: true },
        { header: 'staging', numeric: true },
        { header: 'CPUs', numeric: true },
        { header: 'GPUs', numeric: true },
        { header: 'launch', numeric: true },
        { header: 'blocked anyway', numeric: true },
      ],
      rows: rows.map((r) => [
        textCell(r.type),
        numberCell(r.tasks, count),
        numberCell(r.dependencies_s, seconds),
        numberCell(r.staging_s, seconds),
        numberCell(r.cpus_s, seconds),
        numberCell(r.gpus_s, seconds),
        numberCell(r.launch_s, seconds),
        numberCell(r.dependencies_blocked_s, seconds),
      ]),
    },
    layout: 'wide',
  };
}
