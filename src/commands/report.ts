import { Args, Flags } from '@oclif/core';
import { byFlag, groupByFlag } from '../cli/analysis-flags.js';
import { BaseCommand } from '../cli/base-command.js';
import { startProgress, type Progress } from '../cli/progress.js';
import { InputError } from '../errors.js';
import { writeUserFile } from '../files/write.js';
import { readSpecFile } from '../model/spec-file.js';
import { buildReport } from '../report/build-report.js';
import { gatherReport, type ReportRequest } from '../report/gather.js';
import { reportJson } from '../report/report-json.js';
import { headlineText } from '../report/sections/headline.js';
import type { StoredRun } from '../run/stored-run.js';
import type { Store } from '../store/store.js';
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
    by: byFlag,
  };

  public async run(): Promise<void> {
    const out = this.flags.out;
    if (out === '-' && this.flags.json) throw new InputError('--json prints to stdout: give --out FILE with it, not --out -');
    const store = await this.openStore();
    const request = await this.request(store);
    let progress: Progress | undefined;
    const data = await gatherReport(store, request);
    for (const warning of data.warnings) this.warn(warning);
    const built = await buildReport(data, { generatedAt: new Date(), version: this.config.version }, (done, total) => {
      progress ??= startProgress(total, 'drawing charts');
      progress.update(done);
    });
    progress?.stop();
    for (const warning of built.renderWarnings) this.warn(warning);
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

  /** The runs and the pair, from the arguments. */
  private async request(store: Store): Promise<ReportRequest> {
    const by = groupByFlag(this.flags.by);
    const refs = this.argList;
    const specPath = this.flags.spec;
    if (this.flags.sync !== undefined && this.flags.async !== undefined) {
      if (refs.length > 0) throw new InputError('give the runs either as arguments or with --sync and --async, not both');
      return this.pair(await store.resolveRun(this.flags.sync), await store.resolveRun(this.flags.async), by, specPath);
    }
    if (refs.length === 0) throw new InputError('give a run, or a synchronous and an asynchronous run (see asyncscope runs for the stored runs)');
    if (refs.length > 2) throw new InputError(`a report takes one run or a pair, got ${refs.length} runs`);
    const runs = [];
    for (const ref of refs) runs.push(await store.resolveRun(ref));
    if (runs.length === 1) {
      if (specPath !== undefined) throw new InputError('--spec is for a pair of runs (the asynchronous structure the model predicts)');
      return { runs, pairs: [], by };
    }
    const [a, b] = runs;
    if (a.pk === b.pk) throw new InputError(`both arguments name run ${a.id}`);
    const sync = a.mode === 'sync' && b.mode === 'async' ? a : b.mode === 'sync' && a.mode === 'async' ? b : null;
    if (sync === null) {
      throw new InputError(
        `cannot tell which run is synchronous: ${a.id} is stored as ${a.mode}, ${b.id} as ${b.mode}; name them with --sync RUN --async RUN (or set the modes: asyncscope runs edit RUN --mode sync)`,
      );
    }
    return this.pair(sync, sync === a ? b : a, by, specPath);
  }

  private pair(sync: StoredRun, async: StoredRun, by: ReportRequest['by'], specPath: string | undefined): ReportRequest {
    if (sync.pk === async.pk) throw new InputError(`--sync and --async name the same run ${sync.id}`);
    if (sync.mode === 'async') this.warn(`run ${sync.id} is stored as an asynchronous run but given as the synchronous one`);
    if (async.mode === 'sync') this.warn(`run ${async.id} is stored as a synchronous run but given as the asynchronous one`);
    const spec = specPath === undefined ? undefined : readSpecFile(specPath);
    return { runs: [sync, async], pairs: [{ sync, async, spec, specPath }], by };
  }
}
