import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { optionalByFlag } from '../cli/analysis-flags.js';
import { BaseCommand } from '../cli/base-command.js';
import { boundsInOrder, checkRequest } from '../check/check-request.js';
import { DEFAULT_SETTINGS, DEFAULT_WINDOW } from '../check/check-rule.js';
import { githubAnnotations, isGithubActions } from '../check/outputs/annotations.js';
import { checkJson } from '../check/outputs/json.js';
import { checkJunit } from '../check/outputs/junit.js';
import { checkMarkdown } from '../check/outputs/markdown.js';
import { checkTable } from '../check/outputs/table.js';
import { summaryLine } from '../check/outputs/verdict.js';
import { EXIT_CHECK_FAILED } from '../errors.js';
import { writeUserFile } from '../files/write.js';
import type { Store } from '../store/store.js';
import { printable } from '../text/printable.js';

const boundFlag = (description: string) => Flags.string({ description, helpValue: 'METRIC=VALUE', multiple: true, multipleNonGreedy: true });

export default class Check extends BaseCommand<typeof Check> {
  static override summary = 'Check runs against a baseline and bounds: exit 1 when a rule fails (for CI)';

  static override description = `Each rule bounds one metric: --min and --max absolutely, --max-increase and --max-decrease relative to a baseline saved with asyncscope baseline save. Metrics are the fields of analyze --json (makespan_s, busy_s, idle_s, utilization.cpu, concurrency.mean, asynchronicity.doa, groups.T3T6.busy_s, groups.T3T6.duration_s.median, overlap.T3T6.T7.seconds, ...), of compare --json with --sync RUN (compare.measured.improvement, compare.error.async, ...) and of predict --json with --spec FILE (predict.improvement.vs_sync, ...). A name with dots goes in brackets: groups[pipeline.0001/stage.0002].busy_s.

Thresholds: a number in the metric's units (--max makespan_s=1400, --max-increase makespan_s=30), a percentage (--max-increase makespan_s=5% is 5% of the baseline; --min utilization.gpu=80% is 0.80) or percentage points (--max-decrease utilization.gpu=5pp is 0.05).

Noise: when a label carries several runs (repeated benchmark runs), or the baseline holds several samples, values are medians (outliers beyond the IQR fence left out) and a rule fails only when the change is beyond its limit AND significant at --alpha: the one-sided Mann-Whitney U test against the baseline's samples (relative rules) or the sign test against the limit (absolute rules). Without repeats a rule judges the values alone. See docs/ci.md.

History (--history LABEL): instead of a baseline file, the baseline is the last --window runs of LABEL stored before the candidate (and matching --where/--since: --where branch=main judges a pull request's runs against main's), judged with the same statistics; without RUN the candidate is the latest run of LABEL (--repeats N: the latest N; --this-job: only the runs this CI job stored). --fail-on change-point judges relative rules by the change points E-Divisive finds among those runs (asyncscope history): a shift beyond the threshold fails, one noisy run does not.

A rules file (--rules) holds named rules, their baselines and the runs they judge, so that one CI step checks everything (format in docs/ci.md). Outputs: a table (or --json), --junit FILE (JUnit XML), --markdown FILE (a job summary table), and ::error / ::warning annotations when GITHUB_ACTIONS=true.

Exit codes: 0 every rule passed (or --informational), 1 a rule failed, 2 bad input or usage (an unknown metric or run, a missing baseline, fewer runs than --min-samples).`;

  static override examples = [
    {
      description: 'The candidate against a saved baseline: at most 5% slower, GPUs at least 80% busy',
      command: '<%= config.bin %> <%= command.id %> nightly --baseline baselines/dg2-async.json --max-increase makespan_s=5% --min utilization.gpu=0.80',
    },
    {
      description: 'Asynchronicity must not drop by more than 10%, nor the T3T6 stage take 30 s longer',
      command: '<%= config.bin %> <%= command.id %> nightly --baseline baselines/dg2-async.json --max-decrease asynchronicity.doa=10% --max-increase groups.T3T6.busy_s=30',
    },
    {
      description: 'Everything in a rules file, with a JUnit report and a GitHub job summary',
      command: '<%= config.bin %> <%= command.id %> --rules asyncscope.checks.yaml --junit out/junit.xml --markdown "$GITHUB_STEP_SUMMARY"',
    },
    {
      description: 'Five repeated runs, judged only when there are at least five; report without failing',
      command: '<%= config.bin %> <%= command.id %> nightly --repeats 5 --min-samples 5 --baseline baselines/dg2-async.json --max-increase makespan_s=5% --informational',
    },
    {
      description: 'The model alone: the predicted improvement of a spec must stay above 20%',
      command: '<%= config.bin %> <%= command.id %> --spec traces/specs/dg2.yaml --min predict.improvement.vs_sync=20%',
    },
    {
      description: 'A pull request against the last 20 runs of main (runs stored in a shared store, with their branch)',
      command: '<%= config.bin %> <%= command.id %> candidate --repeats 3 --this-job --history candidate --where branch=main --max-increase makespan_s=5%',
    },
    {
      description: 'Fail on a shift of the series (a change point among the last runs), not on one slow run',
      command: '<%= config.bin %> <%= command.id %> --history nightly --where branch=main --fail-on change-point --max-increase makespan_s=5%',
    },
  ];

  static override args = {
    run: Args.string({
      description: 'The run to check: an id, or a label (every run carrying it is a repeat) [default: the runs of the rules file]',
    }),
  };

  static override flags = {
    baseline: Flags.string({ description: 'Baseline file (asyncscope baseline save) that relative rules compare with', helpValue: 'FILE' }),
    min: boundFlag('Fail when METRIC is below VALUE (repeatable)'),
    max: boundFlag('Fail when METRIC is above VALUE (repeatable)'),
    'max-increase': boundFlag('Fail when METRIC rose more than VALUE over the baseline: 5% (relative), 30 (absolute) or 5pp (repeatable)'),
    'max-decrease': boundFlag('Fail when METRIC fell more than VALUE below the baseline (repeatable)'),
    rules: Flags.string({ description: 'Rules file (YAML): named rules, their baselines and runs; see docs/ci.md', helpValue: 'FILE' }),
    sync: Flags.string({ description: 'Synchronous run that compare.* metrics compare each candidate with', helpValue: 'RUN' }),
    spec: Flags.string({ description: 'Workflow spec that predict.* metrics predict', helpValue: 'FILE' }),
    by: optionalByFlag("Group tasks by type, stage or pipeline for groups.*, overlap.* and asynchronicity.* [default: the baseline's, else type]"),
    repeats: Flags.integer({ description: 'Judge the latest N runs carrying the label RUN (refused when fewer carry it)', min: 1, helpValue: 'N' }),
    alpha: Flags.string({ description: `Significance level of the tests [default: ${DEFAULT_SETTINGS.alpha}]`, helpValue: 'ALPHA' }),
    'min-samples': Flags.integer({ description: 'Refuse (exit 2) to judge with fewer candidate runs or baseline samples than N [default: 1]', min: 1, helpValue: 'N' }),
    informational: Flags.boolean({ description: 'Report what fails without failing: exit 0, warnings instead of errors' }),
    junit: Flags.string({ description: 'Also write a JUnit XML report (one testcase per rule) to FILE', helpValue: 'FILE' }),
    markdown: Flags.string({ description: 'Also write a Markdown summary table to FILE (e.g. "$GITHUB_STEP_SUMMARY")', helpValue: 'FILE' }),
    history: Flags.string({
      description: 'Compare with the runs of LABEL stored before the candidate instead of a baseline file (RUN defaults to LABEL: its latest run, or --repeats N)',
      helpValue: 'LABEL',
      helpGroup: 'HISTORY',
    }),
    where: Flags.string({
      description: 'Only history runs with KEY=VALUE (branch=main, a --meta key, ...; repeatable: all must hold)',
      helpValue: 'KEY=VALUE',
      multiple: true,
      multipleNonGreedy: true,
      helpGroup: 'HISTORY',
    }),
    since: Flags.string({ description: 'Only history runs stored since then: 30d, 12h, 2w, or a date', helpValue: 'WHEN', helpGroup: 'HISTORY' }),
    window: Flags.integer({ description: `How many history runs before the candidate form the baseline [default: ${DEFAULT_WINDOW}]`, min: 1, helpValue: 'N', helpGroup: 'HISTORY' }),
    'fail-on': Flags.string({
      description: 'candidate: the candidate runs against the window (Mann-Whitney); change-point: a shift among the window and candidate runs (E-Divisive) beyond the threshold',
      options: ['candidate', 'change-point'],
      helpGroup: 'HISTORY',
    }),
    'this-job': Flags.boolean({ description: 'The candidate is the runs of RUN that this CI job stored (same job URL), not another job\'s', helpGroup: 'HISTORY' }),
  };

  public async run(): Promise<void> {
    const { flags } = this;
    let store: Promise<Store> | undefined;
    const report = await checkRequest(
      {
        run: this.args.run,
        repeats: flags.repeats,
        rulesFile: flags.rules,
        baseline: flags.baseline,
        sync: flags.sync,
        spec: flags.spec,
        by: flags.by,
        bounds: boundsInOrder(this.argv, { min: flags.min, max: flags.max, max_increase: flags['max-increase'], max_decrease: flags['max-decrease'] }),
        alpha: flags.alpha,
        minSamples: flags['min-samples'],
        informational: flags.informational,
        history: flags.history,
        where: flags.where,
        since: flags.since,
        window: flags.window,
        failOn: flags['fail-on'] as 'candidate' | 'change-point' | undefined,
        thisJob: flags['this-job'],
      },
      { store: () => (store ??= this.openStore()), version: this.config.version, warn: (message) => this.warn(message) },
    );

    if (flags.junit !== undefined) writeUserFile(flags.junit, 'JUnit report', checkJunit(report, new Date()));
    if (flags.markdown !== undefined) writeUserFile(flags.markdown, 'Markdown summary', checkMarkdown(report));
    if (flags.json) this.printJson(checkJson(report));
    else this.print(checkTable(report));
    if (isGithubActions()) {
      // Workflow commands go to stdout, where the runner reads them; with --json stdout holds only JSON, so stderr (which the runner reads too).
      const stream = flags.json ? process.stderr : process.stdout;
      for (const line of githubAnnotations(report)) stream.write(`${line}\n`);
    }
    if (!report.passed) {
      process.stderr.write(`asyncscope: check failed: ${printable(summaryLine(report))}\n`);
      this.exit(EXIT_CHECK_FAILED);
    }
  }
}
