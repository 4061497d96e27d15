import path from 'node:path';
import { Flags } from '@oclif/core';
import { BASE_FLAGS_WITHOUT_STORE, BaseCommand } from '../cli/base-command.js';
import { inputProgress, startProgress, type Progress } from '../cli/progress.js';
import { DEMO_DB, DEMO_HTML, DEMO_RUNS, runDemo } from '../demo/run-demo.js';
import { reportJson } from '../report/report-json.js';
import { headlineText } from '../report/sections/headline.js';
import { bytes } from '../text/numbers.js';
import { printable } from '../text/printable.js';

export default class Demo extends BaseCommand<typeof Demo> {
  static override summary = 'Ingest the bundled Summit traces and write reports/demo.html: DG2 and DeepDriveMD, synchronous vs asynchronous, with the model\'s predictions';

  static override description = `The four RADICAL-Pilot traces of the JSSPP 2023 study (traces/radical-pilot, shipped with asyncscope and found from its install folder, not the working folder) are ingested into ${DEMO_DB} in the output folder as ${DEMO_RUNS.map((r) => r.label).join(', ')}, with their modes and workflows. That database is deleted and recreated on each run; --db is not used. Then one report, ${DEMO_HTML}, compares each workflow's synchronous and asynchronous runs with what the performance model predicts (as asyncscope report dg2-sync dg2-async would), and shows every run's timeline, concurrency, utilization and overlap.

Prints the report's path and a three-line summary. The database stays for further commands, e.g. asyncscope analyze dg2-async --db reports/${DEMO_DB}.`;

  static override examples = [
    { description: 'The README\'s first command: writes reports/demo.html and reports/demo.db', command: '<%= config.bin %> <%= command.id %>' },
    { description: 'Somewhere else', command: '<%= config.bin %> <%= command.id %> --out-dir /tmp/asyncscope-demo' },
    { description: 'Then look further into the runs it stored', command: '<%= config.bin %> analyze ddmd-sync ddmd-async --db reports/demo.db' },
  ];

  static override baseFlags = BASE_FLAGS_WITHOUT_STORE;

  static override flags = {
    'out-dir': Flags.string({ description: `Folder for ${DEMO_HTML} and ${DEMO_DB} (created when missing)`, default: 'reports', helpValue: 'DIR' }),
  };

  public async run(): Promise<void> {
    const outDir = this.flags['out-dir'];
    if (this.flags.db !== undefined) this.warn(`--db is not used: the demo always writes its own ${path.join(outDir, DEMO_DB)}`);
    let progress: Progress | undefined;
    let trace = 0;
    const result = await runDemo({
      root: this.config.root,
      outDir,
      meta: { generatedAt: new Date(), version: this.config.version },
      onIngest: (input) => {
        progress?.stop();
        const shown = inputProgress(input, `reading ${DEMO_RUNS[trace++]?.label ?? input.display}`);
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
    });
    progress?.stop();
    for (const warning of [...result.data.warnings, ...result.built.renderWarnings]) this.warn(warning);
    if (this.flags.json) {
      this.printJson({ ...reportJson(result.html, result.bytes, result.data, result.built), db: result.db });
      return;
    }
    const runs = result.data.runs;
    this.print(result.html);
    for (const pair of result.data.pairs) this.print(headlineText(pair));
    this.print(
      `${runs.length} runs (${runs.map((r) => printable(r.run.label)).join(', ')}) in ${path.join(outDir, DEMO_DB)}; ${result.built.charts} charts, ${bytes(result.bytes)}: open ${result.html} in a browser`,
    );
  }
}
