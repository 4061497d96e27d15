import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { median } from 'simple-statistics';
import { byFlag } from '../../cli/analysis-flags.js';
import { BaseCommand } from '../../cli/base-command.js';
import { BASELINE_VERSION, savedBaselineJson } from '../../check/baseline.js';
import { saveBaseline } from '../../check/save-baseline.js';
import { seconds } from '../../text/numbers.js';
import { renderFields } from '../../text/table.js';

export default class BaselineSave extends BaseCommand<typeof BaselineSave> {
  static override summary = 'Save what a run measured as a baseline file, for asyncscope check to compare with';

  static override description = `Writes a versioned JSON snapshot: the analyze --json object of the run (grouped --by type, stage or pipeline) and, when asked, the compare --json results against a synchronous run (--sync) and the prediction of a spec (--spec). Commit it next to your code; asyncscope check --baseline FILE compares later runs with it.

A label carried by several runs (repeated runs of one benchmark) saves all of them as samples, so that checks can tell a real change from noise; --repeats N saves the latest N. The file records the format version, the asyncscope version, the run ids and label and the time; a baseline of a format version this asyncscope does not read is refused (exit 2). Format: docs/ci.md.`;

  static override examples = [
    { description: 'The DG2 asynchronous run as the baseline', command: '<%= config.bin %> <%= command.id %> dg2-async --out baselines/dg2-async.json' },
    { description: 'The latest five runs labelled nightly (repeats)', command: '<%= config.bin %> <%= command.id %> nightly --repeats 5 --out baselines/nightly.json' },
    {
      description: 'With the measured improvement over the synchronous run and the model prediction',
      command: '<%= config.bin %> <%= command.id %> dg2-async --sync dg2-sync --spec traces/specs/dg2.yaml --out baselines/dg2-async.json',
    },
  ];

  static override args = {
    run: Args.string({ description: 'The run to save: an id, or a label (every run carrying it is saved as a sample)', required: true }),
  };

  static override flags = {
    out: Flags.string({ description: 'Baseline file to write (JSON; its folder is created)', helpValue: 'FILE', required: true }),
    by: byFlag('Group tasks by type, stage or pipeline (the groups.* metrics and asynchronicity)'),
    repeats: Flags.integer({ description: 'Save the latest N runs carrying the label RUN (refused when fewer carry it)', min: 1, helpValue: 'N' }),
    sync: Flags.string({ description: 'Also save compare --json of each run against this synchronous run (for compare.* rules)', helpValue: 'RUN' }),
    spec: Flags.string({ description: 'Also save the prediction of this spec (for predict.* rules)', helpValue: 'FILE' }),
  };

  public async run(): Promise<void> {
    const { flags } = this;
    const baseline = await saveBaseline(
      { run: this.args.run, repeats: flags.repeats, by: flags.by, sync: flags.sync, spec: flags.spec, out: flags.out, version: this.config.version, created: new Date() },
      { store: () => this.openStore(), warn: (message) => this.warn(message) },
    );
    if (flags.json) {
      this.printJson(savedBaselineJson(flags.out, baseline));
      return;
    }
    const samples = baseline.samples;
    const makespans = samples.map((s) => s.analyze.makespan_s).filter((m): m is number => typeof m === 'number');
    const makespanText =
      makespans.length === 0 ? '-' : makespans.length <= 3 ? makespans.map((m) => seconds(m)).join(', ') : `median ${seconds(median(makespans))} of ${makespans.length} runs (${seconds(Math.min(...makespans))} to ${seconds(Math.max(...makespans))})`;
    this.print(
      renderFields([
        ['baseline', `${flags.out} (format version ${BASELINE_VERSION})`],
        ['runs', `${samples.length} of ${this.args.run}${samples.length <= 3 ? `: ${samples.map((s) => s.id).join(', ')}` : ''}`],
        ['by', baseline.by],
        ['makespan_s', makespanText],
        ['compare', baseline.sync_run ? `against ${baseline.sync_run}` : '- (add --sync RUN for compare.* rules)'],
        ['predict', baseline.spec ? `${baseline.spec}` : '- (add --spec FILE for predict.* rules)'],
      ]),
    );
  }
}
