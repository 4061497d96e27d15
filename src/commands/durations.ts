import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { endpointText } from '../analysis/event-spans.js';
import { storedDurations } from '../analysis/stored-run.js';
import { endpointFlags, endpointsFromFlags, optionalByFlag } from '../cli/analysis-flags.js';
import { DURATION_HEADERS, durationCells } from '../cli/analysis-text.js';
import { BaseCommand } from '../cli/base-command.js';
import { InputError } from '../errors.js';
import { seconds } from '../text/numbers.js';
import { renderFields, renderTable } from '../text/table.js';
import { printable } from '../text/printable.js';

export default class Durations extends BaseCommand<typeof Durations> {
  static override summary = 'Per-task durations between two profile events or states, with statistics and the total time covered';
  static override description = `Like RADICAL-Analytics' duration(): for every task having both ends, the time from the first event matching FROM to the first event matching TO after it. Prints the statistics of these durations (min, median, mean, p95, max, stddev), their sum, and the total: the length of the union of the tasks' ranges, i.e. how long at least one task was between the two events (tasks go through a phase concurrently, so the sum overcounts it). Times are seconds from the run's time zero (its first task start), so events before it are negative.

The pairs of the paper's notebooks: scheduling (--from-state AGENT_SCHEDULING --to schedule_ok) and execution (--from exec_start --to exec_stop). An unknown event or state name is an error (exit 2) that lists the ones the run has.

--all-spans takes every span of a task instead of its first (after each TO, the next FROM opens another): the transfers of a Dask task that fetched several inputs, the attempts of a retried task. overlap_execution_s is how long the phase went on while some task was executing (the union of the spans intersected with the union of the execution intervals): for transfers, the part hidden behind computation.`;

  static override examples = [
    { description: 'Scheduling time of each task (RADICAL-Pilot agent scheduler)', command: '<%= config.bin %> <%= command.id %> dg2-async --from-state AGENT_SCHEDULING --to schedule_ok' },
    { description: 'Execution time, per task type', command: '<%= config.bin %> <%= command.id %> dg2-async --from exec_start --to exec_stop --by type' },
    { description: 'From scheduled to running, every task listed, as JSON', command: '<%= config.bin %> <%= command.id %> dg2-async --from schedule_ok --to exec_start --per-task --json' },
    { description: 'Dask transfers: every transfer of every task, and how much of that time other tasks computed', command: '<%= config.bin %> <%= command.id %> dask-run --from transfer_start --to transfer_end --all-spans' },
  ];

  static override args = {
    run: Args.string({ description: 'Run id, or a label carried by one run', required: true }),
  };

  static override flags = {
    ...endpointFlags,
    by: optionalByFlag('Also give the figures per task type, stage instance (pipeline + stage) or pipeline'),
    'per-task': Flags.boolean({ description: 'List every task with its two times and its duration' }),
  };

  public async run(): Promise<void> {
    const ends = endpointsFromFlags(this.flags);
    if (ends === null) throw new InputError('give the two ends of the span: --from EVENT (or --from-state STATE) and --to EVENT (or --to-state STATE)');
    const store = await this.openStore();
    const run = await store.resolveRun(this.args.run);
    const by = this.flags.by ?? null;
    const report = await storedDurations(store, run, { ...ends, by, perTask: this.flags['per-task'], every: this.flags['all-spans'] });
    for (const warning of report.warnings) this.warn(warning);
    if (this.flags.json) {
      this.printJson(report.json);
      return;
    }
    const { spans, durations, missing, perTask } = report;
    const every = this.flags['all-spans'];
    const { tasks, overlap_execution_s: overlap, overlap_execution_fraction: overlapFraction } = report.json;
    this.print(`${printable(run.id)}  (label ${printable(run.label)}): from ${endpointText(ends.from)} to ${endpointText(ends.to)}`);
    const all = durations.all;
    this.print(
      renderFields([
        ['tasks', `${tasks} with both${missing > 0 ? ` (${missing} without)` : ''}${every ? `, ${spans.length} spans` : ''}`],
        ['total_s', all ? `${seconds(all.total)}  (union of the ranges: time with at least one task in between)` : null],
        ['overlap_execution_s', overlap !== null && all ? `${seconds(overlap)}  (${overlapFraction === null ? '-' : `${(100 * overlapFraction).toFixed(1)}%`} of total_s with a task executing)` : null],
        ['sum_s', all ? seconds(all.sum) : null],
        ['span_s', all ? `${seconds(all.first)} .. ${seconds(all.last)}` : null],
        ['max_concurrent', all ? durations.maxConcurrent : null],
      ]),
    );
    if (all) {
      this.print();
      const rows = [['all', all.tasks, seconds(all.total), ...durationCells(all.duration)]];
      for (const g of durations.groups) rows.push([g.name, g.tasks, seconds(g.total), ...durationCells(g.duration)]);
      this.print(renderTable([by === null ? '' : by.toUpperCase(), 'TASKS', 'TOTAL_S', ...DURATION_HEADERS], rows));
    }
    if (perTask) {
      this.print();
      this.print(renderTable(['TASK', 'FROM_S', 'TO_S', 'DURATION_S'], perTask.map((t) => [t.uid, seconds(t.from_s), seconds(t.to_s), seconds(t.duration_s)])));
    }
  }

}
