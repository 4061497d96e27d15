import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { byFlag } from '../cli/analysis-flags.js';
import { BaseCommand } from '../cli/base-command.js';
import { startProgress, type Progress } from '../cli/progress.js';
import { InputError } from '../errors.js';
import { writeUserFile } from '../files/write.js';
import { changePointFlags, changePointOptions, filterFromFlags, runFilterFlags } from '../cli/history-flags.js';
import { DEFAULT_WINDOW } from '../check/check-rule.js';
import { historyValues } from '../check/history-values.js';
import { historyJson } from '../history/history-json.js';
import { buildHistoryReport } from '../report/build-report.js';
import { historyReportData } from '../report/history-data.js';
import { makeReport } from '../report/report-request.js';
import { historyReportJson, reportJson } from '../report/report-json.js';
import { headlineText } from '../report/sections/headline.js';
import { bytes } from '../text/numbers.js';

export default class Report extends BaseCommand<typeof Report> {
  static override summary = 'Write an HTML report of one run, or of a synchronous and an asynchronous run compared with the model';

  static override description = `One self-contained HTML file: inline CSS and SVG charts, no script, nothing loaded from anywhere, so it opens offline and prints well.

For each run: its key figures (as analyze gives them), a timeline by task type (every task on its lane when the run has at most 2,000 tasks, else one bar per type), tasks running over time, CPU and GPU utilization over time stacked by type, and a heat map of how long the types overlapped. Time series are resampled to at most 2,000 points per chart.

Given a synchronous and an asynchronous run (recognised by their stored mode, or named with --sync and --async), the report opens with "async saved X% (model predicted Y%)" and compares the measured makespans with the model's four predictions (sequential, sync, async_ideal, async; the figures of asyncscope compare), with the error of each, and draws each predicted schedule beside the measured one.

With --history LABEL, the report is a trend page instead: each --metric over the stored runs of LABEL (matching --where/--since), oldest first, on an x axis of time or commits; the change points that asyncscope history finds, marked with their shift; the band (quartiles) of the --window runs before the latest --repeats, the baseline that check --history judges the latest runs against; every point linked to its run's row in the table of runs with its commit, branch, CI job and host.

Runs without start times (WfCommons instances) have no timeline: they are refused (exit 2); use asyncscope predict --from-run for them. See docs/report.md for what each chart shows.`;

  static override examples = [
    { description: 'Compare the DG2 runs of the demo database with the model', command: '<%= config.bin %> <%= command.id %> dg2-sync dg2-async --out reports/dg2.html --db reports/demo.db' },
    { description: 'With the hand-written DAG as the asynchronous structure', command: '<%= config.bin %> <%= command.id %> --sync dg2-sync --async dg2-async --spec traces/specs/dg2.yaml --out reports/dg2.html' },
    { description: 'One run, to stdout', command: '<%= config.bin %> <%= command.id %> ddmd-async --out - > ddmd-async.html' },
    { description: 'The trend page of the nightly runs on main: makespan and GPU utilization by commit', command: '<%= config.bin %> <%= command.id %> --history nightly --where branch=main --metric makespan_s --metric utilization.gpu --x commit --out reports/nightly-trend.html' },
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
    history: Flags.string({ description: 'A trend page of the runs carrying LABEL instead of a report of runs', helpValue: 'LABEL', helpGroup: 'HISTORY', exclusive: ['sync', 'async', 'spec'] }),
    metric: Flags.string({
      description: 'With --history: a metric of asyncscope analyze --json to draw (repeatable) [default: makespan_s]',
      helpValue: 'METRIC',
      multiple: true,
      multipleNonGreedy: true,
      helpGroup: 'HISTORY',
    }),
    ...runFilterFlags,
    x: Flags.string({ description: 'With --history: the x axis, time stored or commit (one place per run) [default: time]', options: ['time', 'commit'], helpGroup: 'HISTORY' }),
    window: Flags.integer({ description: `With --history: runs in the baseline band, before the latest --repeats [default: ${DEFAULT_WINDOW}]`, min: 1, helpValue: 'N', helpGroup: 'HISTORY' }),
    repeats: Flags.integer({ description: 'With --history: the latest N runs are the candidate the band is drawn for [default: 1]', min: 1, helpValue: 'N', helpGroup: 'HISTORY' }),
    ...changePointFlags,
  };

  public async run(): Promise<void> {
    const { out, sync, async, spec, by } = this.flags;
    if (out === '-' && this.flags.json) throw new InputError('--json prints to stdout: give --out FILE with it, not --out -');
    if (this.flags.history !== undefined) return this.trendPage(this.flags.history);
    const stray = (['metric', 'where', 'since', 'x', 'window', 'repeats', 'alpha', 'permutations', 'min-size'] as const).filter((f) => this.flags[f] !== undefined);
    if (stray.length > 0) throw new InputError(`${stray.map((f) => `--${f}`).join(', ')} go with --history LABEL (a trend page)`);
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

  /** `--history LABEL`: the trend page. */
  private async trendPage(label: string): Promise<void> {
    const { out, by } = this.flags;
    if (this.argList.length > 0) throw new InputError('--history draws the runs of a label: give no runs beside it');
    const filter = filterFromFlags(this.flags);
    const changePoints = changePointOptions(this.flags);
    const store = await this.openStore();
    let progress: Progress | undefined;
    const history = await historyValues(store, { label, filter, metrics: this.flags.metric ?? ['makespan_s'], by }, (message) => this.warn(message), (done, total) => {
      progress ??= startProgress(total, 'analysing runs');
      progress.update(done);
    });
    progress?.stop();
    const data = historyReportData({
      label,
      filters: history.filters,
      x: (this.flags.x as 'time' | 'commit' | undefined) ?? 'time',
      runs: history.runs,
      metrics: history.metrics.map((m) => ({ metric: m.metric.text, unit: m.metric.unit, values: m.values, unmeasured: m.unmeasured, format: m.format })),
      window: this.flags.window ?? DEFAULT_WINDOW,
      repeats: this.flags.repeats ?? 1,
      changePoints,
    });
    const built = await buildHistoryReport(data, { generatedAt: new Date(), version: this.config.version });
    for (const warning of built.renderWarnings) this.warn(warning);
    const size = Buffer.byteLength(built.html);
    if (out === '-') process.stdout.write(built.html);
    else writeUserFile(out, 'report', built.html);
    if (this.flags.json) {
      const facts = history.runs.map((r) => ({ id: r.id, storedAt: r.importedAt, commit: r.provenance.commit, branch: r.provenance.branch }));
      this.printJson(historyReportJson(out, size, history.runs, built, historyJson(label, history.filters, facts, data.metrics.map((m) => ({ metric: m.metric, series: m, unmeasured: m.unmeasured })))));
    } else if (out !== '-') {
      const shifts = data.metrics.map((m) => `${m.metric}: ${m.shifts.shifts.length} change point${m.shifts.shifts.length === 1 ? '' : 's'}`);
      this.print(`wrote ${out} (${bytes(size)}, ${built.charts} charts; ${data.runs.length} runs; ${shifts.join(', ')})`);
    }
  }
}
