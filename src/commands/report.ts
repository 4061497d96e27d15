import { Args, Flags } from '@oclif/core';
import { byFlag } from '../cli/analysis-flags.js';
import { BaseCommand } from '../cli/base-command.js';
import { startProgress, type Progress } from '../cli/progress.js';
import { InputError } from '../errors.js';
import { writeUserFile } from '../files/write.js';
import { makeReport } from '../report/report-request.js';
import { reportJson } from '../report/report-json.js';
import { headlineText } from '../report/sections/headline.js';
import { bytes } from '../text/numbers.js';

export default class Report extends BaseCommand<typeof Report> {
  static override summary = 'Write an HTML report of one run, or of a synchronous and an asynchronous run compared with the model';

  static override description = `One self-contained HTML file: inline CSS and SVG charts, no script, nothing loaded from anywhere, so it opens offline and prints well.

For each run: its key figures (as analyze gives them), a timeline by task type (every task on its lane when the run has at most 2,000 tasks, else one bar per type), tasks running over time, CPU and GPU utilization over time stacked by type, and a heat map of how long the types overlapped. Time series are resampled to at most 2,000 points per chart.

Given a synchronous and an asynchronous run (recognised by their stored mode, or named with --sync and --async), the report opens with "async saved X% (model predicted Y%)" and compares the measured makespans with the model's four predictions (sequential, sync, async_ideal, async; the figures of asyncscope compare), with the error of each, and draws each predicted schedule beside the measured one.

Runs without start times (WfCommons instances) have no timeline: they are refused (exit 2); use asyncscope predict --from-run for them. See docs/report.md for what each chart shows.`;

  static override examples = [
    { description: 'Compare the DG2 runs of the demo database with the model', command: '<%= config.bin %> <%= command.id %> dg2-sync dg2-async --out reports/dg2.html --db reports/demo.db' },
    { description: 'With the hand-written DAG as the asynchronous structure', command: '<%= config.bin %> <%= command.id %> --sync dg2-sync --async dg2-async --spec traces/specs/dg2.yaml --out reports/dg2.html' },
    { description: 'One run, to stdout', command: '<%= config.bin %> <%= command.id %> ddmd-async --out - > ddmd-async.html' },
    { description: 'Grouped by pipeline, with a summary as JSON', command: '<%= config.bin %> <%= command.id %> ddmd-async --by pipeline --out reports/ddmd-async.html --json' },
  ];

  static override args = {
    runs: Args.string({ description: 'One run, or a synchronous and an asynchronous run in either order (ids, or labels carried by one run each)' }),
  };

  static override strict = false;

  static override flags = {
    out: Flags.string({ description: 'The HTML file to write (its folder is created), or - for stdout', required: true, helpValue: 'FILE|-' }),
    sync: Flags.string({ description: 'The synchronous run of the pair (with --async, instead of positional runs)', helpValue: 'RUN', dependsOn: ['async'] }),
    async: Flags.string({ description: 'The asynchronous run of the pair (with --sync)', helpValue: 'RUN', dependsOn: ['sync'] }),
    spec: Flags.string({ description: "Spec of the asynchronous workflow for the model, instead of the asynchronous run's inferred structure (see asyncscope compare)", helpValue: 'FILE' }),
    by: byFlag(),
  };

  public async run(): Promise<void> {
    const { out, sync, async, spec, by } = this.flags;
    if (out === '-' && this.flags.json) throw new InputError('--json prints to stdout: give --out FILE with it, not --out -');
    const store = await this.openStore();
    let progress: Progress | undefined;
    const { data, built } = await makeReport(store, { refs: this.argList, sync, async, specPath: spec, by }, { generatedAt: new Date(), version: this.config.version }, (done, total) => {
      progress ??= startProgress(total, 'drawing charts');
      progress.update(done);
    });
    progress?.stop();
    for (const warning of [...data.warnings, ...built.renderWarnings]) this.warn(warning);
    const size = Buffer.byteLength(built.html);
    if (out === '-') process.stdout.write(built.html);
    else writeUserFile(out, 'report', built.html);
    if (this.flags.json) {
      this.printJson(reportJson(out, size, data, built));
    } else if (out !== '-') {
      this.print(`wrote ${out} (${bytes(size)}, ${built.charts} charts)`);
      for (const pair of data.pairs) this.print(headlineText(pair));
    }
  }
}
