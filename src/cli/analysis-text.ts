/**
 * The human-readable form of analysis results: the same figures as the JSON, as aligned text.
 */
import type { RunAnalysis } from '../analysis/analyze-run.js';
import type { DurationStats } from '../analysis/duration-stats.js';
import type { PerTask } from '../analysis/groups.js';
import type { BinnedSeries } from '../analysis/series.js';
import { decimal, percent, perTask, seconds } from '../text/numbers.js';
import { renderFields, renderTable, type Cell } from '../text/table.js';
import { printable } from '../text/printable.js';

/** One run of `analyze`: headline figures, then the groups table and the overlap table. */
export function analysisText(analysis: RunAnalysis): string {
  const r = analysis.json;
  const lines: string[] = [];
  lines.push(`${printable(r.id)}  (label ${printable(r.label)}, mode ${r.mode}, by ${r.by})`);
  const taskParts = analysis.scheduled ? [`${r.executed} executed`, `${r.incomplete} incomplete`] : ['runtimes only, no start times'];
  if (analysis.neverStarted > 0) taskParts.push(`${analysis.neverStarted} never started`);
  const fields: [string, Cell][] = [['tasks', `${r.tasks} (${taskParts.join(', ')})`]];
  if (r.makespan_s !== null) {
    fields.push(
      ['makespan_s', seconds(r.makespan_s)],
      ['busy_s', `${seconds(r.busy_s)}  (idle ${seconds(r.idle_s)} s in ${analysis.gaps ?? 0} gap${analysis.gaps === 1 ? '' : 's'})`],
      ['utilization', `cpu ${percent(r.utilization.cpu) ?? '-'}, gpu ${percent(r.utilization.gpu) ?? '-'}`],
      ['concurrency', `max ${r.concurrency.max ?? '-'}, mean ${decimal(r.concurrency.mean, 3) ?? '-'} tasks`],
      ['asynchronicity', `doa ${decimal(r.asynchronicity.doa) ?? '-'}, async_fraction ${decimal(r.asynchronicity.async_fraction) ?? '-'} (${percent(r.asynchronicity.async_fraction) ?? '-'} of busy time with 2+ ${r.by === 'type' ? 'types' : `${r.by}s`} running)`],
    );
  }
  if (r.note !== null) fields.push(['note', r.note]);
  lines.push(renderFields(fields));
  if (r.groups.length > 0) {
    lines.push('');
    lines.push(
      renderTable(
        [r.by.toUpperCase(), 'TASKS', 'START_S', 'END_S', 'BUSY_S', 'CORES', 'GPUS', ...DURATION_HEADERS],
        r.groups.map((g) => [g.name, g.tasks, seconds(g.start_s), seconds(g.end_s), seconds(g.busy_s), perTaskText(g.cores), perTaskText(g.gpus), ...durationCells(g.duration_s)]),
      ),
    );
  }
  if (r.overlap.length > 0) {
    lines.push('');
    lines.push(renderTable(['OVERLAP A', 'B', 'SECONDS', 'FRACTION'], r.overlap.map((o) => [o.a, o.b, seconds(o.seconds), decimal(o.fraction)])));
  } else if (r.groups.length > 1) {
    lines.push('');
    lines.push(`no two ${r.by === 'type' ? 'types' : `${r.by}s`} ran at the same time`);
  }
  return lines.join('\n');
}

export const DURATION_HEADERS = ['MIN_S', 'MEDIAN_S', 'MEAN_S', 'P95_S', 'MAX_S', 'STDDEV_S'];

export function durationCells(d: DurationStats | null): Cell[] {
  if (d === null) return [null, null, null, null, null, null];
  return [seconds(d.min), seconds(d.median), seconds(d.mean), seconds(d.p95), seconds(d.max), seconds(d.stddev)];
}

/** `4`, `0-1`, or `?` when unknown. */
function perTaskText(value: PerTask): string {
  return perTask(value, '?');
}

/** Bins as a table with a bar per bin (mean as #, peak marked with |), for a terminal. */
export function binsText(bins: BinnedSeries, unit: string): string {
  let peak = 0;
  for (const value of bins.max) if (value > peak) peak = value;
  const width = 40;
  const rows: Cell[][] = [];
  for (let b = 0; b < bins.mean.length; b++) {
    const from = bins.binStart + b * bins.binWidth;
    const meanCells = peak > 0 ? Math.round((bins.mean[b] / peak) * width) : 0;
    const maxCell = peak > 0 ? Math.round((bins.max[b] / peak) * width) : 0;
    const bar = '#'.repeat(meanCells) + (maxCell > meanCells ? `${' '.repeat(maxCell - meanCells - 1)}|` : '');
    rows.push([seconds(from), seconds(from + bins.binWidth), decimal(bins.mean[b], 3), decimal(bins.max[b], 3), bar]);
  }
  return renderTable(['FROM_S', 'TO_S', `MEAN_${unit}`, `MAX_${unit}`, { header: '', align: 'left' }], rows);
}
