import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { endpointText, type Endpoint } from '../analysis/event-spans.js';
import { storedConcurrency } from '../analysis/stored-run.js';
import { endpointFlags, endpointsFromFlags, includeIncompleteFlag } from '../cli/analysis-flags.js';
import { binsText } from '../cli/analysis-text.js';
import { BaseCommand } from '../cli/base-command.js';
import { decimal, seconds } from '../text/numbers.js';
import { renderFields } from '../text/table.js';
import { printable } from '../text/printable.js';

export default class Concurrency extends BaseCommand<typeof Concurrency> {
  static override summary = 'How many tasks are between two events over time (by default: executing)';
  static override description = `Like RADICAL-Analytics' concurrency(): the number of tasks that are past their FROM event and not yet at their TO event, at every instant (each task's span as in asyncscope durations). Without --from/--to, the execution interval of each task (exec_start to exec_stop, as stored at ingest).

Prints the maximum, the time-weighted mean over the covered time, and the series resampled to --bins bins (mean and peak per bin). The JSON has the exact step function too: "steps": value[i] holds from t[i] until t[i+1].`;

  static override examples = [
    { description: 'Tasks executing over time, 200 bins, for a chart', command: '<%= config.bin %> <%= command.id %> dg2-async --from exec_start --to exec_stop --bins 200 --json' },
    { description: 'Tasks waiting for or in the agent scheduler', command: '<%= config.bin %> <%= command.id %> dg2-async --from-state AGENT_SCHEDULING --to schedule_ok' },
    { description: 'Executing tasks from the stored start and end times', command: '<%= config.bin %> <%= command.id %> dg2-async' },
    { description: 'Dask transfers in flight over time (every transfer of every task)', command: '<%= config.bin %> <%= command.id %> dask-run --from transfer_start --to transfer_end --all-spans' },
  ];

  static override args = {
    run: Args.string({ description: 'Run id, or a label carried by one run', required: true }),
  };

  static override flags = {
    ...endpointFlags,
    bins: Flags.integer({ description: 'Number of equal time bins of the resampled series', min: 1, max: 100_000, default: 20, helpValue: 'N' }),
    'include-incomplete': { ...includeIncompleteFlag, description: `${includeIncompleteFlag.description} (execution only, without --from/--to)` },
  };

  public async run(): Promise<void> {
    const ends = endpointsFromFlags(this.flags);
    const store = await this.openStore();
    const run = await store.resolveRun(this.args.run);
    const report = await storedConcurrency(store, run, { ends, bins: this.flags.bins, includeIncomplete: this.flags['include-incomplete'], every: this.flags['all-spans'] });
    for (const warning of report.warnings) this.warn(warning);
    if (this.flags.json) {
      this.printJson(report.json);
      return;
    }
    const { series, note } = report;
    this.print(`${printable(run.id)}  (label ${printable(run.label)}): tasks ${what(ends)}`);
    this.print(
      renderFields([
        ['tasks', report.tasks],
        ['span_s', series ? `${seconds(series.from)} .. ${seconds(series.to)}` : null],
        ['max', series?.max ?? null],
        ['mean', series ? decimal(series.mean, 3) : null],
        ...(note ? ([['note', note]] as [string, string][]) : []),
      ]),
    );
    if (series && series.bins.mean.length > 0) {
      this.print();
      this.print(binsText(series.bins, 'TASKS'));
    }
  }
}

function what(ends: { from: Endpoint; to: Endpoint } | null): string {
  return ends === null ? 'executing (stored start to end)' : `between ${endpointText(ends.from)} and ${endpointText(ends.to)}`;
}
