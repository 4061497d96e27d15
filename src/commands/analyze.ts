import { Args } from '@oclif/core';
import { analyzeStoredRun } from '../analysis/stored-run.js';
import { byFlag, includeIncompleteFlag } from '../cli/analysis-flags.js';
import { analysisText } from '../cli/analysis-text.js';
import { BaseCommand } from '../cli/base-command.js';
import { resolveEach } from '../store/resolve-runs.js';

export default class Analyze extends BaseCommand<typeof Analyze> {
  static override summary = 'Measure utilization, concurrency, overlap and degree of asynchronicity of stored runs';
  static override description = `For each run: makespan (last end - first start of the executed tasks), busy time (union of the execution intervals) and idle time with its gaps, CPU and GPU utilization, concurrency (max and time-weighted mean), and how asynchronous it was: async_fraction (share of the busy time with two or more groups running) and doa (time-weighted mean number of groups running, 1.0 = strictly one at a time). Then per group (task type, stage or pipeline) the tasks, times and duration statistics, and every pair of groups that overlapped. Definitions with worked examples: docs/metrics.md.

Tasks that started and never ended are left out with a warning; --include-incomplete clips them at the run's last event time. Runs without start times (WfCommons instances) and runs where nothing executed are listed with null figures and a note saying why.`;

  static override examples = [
    { description: 'Every stored run', command: '<%= config.bin %> <%= command.id %>' },
    { description: 'The synchronous and asynchronous DG2 runs, by task type, as JSON', command: '<%= config.bin %> <%= command.id %> dg2-sync dg2-async --by type --json' },
    { description: 'All repeated runs carrying one label, grouped by pipeline', command: '<%= config.bin %> <%= command.id %> nightly --by pipeline' },
    { description: 'Count tasks that never ended, up to the last event of the run', command: '<%= config.bin %> <%= command.id %> re.session.login5.pascuzzi.019221.0001 --include-incomplete' },
  ];

  static override args = {
    runs: Args.string({ description: 'Run ids or labels (a label selects every run carrying it) [default: every stored run]' }),
  };

  static override strict = false;

  static override flags = {
    by: byFlag(),
    'include-incomplete': includeIncompleteFlag,
  };

  public async run(): Promise<void> {
    const store = await this.openStore();
    const runs = this.argList.length === 0 ? await store.listRuns() : await resolveEach(store, this.argList);
    const options = { by: this.flags.by, includeIncomplete: this.flags['include-incomplete'] };
    const analyses = [];
    for (const run of runs) {
      const analysis = await analyzeStoredRun(store, run, options);
      for (const warning of analysis.warnings) this.warn(`${run.id}: ${warning}`);
      analyses.push(analysis);
    }
    if (this.flags.json) {
      this.printJson({ runs: analyses.map((a) => a.json) });
      return;
    }
    if (analyses.length === 0) {
      this.print('No runs stored yet: see asyncscope ingest --help');
      return;
    }
    this.print(analyses.map(analysisText).join('\n\n'));
  }
}
