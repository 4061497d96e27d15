/**
 * Summary: the headline of each comparison, then every run in one table (mode, workflow, tasks,
 * makespan, machine, date).
 */
import { capacityText, count, runDate, seconds } from '../../text/numbers.js';
import { numberCell, textCell, type Block, type Section } from '../document-model.js';
import type { ReportData } from '../report-data.js';
import { headline } from './headline.js';

export function summarySection(data: ReportData, pairAnchor: (i: number) => string): Section {
  const blocks: Block[] = data.pairs.map((pair, i) => ({
    kind: 'text',
    tone: 'headline',
    parts: [...headline(pair), ' ', { anchor: pairAnchor(i), text: 'Details' }],
  }));
  if (data.pairs.length === 0 && data.runs.length === 1) {
    const r = data.runs[0];
    blocks.push({
      kind: 'text',
      tone: 'headline',
      parts: [`${r.run.label}: ${count(r.analysis.executed)} tasks executed in `, { strong: `${seconds(r.analysis.makespan_s) ?? '-'} s` }, ` on ${capacityText(r.run.capacity)}.`],
    });
    blocks.push({
      kind: 'text',
      tone: 'note',
      parts: ['Give a synchronous and an asynchronous run of one workflow (', { code: 'asyncscope report SYNC_RUN ASYNC_RUN' }, ') to compare them with what the model predicts.'],
    });
  }
  blocks.push({
    kind: 'table',
    table: {
      caption: 'Runs in this report',
      columns: [
        { header: 'run' },
        { header: 'mode' },
        { header: 'workflow' },
        { header: 'tasks', numeric: true },
        { header: 'makespan (s)', numeric: true },
        { header: 'machine' },
        { header: 'started' },
        { header: 'run id' },
      ],
      rows: data.runs.map((r) => [
        textCell(r.run.label),
        textCell(r.run.mode),
        textCell(r.run.workflow),
        numberCell(r.run.tasks, count),
        numberCell(r.analysis.makespan_s, seconds),
        textCell(capacityText(r.run.capacity)),
        textCell(runDate(r.run.epoch)),
        textCell(r.run.id),
      ]),
    },
  });
  return { id: 'summary', title: 'Summary', blocks, subsections: [] };
}
