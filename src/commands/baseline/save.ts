import { Args, Flags } from '@oclif/core';
import { median } from 'simple-statistics';
import { GROUP_BY, type GroupBy } from '../../analysis/intervals.js';
import { analyzeStoredRun } from '../../analysis/stored-run.js';
import { BASELINE_VERSION, makeBaseline, writeBaselineFile } from '../../check/baseline.js';
import { selectorFromArgs } from '../../check/candidates-flag.js';
import { selectTargets } from '../../check/selectors.js';
import { BaseCommand } from '../../cli/base-command.js';
import { InputError } from '../../errors.js';
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
    by: Flags.string({ description: 'Group tasks by type, stage or pipeline (the groups.* metrics and asynchronicity)', options: [...GROUP_BY], default: 'type' }),
    repeats: Flags.integer({ description: 'Save the latest N runs carrying the label RUN (refused when fewer carry it)', min: 1, helpValue: 'N' }),
    sync: Flags.string({ description: 'Also save compare --json of each run against this synchronous run (for compare.* rules)', helpValue: 'RUN' }),
    spec: Flags.string({ description: 'Also save the prediction of this spec (for predict.* rules)', helpValue: 'FILE' }),
  };

  public async run(): Promise<void> {
    const { flags } = this;
    const by = flags.by as GroupBy;
    // The model (and the YAML parser of specs) loads only when asked for.
    const model = flags.sync !== undefined || flags.spec !== undefined ? await loadModel() : null;
    const spec = flags.spec === undefined ? null : model!.readSpecFile(flags.spec);
    const store = await this.openStore();
    const selector = selectorFromArgs(this.args.run, flags.repeats)!;
    const runs = (await selectTargets(store, selector)).flatMap((t) => t.runs);
    const syncRun = flags.sync === undefined ? null : await store.resolveRun(flags.sync);
    const syncData = syncRun && (await model!.loadRunData(store, syncRun));
    const samples = [];
    for (const run of runs) {
      const analysis = await analyzeStoredRun(store, run, { by });
      for (const warning of analysis.warnings) this.warn(`${run.id}: ${warning}`);
      if (analysis.json.makespan_s === null) this.warn(`${run.id}: nothing to measure (${analysis.json.note}): rules on its figures will refuse to judge`);
      let compare = null;
      if (syncData) {
        if (syncRun!.pk === run.pk) throw new InputError(`--sync ${flags.sync} is the run being saved: give the synchronous run of the same workflow`);
        const comparison = model!.compareRuns({ sync: syncData, async: await model!.loadRunData(store, run) });
        for (const warning of comparison.warnings) this.warn(warning);
        compare = model!.comparisonJson(comparison);
      }
      samples.push({ id: run.id, label: run.label, mode: run.mode, analyze: analysis.json, compare });
    }
    const baseline = makeBaseline({
      asyncscopeVersion: this.config.version,
      created: new Date(),
      run: this.args.run,
      by,
      samples,
      syncRun: syncRun?.id ?? null,
      spec: flags.spec ?? null,
      predict: spec ? model!.predictionJson(model!.predict(spec)) : null,
    });
    writeBaselineFile(flags.out, baseline);

    if (flags.json) {
      this.printJson({ out: flags.out, version: BASELINE_VERSION, run: baseline.run, label: baseline.label, by, samples: samples.map((s) => s.id), sync_run: baseline.sync_run, spec: baseline.spec });
      return;
    }
    const makespans = samples.map((s) => s.analyze.makespan_s).filter((m): m is number => m !== null);
    const makespanText =
      makespans.length === 0 ? '-' : makespans.length <= 3 ? makespans.map((m) => seconds(m)).join(', ') : `median ${seconds(median(makespans))} of ${makespans.length} runs (${seconds(Math.min(...makespans))} to ${seconds(Math.max(...makespans))})`;
    this.print(
      renderFields([
        ['baseline', `${flags.out} (format version ${BASELINE_VERSION})`],
        ['runs', `${samples.length} of ${this.args.run}${samples.length <= 3 ? `: ${samples.map((s) => s.id).join(', ')}` : ''}`],
        ['by', by],
        ['makespan_s', makespanText],
        ['compare', baseline.sync_run ? `against ${baseline.sync_run}` : '- (add --sync RUN for compare.* rules)'],
        ['predict', baseline.spec ? `${baseline.spec}` : '- (add --spec FILE for predict.* rules)'],
      ]),
    );
  }
}

async function loadModel() {
  const [compare, fromStore, predict, specFile] = await Promise.all([
    import('../../model/compare.js'),
    import('../../model/from-store.js'),
    import('../../model/predict.js'),
    import('../../model/spec-file.js'),
  ]);
  return { ...compare, ...fromStore, ...predict, ...specFile };
}
