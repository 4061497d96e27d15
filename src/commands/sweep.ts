import os from 'node:os';
import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../cli/base-command.js';
import { platformFlags } from '../cli/capacity-flags.js';
import { startProgress, type Progress } from '../cli/progress.js';
import { parseDuration, parseSeconds } from '../cli/seconds-flag.js';
import { EXIT_CHECK_FAILED, InputError } from '../errors.js';
import { writeUserFile } from '../files/write.js';
import { describePlatform, specTaskCount } from '../model/spec.js';
import { sweepJson, sweepRequest, type PlannedSweep, type SweepMeasurement } from '../model/sweep-request.js';
import { PLANNED_LAUNCH_S, sweepLaunchSeconds, sweepRunSeconds, sweepScale, type MeasuredMember, type SweepPoint } from '../model/sweep.js';
import { buildSweepReport } from '../report/build-report.js';
import { shellWord } from '../report/sections/comparison.js';
import { measureSweep } from '../runner/measure-sweep.js';
import { scaledSpec } from '../runner/plan.js';
import type { Store } from '../store/store.js';
import { bytes, decimal, percent, seconds } from '../text/numbers.js';
import { printable } from '../text/printable.js';
import { renderFields, renderTable } from '../text/table.js';

/** Exit status after a signal, as shells report it: 128 + the signal number. */
const SIGNAL_EXIT: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };

/** --budget when not given. */
const DEFAULT_BUDGET = '3m';
/** Members measured when --points is not given (a sweep that is only simulated takes 21). */
const DEFAULT_POINTS = { simulated: 21, measured: 5 } as const;
/** How far over --budget an explicit --scale may plan before it is refused (without --force). */
const BUDGET_SLACK = 1.25;
/** Below this, a task's launch (about 10 ms on an idle machine) is a large share of it. */
const SHORT_TASK_S = 0.05;

export default class Sweep extends BaseCommand<typeof Sweep> {
  static override summary = 'Improvement of asynchronous over level-by-level execution against the degree of asynchronicity, over a family of workflows';

  static override description = `A family of workflows with the same stages (the same total work) on the same machine, from a chain of levels (every stage waits for the whole level before it, so nothing of one level can overlap the next) to the workflow's own DAG (for --branches: fully independent branches). Member k keeps k of the M "barrier edges" between consecutive levels that the workflow lacks; they are dropped from the last level to the first. Each member is simulated level by level and asynchronously; the table gives its degree of asynchronicity (doa of the simulated asynchronous execution, by task type, as analyze measures a run), both makespans and the improvement 1 - async / sync. Every member has the same level-by-level makespan.

The workflow: a spec file, a stored run (its inferred and calibrated spec, as predict --from-run), --branches B --levels L (a source stage, then B chains of L stages whose slowest stage rotates between branches), or, with none of these, the example of Pascuzzi et al. (A 500 s, then B 1000 -> 2000 -> 2000 beside C 1000 -> 4000). With a run and --sync RUN, the run's measured doa and improvement are printed beside the curve. --emit-specs DIR writes each member's spec, ready for asyncscope predict. See docs/model.md, "The sweep".

--measure runs each member for real on this machine, as asyncscope run does (each task a sleep of its duration times the scale, or the spec's command; never more at once than the platform's slots; a workflow without a platform gets this machine's cores), level by level and then asynchronously, one run at a time, and sets the measured makespans, doa (analyze's, of the asynchronous run) and improvement beside the predicted ones. The scale is --scale, or the largest 1, 2 or 5 x 10^n at which the simulated makespans of every member both ways, and starting their tasks (${PLANNED_LAUNCH_S * 1000} ms each), add up to no more than --budget (default ${DEFAULT_BUDGET}). The plan is printed on stderr before anything runs; a --scale that plans more than ${BUDGET_SLACK} x the budget is refused unless --force. With --measure, --points defaults to ${DEFAULT_POINTS.measured}. The runs are stored in --db as PREFIX-KEPT-sync and PREFIX-KEPT-async (--label PREFIX, default sweep), all at the end (nothing of an interrupted sweep is stored); --no-store keeps none.

--report FILE writes a self-contained HTML page: the family's curve and, with --measure, every member's measured point beside its predicted one and the makespans of both.

Exit codes: 0 ok, 1 a measured task failed (the runs are still stored), 2 bad input or a plan over budget, 130 interrupted (Ctrl-C: the current run's tasks are stopped, nothing is stored or written; 143 on SIGTERM).`;

  static override examples = [
    { description: "The paper's example: 7500 s level by level, 5500 s asynchronously", command: '<%= config.bin %> <%= command.id %>' },
    { description: 'A family of 4 branches of 4 stages, as JSON', command: '<%= config.bin %> <%= command.id %> --branches 4 --levels 4 --json' },
    { description: 'The DG2 workflow, with the measured asynchronous run as a point on its curve', command: '<%= config.bin %> <%= command.id %> dg2-async --sync dg2-sync --db reports/demo.db' },
    { description: "The paper's example run for real, every member both ways, within a minute, with a report", command: '<%= config.bin %> <%= command.id %> --measure --budget 1m --report reports/sweep.html' },
    { description: 'A generated family measured at a scale of your choosing, as JSON, keeping no runs', command: '<%= config.bin %> <%= command.id %> --branches 3 --levels 3 --measure --scale 0.002 --no-store --json' },
  ];

  static override args = {
    workflow: Args.string({ description: "A workflow spec file or a stored run [default: the paper's example]" }),
  };

  static override flags = {
    branches: Flags.integer({ description: 'Generate the family of B independent branches after a source stage', min: 1, helpValue: 'B' }),
    levels: Flags.integer({ description: 'With --branches: stages per branch [default: 4]', min: 1, helpValue: 'L' }),
    points: Flags.integer({ description: `Members to simulate, spread evenly from the chain of levels to the workflow itself [default: ${DEFAULT_POINTS.simulated}; with --measure: ${DEFAULT_POINTS.measured}]`, min: 2, helpValue: 'N' }),
    sync: Flags.string({ description: "With a run: the synchronous run of the same workflow, for the measured run's improvement", helpValue: 'RUN' }),
    'emit-specs': Flags.string({ description: 'Write the spec of each member simulated to DIR (member-KEPT.yaml)', helpValue: 'DIR' }),
    'barrier-gap': Flags.string({ description: 'For a run: the barrier gap of the inference (see predict --help)', helpValue: 'SECONDS' }),
    measure: Flags.boolean({ description: 'Run each member for real on this machine, level by level and asynchronously, and set the measurements beside the model' }),
    scale: Flags.string({ description: `With --measure: multiply every duration by FACTOR [default: the largest 1, 2 or 5 x 10^n that fits --budget]`, helpValue: 'FACTOR' }),
    budget: Flags.string({ description: `With --measure: the time the runs may take, for the default --scale (90, 90s, 3m, 1h) [default: ${DEFAULT_BUDGET}]`, helpValue: 'DURATION' }),
    force: Flags.boolean({ description: 'With --measure: run even when the plan is over --budget' }),
    store: Flags.boolean({ description: 'With --measure: store the runs in --db (--no-store: keep none)', allowNo: true, default: true }),
    label: Flags.string({ description: 'With --measure: label the stored runs PREFIX-KEPT-sync and PREFIX-KEPT-async [default: sweep]', helpValue: 'PREFIX' }),
    report: Flags.string({ description: 'Write an HTML page of the sweep (with --measure: predicted and measured) to FILE', helpValue: 'FILE' }),
    ...platformFlags,
  };

  static override handlesSignals = true;

  /** Where Ctrl-C finds the command: before the measuring (or without it), during it, or after it. */
  private phase: 'before' | 'measuring' | 'after' = 'before';
  /** The first SIGINT or SIGTERM received, and what it stops while a run's tasks run. */
  private signal: NodeJS.Signals | null = null;
  private abortRun: ((signal: string) => void) | null = null;

  public async run(): Promise<void> {
    // Before the measuring, Ctrl-C stops the command at once, as every command's does; while it
    // runs, it stops the current run's tasks (measure); after it, the runs are kept whole first.
    const onSignal = (name: NodeJS.Signals) => {
      if (this.phase === 'before') {
        process.stderr.write(`asyncscope: interrupted: ${this.interruptedNote()}\n`);
        process.exit(SIGNAL_EXIT[name] ?? 130);
      }
      this.signal ??= name;
      this.abortRun?.(name);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    try {
      await this.sweep();
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  }

  private async sweep(): Promise<void> {
    const { flags } = this;
    const measuring = this.measureOptions();
    let store: Store | null = null;
    // One store for the whole command: written to with --measure, else only read (a stored run as the workflow).
    const openStore = async () => (store ??= await this.openStore(measuring?.store ? { access: 'write', create: true } : { access: 'read' }));
    const planned = await sweepRequest(
      {
        workflow: this.args.workflow,
        branches: flags.branches,
        levels: flags.levels,
        points: flags.points ?? (measuring ? DEFAULT_POINTS.measured : DEFAULT_POINTS.simulated),
        sync: flags.sync,
        emitSpecs: flags['emit-specs'],
        barrierGapS: flags['barrier-gap'] === undefined ? undefined : parseSeconds('barrier-gap', flags['barrier-gap']),
        platform: { cores: flags.cores, gpus: flags.gpus, nodes: flags.nodes },
        // What asyncscope run does with a spec without a platform: this machine's cores, no GPUs.
        unboundedPlatform: measuring ? { kind: 'pool', cores: os.availableParallelism(), gpus: 0 } : undefined,
      },
      openStore,
    );
    for (const warning of planned.warnings) this.warn(warning);
    const measurement = measuring ? await this.measure(planned, measuring, async () => (measuring.store ? openStore() : null)) : null;
    if (measurement === 'interrupted') return;
    if (measurement !== null) this.phase = 'after';

    let reportNote: string | null = null;
    if (flags.report !== undefined) {
      const built = await buildSweepReport(
        { planned, measurement, command: commandLine(this.argv) },
        { generatedAt: new Date(), version: this.config.version },
      );
      for (const warning of built.renderWarnings) this.warn(warning);
      writeUserFile(flags.report, 'report', built.html);
      reportNote = `wrote ${flags.report} (${bytes(Buffer.byteLength(built.html))}, ${built.charts} chart${built.charts === 1 ? '' : 's'})`;
    }
    if (flags.json) this.printJson({ ...sweepJson(planned, measurement), report: flags.report ?? null });
    else this.printHuman(planned, measurement, reportNote);
    if (this.signal !== null) {
      process.stderr.write(`asyncscope: interrupted (${this.signal}) after the last run had ended: the sweep was kept whole\n`);
      return this.exit(SIGNAL_EXIT[this.signal] ?? 130);
    }
    if (measurement !== null && measurement.members.some((m) => m.failed > 0)) this.exit(EXIT_CHECK_FAILED);
  }

  /** The --measure flags checked, or null without --measure (when none of them may be given). */
  private measureOptions(): { scale: number | null; budgetS: number; force: boolean; store: boolean; labelPrefix: string } | null {
    const { flags } = this;
    if (!flags.measure) {
      const given = (['scale', 'budget', 'force', 'label'] as const).find((name) => flags[name] !== undefined && flags[name] !== false);
      if (given !== undefined) throw new InputError(`--${given} goes with --measure`);
      if (!flags.store) throw new InputError('--no-store goes with --measure');
      return null;
    }
    let scale: number | null = null;
    if (flags.scale !== undefined) {
      scale = Number(flags.scale);
      if (flags.scale.trim() === '' || !(scale > 0) || !Number.isFinite(scale)) throw new InputError(`--scale: expected a positive number, got "${flags.scale}"`);
    }
    const labelPrefix = flags.label ?? 'sweep';
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(labelPrefix)) throw new InputError(`--label: expected letters, digits, '.', '_' and '-', got "${labelPrefix}"`);
    return { scale, budgetS: parseDuration('budget', flags.budget ?? DEFAULT_BUDGET), force: flags.force, store: flags.store, labelPrefix };
  }

  /** Runs every member both ways; 'interrupted' once the one line of Ctrl-C is printed and the exit code set. */
  private async measure(
    planned: PlannedSweep,
    options: NonNullable<ReturnType<Sweep['measureOptions']>>,
    openTarget: () => Promise<Store | null>,
  ): Promise<SweepMeasurement | 'interrupted'> {
    const budgetText = this.flags.budget ?? DEFAULT_BUDGET;
    const tasks = specTaskCount(planned.spec);
    const runs = planned.points.length * 2;
    const launchS = sweepLaunchSeconds(planned.points, tasks);
    const scale = options.scale ?? sweepScale(planned.points, options.budgetS, tasks);
    if (scale === null) {
      throw new InputError(
        `--budget ${budgetText}: starting the ${tasks} tasks of ${runs} runs alone takes about ${seconds(launchS)} s: give a larger --budget, fewer --points, or a --scale with --force`,
      );
    }
    const tasksS = sweepRunSeconds(planned.points, scale);
    const plannedS = tasksS + launchS;
    if (options.scale !== null && plannedS > options.budgetS * BUDGET_SLACK && !options.force) {
      throw new InputError(
        `--scale ${this.flags.scale}: running the ${planned.points.length} members both ways takes about ${seconds(plannedS)} s, over --budget ${budgetText} (${decimal(options.budgetS)} s): give a smaller --scale, a larger --budget, or --force`,
      );
    }
    const shortest = shortestTaskS(planned, scale);
    if (shortest !== null && shortest < SHORT_TASK_S) {
      this.warn(`at scale ${decimal(scale, 9)} the shortest task lasts ${decimal(shortest * 1000, 3)} ms: each task's launch (about 10 ms, more on a loaded machine) weighs on the measured makespans; give a larger --budget or --scale`);
    }
    // Opened once the plan is known to be good: a refused plan leaves no store behind.
    const target = await openTarget();
    process.stderr.write(
      `measuring ${planned.points.length} member(s) of ${printable(planned.spec.name ?? 'the workflow')} both ways, ${runs} runs one at a time at scale ${decimal(scale, 9)}${options.scale === null ? ` (fits --budget ${budgetText})` : ''}: about ${seconds(plannedS)} s (${seconds(tasksS)} s of tasks, ${seconds(launchS)} s of starting them)\n`,
    );

    this.phase = 'measuring';
    let bar: Progress | null = null;
    let label = '';
    try {
      const result = await measureSweep(
        { planned, scale, labelPrefix: options.labelPrefix, target },
        {
          onRunStart: ({ index, total, kept, mode }) => {
            bar?.stop();
            bar = null;
            label = `member ${index + 1}/${total} (${kept} kept), ${mode}`;
          },
          onProgress: ({ settled, running, total }) => {
            bar ??= startProgress(total, `${label}: starting`);
            bar.update(settled, `${label}: ${running} running`);
          },
          onAbortable: (abort) => (this.abortRun = abort),
          interrupted: () => this.signal,
          onWarning: (message) => this.warn(message),
        },
      );
      (bar as Progress | null)?.stop();
      if (result.kind === 'aborted') {
        const { at } = result;
        process.stderr.write(
          `asyncscope: interrupted (${result.signal}) at member ${at.index + 1} of ${at.total} (${at.kept} kept, ${at.mode}): stopped ${result.stopped} running task(s); nothing was stored or written\n`,
        );
        this.exit(SIGNAL_EXIT[result.signal] ?? 130);
        return 'interrupted';
      }
      return {
        scale,
        budgetS: options.budgetS,
        plannedS,
        elapsedS: result.elapsedS,
        members: result.members,
        db: target === null ? null : target.location,
        labelPrefix: options.labelPrefix,
        loadAverage: result.loadAverage,
      };
    } finally {
      (bar as Progress | null)?.stop();
    }
  }

  private printHuman(planned: PlannedSweep, measurement: SweepMeasurement | null, reportNote: string | null): void {
    const { spec, source, family, points, measured } = planned;
    const m = family.barriers.length;
    this.print(
      renderFields([
        ['workflow', `${spec.name ?? '(unnamed)'} (${family.base.stages.length} stages; ${source})`],
        ['platform', `${describePlatform(spec.platform)}${planned.platformGiven ? " (this machine's: the workflow states none)" : ''}`],
        ['family', m === 0 ? 'no barrier edge to add: every stage already waits for the whole level before it' : `${m} barrier edge(s) between consecutive levels; member k keeps k of them (k = ${m}: a chain of levels, 0: the workflow's own DAG)`],
        ...(measurement === null
          ? []
          : [
              [
                'measured',
                `every member both ways at scale ${decimal(measurement.scale, 9)} in ${seconds(measurement.elapsedS)} s (load average ${decimal(measurement.loadAverage.start, 2)} -> ${decimal(measurement.loadAverage.end, 2)}); SYNC_S and ASYNC_S are the model's at this scale`,
              ] as [string, string],
            ]),
      ]),
    );
    this.print();
    if (measurement === null) {
      this.print(
        renderTable(
          ['KEPT', 'DEGREE', 'DOA', 'SYNC_S', 'ASYNC_S', 'IMPROVEMENT'].map((h) => ({ header: h, align: 'right' as const })),
          points.map((p) => [p.kept, decimal(p.degree, 3), decimal(p.doa), seconds(p.syncS), seconds(p.asyncS), percent(p.improvement)]),
        ),
      );
    } else {
      const byKept = new Map(measurement.members.map((mm) => [mm.kept, mm]));
      this.print(
        renderTable(
          ['KEPT', 'DEGREE', 'DOA', 'MEASURED_DOA', 'SYNC_S', 'MEASURED_SYNC_S', 'ASYNC_S', 'MEASURED_ASYNC_S', 'IMPROVEMENT', 'MEASURED_IMPROVEMENT'].map((h) => ({ header: h, align: 'right' as const })),
          points.map((p) => measuredRow(p, byKept.get(p.kept), measurement.scale)),
        ),
      );
      this.print();
      const failed = measurement.members.reduce((sum, mm) => sum + mm.failed, 0);
      if (failed > 0) this.print(`${failed} task(s) failed: their runs' makespans count only what ran`);
      this.print(
        measurement.db === null
          ? 'the runs were not kept (--no-store)'
          : `stored ${measurement.members.length * 2} runs in ${measurement.db}, labelled ${measurement.labelPrefix}-KEPT-sync and ${measurement.labelPrefix}-KEPT-async (e.g. asyncscope analyze ${measurement.members[0]?.asyncRun ?? ''})`,
      );
    }
    if (measured) {
      this.print();
      this.print(
        `measured: run ${measured.run}: doa ${decimal(measured.doa) ?? '-'}${measured.sync ? `, improvement ${percent(measured.improvement) ?? '-'} over run ${measured.sync}` : ' (give --sync RUN for its measured improvement)'}`,
      );
    }
    if (reportNote !== null) this.print(reportNote);
  }
}

function measuredRow(p: SweepPoint, m: MeasuredMember | undefined, scale: number) {
  return [
    p.kept,
    decimal(p.degree, 3),
    decimal(p.doa),
    decimal(m?.doa),
    seconds(p.syncS * scale),
    seconds(m?.syncS),
    seconds(p.asyncS * scale),
    seconds(m?.asyncS),
    percent(p.improvement),
    percent(m?.improvement),
  ];
}

/** The shortest task of the workflow at `scale`, s (null when it has none). */
function shortestTaskS(planned: PlannedSweep, scale: number): number | null {
  const spec = scaledSpec(planned.spec, scale);
  const durations = spec.kind === 'stages' ? spec.stages.flatMap((s) => s.durations) : spec.tasks.map((t) => t.durationS);
  return durations.length === 0 ? null : Math.min(...durations);
}

/**
 * The command as the page shows it, words quoted for a shell, without --db: its value may be a
 * PostgreSQL URL with a password, and the page says where the runs went in the store's own words.
 */
function commandLine(argv: readonly string[]): string {
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--db') i++;
    else if (!argv[i].startsWith('--db=')) words.push(argv[i]);
  }
  return ['asyncscope', 'sweep', ...words].map(shellWord).join(' ');
}
