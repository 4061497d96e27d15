import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { analyzeStoredRun } from '../analysis/stored-run.js';
import { byFlag, includeIncompleteFlag } from '../cli/analysis-flags.js';
import { analysisText } from '../cli/analysis-text.js';
import { BaseCommand } from '../cli/base-command.js';
import { criticalPathText } from '../cli/critical-path-text.js';
import { anyTraceArgument, runsOrTraces } from '../importers/runs-or-traces.js';
import { storedCriticalPath } from '../model/from-store.js';
import type { CriticalPathJson } from '../model/run-critical-path.js';
import { resolveEach } from '../store/resolve-runs.js';

export default class Analyze extends BaseCommand<typeof Analyze> {
  static override summary = 'Measure utilization, concurrency, overlap and degree of asynchronicity of stored runs';
  static override description = `For each run: makespan (last end - first start of the executed tasks), busy time (union of the execution intervals) and idle time with its gaps, CPU and GPU utilization, concurrency (max and time-weighted mean), and how asynchronous it was: async_fraction (share of the busy time with two or more groups running) and doa (time-weighted mean number of groups running, 1.0 = strictly one at a time). Then per group (task type, stage or pipeline) the tasks, times and duration statistics, and every pair of groups that overlapped. Definitions with worked examples: docs/metrics.md.

An argument that names no stored run but a trace (a file or folder, in any format ingest reads) is ingested first, into the same database as \`asyncscope ingest\` would store it (a trace already stored is recognised by its content and not read again), so that \`asyncscope analyze TRACE\` measures a trace in one step and later commands find its run.

--critical-path adds, per run, the chain of tasks and waits that set the makespan (walked back from the last task through dependencies, from the task DAG or the inferred stage structure, and through resources: the task whose end freed what the next one waited for), every task's wait from time zero to its start split into dependencies, staging, CPUs, GPUs and launch, totals per type, and findings.

Tasks that started and never ended are left out with a warning; --include-incomplete clips them at the run's last event time. Runs without start times (WfCommons instances) and runs where nothing executed are listed with null figures and a note saying why.`;

  static override examples = [
    { description: 'Every stored run', command: '<%= config.bin %> <%= command.id %>' },
    { description: 'The synchronous and asynchronous DG2 runs, by task type, as JSON', command: '<%= config.bin %> <%= command.id %> dg2-sync dg2-async --by type --json' },
    { description: 'All repeated runs carrying one label, grouped by pipeline', command: '<%= config.bin %> <%= command.id %> nightly --by pipeline' },
    { description: 'Why the asynchronous DG2 run took as long as it did: its critical path and waits', command: '<%= config.bin %> <%= command.id %> dg2-async --critical-path' },
    { description: 'Count tasks that never ended, up to the last event of the run', command: '<%= config.bin %> <%= command.id %> re.session.login5.pascuzzi.019221.0001 --include-incomplete' },
    {
      description: 'A trace straight from its file: stored on the way (as ingest would), then measured; the next time it is found stored',
      command: '<%= config.bin %> <%= command.id %> sessions/re.session.login2.pascuzzi.019224.0001.tgz',
    },
  ];

  static override args = {
    runs: Args.string({
      description:
        'Run ids or labels (a label selects every run carrying it), or traces: a file or folder that names no stored run is ingested into the store on the way [default: every stored run]',
    }),
  };

  static override strict = false;

  static override flags = {
    by: byFlag(),
    'include-incomplete': includeIncompleteFlag,
    'critical-path': Flags.boolean({ description: 'Also give the critical path, the waits of every task (dependencies, staging, CPUs, GPUs, launch) per type, and findings' }),
  };

  public async run(): Promise<void> {
    // A trace among the arguments is stored on the way: only then is the store opened for writing.
    const traces = anyTraceArgument(this.argList);
    const store = await this.openStore(traces ? { access: 'write', create: true, bulkWrite: true } : { access: 'read' });
    let runs;
    if (this.argList.length === 0) {
      runs = await store.listRuns();
    } else if (!traces) {
      runs = await resolveEach(store, this.argList);
    } else {
      const named = await runsOrTraces(store, this.argList);
      for (const outcome of named.ingested) {
        if (outcome.kind !== 'saved') continue;
        const { result, input } = outcome;
        const stored = result.status === 'existing' ? 'already stored' : 'stored';
        process.stderr.write(`asyncscope: ${input.display}: ${stored} as run ${result.run.id} in ${store.location}\n`);
        for (const warning of outcome.warnings) this.warn(`${input.display}: ${warning}`);
      }
      runs = named.runs;
    }
    const options = { by: this.flags.by, includeIncomplete: this.flags['include-incomplete'] };
    const analyses = [];
    for (const run of runs) {
      const analysis = await analyzeStoredRun(store, run, options);
      for (const warning of analysis.warnings) this.warn(`${run.id}: ${warning}`);
      analyses.push(analysis);
    }
    // Runs without a timeline have no critical path to walk: null, as their other figures.
    const paths: (CriticalPathJson | null)[] = [];
    if (this.flags['critical-path']) for (const run of runs) paths.push(run.scheduled && run.executed > 0 ? (await storedCriticalPath(store, run)).json : null);
    if (this.flags.json) {
      this.printJson({ runs: analyses.map((a, i) => (this.flags['critical-path'] ? { ...a.json, critical_path: paths[i] } : a.json)) });
      return;
    }
    if (analyses.length === 0) {
      this.print('No runs stored yet: see asyncscope ingest --help');
      return;
    }
    this.print(analyses.map((a, i) => (paths[i] ? `${analysisText(a)}\n\n${criticalPathText(paths[i]!)}` : analysisText(a))).join('\n\n'));
  }
}
