/**
 * One run's section: the analyzer's key figures, then its charts (timeline by group,
 * concurrency, CPU and GPU utilization stacked by group, overlap heat map).
 */
import path from 'node:path';
import { capacityText, count, decimal, seconds } from '../../text/numbers.js';
import { concurrencyChart } from '../charts/concurrency-chart.js';
import { overlapChart } from '../charts/overlap-chart.js';
import type { GroupColours } from '../charts/palette.js';
import { resourceChart } from '../charts/resource-chart.js';
import { timelineChart } from '../charts/timeline-chart.js';
import { numberCell, textCell, type Block, type Section } from '../document-model.js';
import type { RunReport } from '../report-data.js';

export function runSection(id: string, report: RunReport, colours: GroupColours, noun: string): Section {
  const a = report.analysis;
  const run = report.run;
  const blocks: Block[] = [
    {
      kind: 'text',
      parts: [
        `Run `,
        { code: run.id },
        run.workflow === null ? '' : ` of ${run.workflow}`,
        // The file name only: the folder it was ingested from says nothing to a reader and may be private.
        `, from the ${run.format} trace `,
        { code: path.basename(run.source) },
        `, on ${capacityText(run.capacity)}.`,
      ],
    },
  ];
  blocks.push({
    kind: 'table',
    table: {
      caption: `Key figures (as asyncscope analyze ${report.run.id} --json gives them)`,
      columns: [{ header: 'figure' }, { header: 'value', numeric: true }, { header: 'meaning' }],
      rows: [
        [textCell('tasks'), numberCell(a.tasks, count), textCell(`${count(a.executed)} executed, ${count(a.incomplete)} incomplete`)],
        [textCell('makespan_s'), numberCell(a.makespan_s, seconds), textCell('last end - first start (s)')],
        [textCell('busy_s'), numberCell(a.busy_s, seconds), textCell('time with at least one task running (s)')],
        [textCell('idle_s'), numberCell(a.idle_s, seconds), textCell('time with none running (s)')],
        [textCell('utilization.cpu'), numberCell(a.utilization.cpu, (v) => decimal(v)), textCell('core-seconds used / (cores x makespan)')],
        [textCell('utilization.gpu'), numberCell(a.utilization.gpu, (v) => decimal(v)), textCell('GPU-seconds used / (GPUs x makespan)')],
        [textCell('concurrency.max'), numberCell(a.concurrency.max, (v) => decimal(v)), textCell('most tasks running at once')],
        [textCell('concurrency.mean'), numberCell(a.concurrency.mean, (v) => decimal(v, 3)), textCell('time-weighted mean of tasks running')],
        [textCell('asynchronicity.async_fraction'), numberCell(a.asynchronicity.async_fraction, (v) => decimal(v)), textCell(`share of the busy time with two or more ${noun}s running`)],
        [textCell('asynchronicity.doa'), numberCell(a.asynchronicity.doa, (v) => decimal(v)), textCell(`mean number of ${noun}s running, over the busy time (1 = one at a time)`)],
      ],
    },
  });
  if (a.note !== null) blocks.push({ kind: 'text', tone: 'note', parts: [`Note: ${a.note}.`] });
  const charts = [
    timelineChart(`${id}-timeline`, report, colours, noun),
    concurrencyChart(`${id}-concurrency`, report),
    resourceChart(`${id}-cpu`, report, 'cores', colours, noun),
    resourceChart(`${id}-gpu`, report, 'gpus', colours, noun),
    overlapChart(`${id}-overlap`, report, noun),
  ];
  for (const chart of charts) if (chart !== null) blocks.push(chart);
  const mode = report.run.mode === 'unknown' ? '' : ` (${report.run.mode})`;
  return { id, title: `Run ${report.run.label}${mode}`, blocks, subsections: [] };
}
