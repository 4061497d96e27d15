import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../cli/base-command.js';
import { parseSeconds } from '../cli/seconds-flag.js';
import { compareRuns, comparisonJson, type Comparison } from '../model/compare.js';
import { loadRunData } from '../model/from-store.js';
import { DEFAULT_BARRIER_GAP_S } from '../model/infer-spec.js';
import { readSpecFile } from '../model/spec-file.js';
import type { StoredRun } from '../run/stored-run.js';
import { fasterOrSlower, percent, seconds, signedFixed, signedPercent, signedPoints } from '../text/numbers.js';
import { renderFields, renderTable } from '../text/table.js';
import { emphasize } from '../text/terminal.js';

export default class Compare extends BaseCommand<typeof Compare> {
  static override summary = 'Compare a synchronous and an asynchronous run with what the model predicts for them';

  static override description = `Prints the measured makespans of both runs and the measured improvement (1 - async / sync), next to the model's predictions and the error of each.

The synchronous run calibrates the model: task durations by task type and resources, and the overhead (the median gap between the end of a stage and the start of the next dependent stage). The asynchronous prediction applies this calibration to the asynchronous run's structure, inferred from it (see asyncscope predict --from-run) or given with --spec; the synchronous prediction applies it to the synchronous run's own structure, level by level.

Errors are relative, (predicted - measured) / measured; the improvement error is in percentage points.`;

  static override examples = [
    { description: 'DG2 on Summit, after ingesting both runs with these labels', command: '<%= config.bin %> <%= command.id %> dg2-sync dg2-async' },
    { description: 'With the hand-written DAG instead of the inferred one', command: '<%= config.bin %> <%= command.id %> dg2-sync dg2-async --spec traces/specs/dg2.yaml' },
    { description: 'Machine-readable, for a CI check', command: '<%= config.bin %> <%= command.id %> ddmd-sync ddmd-async --json' },
  ];

  static override args = {
    sync_run: Args.string({ description: 'The synchronous run (id, or a label carried by one run)', required: true }),
    async_run: Args.string({ description: 'The asynchronous run (id, or a label carried by one run)', required: true }),
  };

  static override flags = {
    spec: Flags.string({ description: "Spec of the asynchronous workflow to predict, instead of the asynchronous run's inferred structure", helpValue: 'FILE' }),
    'barrier-gap': Flags.string({
      description: `Stage B depends on stage A when B's first task started at most this long after A's last task ended [default: ${DEFAULT_BARRIER_GAP_S}]`,
      helpValue: 'SECONDS',
    }),
  };

  public async run(): Promise<void> {
    const spec = this.flags.spec === undefined ? undefined : readSpecFile(this.flags.spec);
    const barrierGapS = this.flags['barrier-gap'] === undefined ? DEFAULT_BARRIER_GAP_S : parseSeconds('barrier-gap', this.flags['barrier-gap']);
    const store = await this.openStore();
    const syncRun = await store.resolveRun(this.args.sync_run);
    const asyncRun = await store.resolveRun(this.args.async_run);
    const comparison = compareRuns({ sync: await loadRunData(store, syncRun), async: await loadRunData(store, asyncRun), spec, barrierGapS });
    for (const warning of comparison.warnings) this.warn(warning);
    if (this.flags.json) {
      this.printJson(comparisonJson(comparison));
      return;
    }
    this.printHuman(syncRun, asyncRun, comparison);
  }

  private printHuman(syncRun: StoredRun, asyncRun: StoredRun, c: Comparison): void {
    const name = (run: StoredRun) => (run.label === run.id ? run.id : `${run.label} (${run.id})`);
    const units = (spec: Comparison['asyncSpec']) => (spec.kind === 'stages' ? `${spec.stages.length} stages` : `${spec.tasks.length} tasks`);
    this.print(
      renderFields([
        ['synchronous run', name(syncRun)],
        ['asynchronous run', name(asyncRun)],
        [
          'calibration',
          `overhead ${seconds(c.calibration.overheadS)} s (median of ${c.calibration.gaps.length} gap(s)), durations of ${c.calibration.kinds.size} task kind(s), from the synchronous run`,
        ],
        ['structure', `${c.structure === 'spec' ? `spec ${this.flags.spec}` : 'inferred from the asynchronous run'} (${units(c.asyncSpec)})`],
      ]),
    );
    this.print();
    this.print(
      renderTable(
        ['', { header: 'MEASURED', align: 'right' }, { header: 'PREDICTED', align: 'right' }, { header: 'ERROR', align: 'right' }],
        [
          ['sync_s', seconds(c.measured.syncS), seconds(c.predicted.syncS), signedPercent(c.error.sync)],
          ['async_s', seconds(c.measured.asyncS), seconds(c.predicted.asyncS), signedPercent(c.error.async)],
          ['improvement', percent(c.measured.improvement), percent(c.predicted.improvement), signedPoints(c.error.improvementPp)],
        ],
      ),
    );
    this.print();
    this.print(
      emphasize(
        `asynchronous execution: ${fasterOrSlower(c.measured.improvement)} measured, ${fasterOrSlower(c.predicted.improvement, true)} predicted (${signedFixed(c.error.improvementPp)} percentage points)`,
      ),
    );
  }
}
