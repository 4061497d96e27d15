/**
 * The predicted schedule beside the measured one: two Gantt panels on one time axis, the
 * measured run above, the model's simulated execution of the same mode below, both grouped by
 * task type. Where the bars line up, the model explains the run; where they part, the table
 * says by how much.
 */
import { count, seconds } from '../../text/numbers.js';
import { numberCell, textCell, type ChartBlock } from '../document-model.js';
import type { PairReport, TimelineGroup } from '../report-data.js';
import { ganttPanel, labelWidthFor, timelineEnd } from './gantt.js';
import type { GroupColours } from './palette.js';
import { chartSpec } from './theme.js';

export function scheduleChart(id: string, pair: PairReport, mode: 'sync' | 'async', colours: GroupColours): ChartBlock {
  const { measured, predicted } = pair.timelines[mode];
  const run = mode === 'sync' ? pair.sync : pair.async;
  const makespan = mode === 'sync' ? pair.comparison.predicted.syncS : pair.comparison.predicted.asyncS;
  const xMax = timelineEnd(measured, predicted);
  const labelWidth = labelWidthFor(measured, predicted);
  const modeName = mode === 'sync' ? 'synchronous' : 'asynchronous';
  const title = `${mode === 'sync' ? 'Synchronous' : 'Asynchronous'} execution, measured and predicted: ${pair.title}`;
  const panelTitle = (text: string) => ({ text, fontSize: 12, fontWeight: 500, color: '#333', anchor: 'start', offset: 6 });
  const spec = chartSpec(title, {
    vconcat: [
      { title: panelTitle(`measured: ${run.label}`), ...ganttPanel(measured, xMax, colours, { axisTitle: false, labelWidth }) },
      { title: panelTitle(`predicted by the model (${mode} makespan ${seconds(makespan)} s)`), ...ganttPanel(predicted, xMax, colours, { labelWidth }) },
    ],
    spacing: 16,
    resolve: { scale: { y: 'independent', x: 'shared', color: 'independent' } },
  });

  const names = [...measured.groups.map((g) => g.name), ...predicted.groups.map((g) => g.name).filter((n) => !measured.groups.some((g) => g.name === n))];
  const find = (list: TimelineGroup[], name: string) => list.find((g) => g.name === name);
  return {
    kind: 'chart',
    id,
    title,
    read: [
      `Top: the ${modeName} run as measured; bottom: the model's simulation of the ${modeName} execution (${mode === 'sync' ? "level by level, on the synchronous run's structure" : 'without barriers, on the asynchronous structure'}), with durations calibrated on the synchronous run. Same time axis, same colours.`,
    ],
    spec,
    table: {
      caption: 'Per task type: first start and last end in seconds, measured and predicted',
      columns: [
        { header: 'task type' },
        { header: 'tasks', numeric: true },
        { header: 'measured start', numeric: true },
        { header: 'measured end', numeric: true },
        { header: 'predicted start', numeric: true },
        { header: 'predicted end', numeric: true },
      ],
      rows: names.map((name) => {
        const m = find(measured.groups, name);
        const p = find(predicted.groups, name);
        return [textCell(name), numberCell(m?.tasks ?? p?.tasks, count), numberCell(m?.startS, seconds), numberCell(m?.endS, seconds), numberCell(p?.startS, seconds), numberCell(p?.endS, seconds)];
      }),
    },
    layout: 'wide',
  };
}
