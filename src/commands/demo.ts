import path from 'node:path';
import * as Flags from '@oclif/core/flags';
import { BASE_FLAGS_WITHOUT_STORE, BaseCommand } from '../cli/base-command.js';
import { capacityFlags, capacityFromFlags } from '../cli/capacity-flags.js';
import { inputProgress, startProgress, type Progress } from '../cli/progress.js';
import { DEMO_DB, DEMO_HTML, DEMO_LABELS, DEMO_SPEC, DemoInterrupted, runDemo, type DemoRunFigures } from '../demo/run-demo.js';
import { reportJson } from '../report/report-json.js';
import { headlineText } from '../report/sections/headline.js';
import { bytes, seconds } from '../text/numbers.js';
import { printable } from '../text/printable.js';

/** Exit status after a signal, as shells report it: 128 + the signal number. */
const SIGNAL_EXIT: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };

export default class Demo extends BaseCommand<typeof Demo> {
  static override handlesSignals = true;

  static override summary = 'Run a DG2-shaped workflow on this machine both ways and write reports/demo.html: synchronous vs asynchronous, measured, with the model\'s predictions';

  static override description = `Runs ${DEMO_SPEC} (the DG2 workflow of the JSSPP 2023 study scaled down to seconds: 18 tasks that sleep on 2 nodes of 8 CPU and 2 GPU slots; shipped with asyncscope and found from its install folder, not the working folder) for real on this machine, first level by level, then asynchronously, as asyncscope run would, in about 25 seconds. Both runs are stored in ${DEMO_DB} in the output folder as ${DEMO_LABELS.sync} and ${DEMO_LABELS.async}. That database is deleted and recreated on each run; --db is not used. Then one report, ${DEMO_HTML}, compares the two runs with what the performance model predicts for the spec (as asyncscope report --sync ${DEMO_LABELS.sync} --async ${DEMO_LABELS.async} --spec ${DEMO_SPEC} would), and shows each run's timeline, concurrency, utilization and overlap.

With --traces DIR it runs nothing: it ingests the traces of DIR (the Summit runs of the paper, for example) and reports on them. A trace's mode and workflow come from its name (dg2-sync.jsonl, dg2-async.jsonl: workflow dg2, modes sync and async; the four Summit sessions of the study are known by their ids); each workflow with one synchronous and one asynchronous run is compared. Traces that do not state their machine (task tables) take it from --cores, --gpus and --nodes.

Prints what ran, the report's path and a summary line per comparison. The database stays for further commands, e.g. asyncscope analyze ${DEMO_LABELS.async} --db reports/${DEMO_DB}. Ctrl-C stops the runs; exit code 130.`;

  static override examples = [
    { description: 'The README\'s first command: runs the workflow both ways, writes reports/demo.html and reports/demo.db', command: '<%= config.bin %> <%= command.id %>' },
    { description: 'Somewhere else', command: '<%= config.bin %> <%= command.id %> --out-dir /tmp/asyncscope-demo' },
    { description: 'The report of the Summit runs of the paper instead', command: '<%= config.bin %> <%= command.id %> --traces ../shared/traces/radical-pilot' },
    { description: 'Then look further into the runs it stored', command: `<%= config.bin %> analyze ${DEMO_LABELS.sync} ${DEMO_LABELS.async} --db reports/demo.db` },
  ];

  static override baseFlags = BASE_FLAGS_WITHOUT_STORE;

  static override flags = {
    'out-dir': Flags.string({ description: `Folder for ${DEMO_HTML} and ${DEMO_DB} (created when missing)`, default: 'reports', helpValue: 'DIR' }),
    traces: Flags.string({ description: 'Report on the traces of this folder instead of running the workflow', helpValue: 'DIR' }),
    ...capacityFlags,
  };

  private abortRun: ((signal: string) => void) | null = null;

  public async run(): Promise<void> {
    const outDir = this.flags['out-dir'];
    if (this.flags.db !== undefined) this.warn(`--db is not used: the demo always writes its own ${path.join(outDir, DEMO_DB)}`);
    const capacity = capacityFromFlags(this.flags);
    if (capacity !== undefined && Object.keys(capacity).length > 0 && this.flags.traces === undefined) {
      this.warn(`--cores, --gpus and --nodes are for --traces: the demo runs ${DEMO_SPEC} on the platform the spec states`);
    }
    let progress: Progress | undefined;
    let mode = '';
    const onSignal = (signal: NodeJS.Signals) => this.abortRun?.(signal);
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    let result;
    try {
      result = await runDemo({
        root: this.config.root,
        outDir,
        traces: this.flags.traces,
        capacity,
        meta: { generatedAt: new Date(), version: this.config.version },
        onRunStart: (runMode) => {
          progress?.stop();
          progress = undefined;
          mode = runMode;
        },
        onRunProgress: ({ settled, running, total }) => {
          progress ??= startProgress(total, `${mode}: starting`);
          progress.update(settled, `${mode}: ${running} running`);
        },
        onAbortable: (abort) => (this.abortRun = abort),
        onIngest: (input) => {
          progress?.stop();
          const shown = inputProgress(input, `reading ${input.display}`);
          progress = shown.progress;
          return shown.onBytes;
        },
        onChart: (done, total) => {
          if (done === 1) {
            progress?.stop();
            progress = startProgress(total, 'drawing charts');
          }
          progress?.update(done);
        },
        onWarning: (message) => this.warn(message),
      });
    } catch (error) {
      if (!(error instanceof DemoInterrupted)) throw error;
      progress?.stop();
      process.stderr.write(`asyncscope: interrupted (${error.signal}): the demo's runs were stopped; no report was written\n`);
      return this.exit(SIGNAL_EXIT[error.signal] ?? 130);
    } finally {
      progress?.stop();
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
    for (const warning of [...result.data.warnings, ...result.built.renderWarnings]) this.warn(warning);
    if (this.flags.json) {
      this.printJson({ ...reportJson(result.html, result.bytes, result.data, result.built), db: result.db, spec: result.spec, ran: result.ran.map(ranJson) });
      return;
    }
    const runs = result.data.runs;
    if (result.spec !== null) this.print(`ran ${result.spec} on this machine: ${result.ran.map(ranText).join('; ')}`);
    this.print(result.html);
    for (const pair of result.data.pairs) this.print(headlineText(pair));
    this.print(
      `${runs.length} runs (${runs.map((r) => printable(r.run.label)).join(', ')}) in ${path.join(outDir, DEMO_DB)}; ${result.built.charts} charts, ${bytes(result.bytes)}: open ${result.html} in a browser`,
    );
  }
}

function ranText(r: DemoRunFigures): string {
  const failed = r.failed > 0 ? `, ${r.failed} failed` : '';
  return `${r.mode} ${seconds(r.makespanS) ?? '-'} s (model ${seconds(r.predictedS) ?? '-'} s${failed})`;
}

function ranJson(r: DemoRunFigures) {
  return { mode: r.mode, label: r.label, tasks: r.tasks, failed: r.failed, makespan_s: r.makespanS, predicted_s: r.predictedS };
}
