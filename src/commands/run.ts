import path from 'node:path';
import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { provenanceFlags, provenanceFromFlags } from '../cli/provenance-flags.js';
import { BaseCommand } from '../cli/base-command.js';
import { startProgress, type Progress } from '../cli/progress.js';
import { EXIT_CHECK_FAILED, InputError } from '../errors.js';
import { readSpecFile } from '../model/spec-file.js';
import { describePlatform } from '../model/spec.js';
import { runJson } from '../run/stored-run.js';
import type { ExecutionMode, ExecutionResult, FailurePolicy } from '../runner/execute.js';
import type { RunnablePlatform, RunPlan } from '../runner/plan.js';
import { prepareRun, runSpec, type StoredRunResult } from '../runner/run-spec.js';
import type { RunSummary } from '../runner/summary.js';
import { decimal, seconds } from '../text/numbers.js';
import { printable } from '../text/printable.js';
import { renderFields, renderTable } from '../text/table.js';

/** Exit status after a signal, as shells report it: 128 + the signal number. */
const SIGNAL_EXIT: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };

export default class Run extends BaseCommand<typeof Run> {
  static override handlesSignals = true;

  static override summary = 'Execute a workflow spec on this machine, synchronously or asynchronously, and store its trace';

  static override description = `Runs every task of a workflow spec (the YAML or JSON that predict reads; see docs/model.md) as a process on this machine: the command the spec gives a stage or task, or by default a sleep of its duration (times --scale). --mode sync runs the DAG level by level with a barrier after each level (the levels the model uses); --mode async starts each task as soon as its own dependencies have ended. Either way never more tasks at once than the platform's CPU and GPU slots hold: a task holds as many slots as it asks cores and GPUs, on one node, placed first fit as the model places them (GPUs are slots: no GPU is needed). A spec without a platform runs on this machine's cores and no GPUs, with a warning; --cores, --gpus and --nodes replace the platform.

The trace (JSON Lines: each task's submit, start and end, state, exit code, node, slot indexes and parents; docs/runner.md) is stored in the database in one transaction, as ingest would store it, and written to --out FILE if given (--no-store: only written). A task that exits non-zero is recorded as FAILED; with --on-failure continue (the default) the tasks that do not depend on it still run and its dependants are CANCELED; with --on-failure stop the run stops there.

Ctrl-C (or SIGTERM) stops the run and its tasks' processes; nothing is stored or written. Exit codes: 0 every task DONE, 1 a task FAILED (the run is still stored), 2 bad input, 130 interrupted (143 on SIGTERM).`;

  static override examples = [
    { description: "The paper's example at 1/1000 scale (7.5 s level by level, 5.5 s asynchronously)", command: '<%= config.bin %> <%= command.id %> traces/specs/paper.yaml --mode sync --scale 0.001' },
    { description: 'The same asynchronously, then compare the two with the model', command: '<%= config.bin %> <%= command.id %> traces/specs/paper.yaml --mode async --scale 0.001 && <%= config.bin %> compare paper-sync paper-async' },
    { description: "DG2's shape on 2 nodes of 8 CPU and 2 GPU slots, keeping the trace file", command: '<%= config.bin %> <%= command.id %> traces/specs/dg2-local.yaml --mode async --out dg2-local-async.jsonl' },
    { description: 'Stop at the first failing task instead of running what does not depend on it', command: '<%= config.bin %> <%= command.id %> my-workflow.yaml --mode sync --on-failure stop' },
    { description: 'Only write the trace, on a machine of 4 cores and 2 GPU slots', command: '<%= config.bin %> <%= command.id %> my-workflow.yaml --mode async --cores 4 --gpus 2 --out run.jsonl --no-store' },
  ];

  static override args = {
    spec: Args.string({ description: 'Workflow spec file, YAML or JSON (see docs/model.md); stages and tasks may give a command', required: true }),
  };

  static override flags = {
    mode: Flags.string({ description: 'sync: level by level with a barrier after each DAG level; async: each task when its dependencies are done', options: ['sync', 'async'], required: true }),
    label: Flags.string({ description: 'Label of the stored run [default: the run id]' }),
    workflow: Flags.string({ description: "Workflow name of the stored run [default: the spec's name]" }),
    out: Flags.string({ description: 'Also write the trace to FILE (JSON Lines; .gz compresses); the stored run is then named after FILE', helpValue: 'FILE' }),
    store: Flags.boolean({ description: 'Store the run in the database (--no-store: only write --out)', allowNo: true, default: true }),
    scale: Flags.string({ description: 'Multiply every duration of the spec (0.001: seconds become milliseconds)', default: '1', helpValue: 'FACTOR' }),
    'on-failure': Flags.string({ description: 'When a task fails: continue with what does not depend on it, or stop the run', options: ['continue', 'stop'], default: 'continue' }),
    cores: Flags.integer({ description: "Total CPU slots (replaces the spec's platform)", min: 1, helpValue: 'N' }),
    gpus: Flags.integer({ description: 'Total GPU slots', min: 0, helpValue: 'N' }),
    nodes: Flags.integer({ description: 'Split the slots over this many equal nodes (without it, they are pooled)', min: 1, helpValue: 'N' }),
    ...provenanceFlags("the spec's folder"),
  };

  /** The first SIGINT or SIGTERM received, and what it stops while the tasks run. */
  private signal: NodeJS.Signals | null = null;
  private abortRun: ((signal: NodeJS.Signals) => void) | null = null;

  public async run(): Promise<void> {
    const { flags } = this;
    const scale = Number(flags.scale);
    if (!(scale > 0) || !Number.isFinite(scale)) throw new InputError(`--scale: expected a positive number, got "${flags.scale}"`);
    const spec = readSpecFile(this.args.spec);
    const mode = flags.mode as ExecutionMode;
    const provenance = provenanceFromFlags(flags, this.config.version, (warning) => this.warn(warning)).forTrace(path.resolve(this.args.spec));
    const prepared = prepareRun(
      {
        specFile: this.args.spec,
        spec,
        mode,
        scale,
        onFailure: flags['on-failure'] as FailurePolicy,
        platform: { cores: flags.cores, gpus: flags.gpus, nodes: flags.nodes },
        label: flags.label,
        workflow: flags.workflow,
        out: flags.out,
        store: flags.store,
        provenance,
      },
      (message) => this.warn(message),
    );
    // Opened once the request is known to be good: bad input leaves no store behind.
    const store = flags.store ? await this.openStore({ access: 'write', create: true }) : null;

    // While tasks run, a signal stops them. Once they have all ended, a signal is noted and the
    // run is still written and stored (a moment's work): a run kept whole beats one lost at its end.
    const onSignal = (name: NodeJS.Signals) => {
      this.signal ??= name;
      this.abortRun?.(name);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    // The bar starts with the first task, when the number of tasks is known.
    const bar: { progress: Progress | null } = { progress: null };
    try {
      const result = await runSpec(prepared, store, {
        onWarning: (message) => this.warn(message),
        onProgress: ({ settled, running, total }) => {
          bar.progress ??= startProgress(total, `${mode}: starting`);
          bar.progress.update(settled, `${mode}: ${running} running`);
        },
        onAbortable: (abort) => (this.abortRun = abort),
      });
      bar.progress?.stop();
      if (result.kind === 'aborted') {
        process.stderr.write(`asyncscope: interrupted (${result.signal}): stopped ${result.stopped} running task(s); nothing was stored or written\n`);
        return this.exit(SIGNAL_EXIT[result.signal] ?? 130);
      }
      const { plan, summary, stored, predictedS, execution } = result;
      this.tellFailures(plan, execution);
      if (flags.json) this.printJson(resultJson(plan, summary, stored, flags.out ?? null, mode, predictedS, execution));
      else this.printHuman(plan, summary, stored, mode, predictedS);
      if (this.signal !== null) {
        process.stderr.write(`asyncscope: interrupted (${this.signal}) after the last task had ended: the run was kept whole\n`);
        return this.exit(SIGNAL_EXIT[this.signal] ?? 130);
      }
      if (summary.failed > 0) this.exit(EXIT_CHECK_FAILED);
    } finally {
      bar.progress?.stop();
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  }

  private tellFailures(plan: RunPlan, execution: ExecutionResult): void {
    const failures = plan.tasks.filter((task) => execution.records[task.index].state === 'FAILED');
    for (const task of failures.slice(0, 5)) {
      const record = execution.records[task.index];
      const why = record.message === null ? '' : `: ${printable(record.message).slice(0, 300)}`;
      this.warn(`task ${printable(task.id)} failed (exit code ${record.exitCode})${why}`);
    }
    if (failures.length > 5) this.warn(`and ${failures.length - 5} more task(s) failed`);
    const canceled = plan.tasks.filter((task) => execution.records[task.index].state === 'CANCELED').length;
    if (canceled > 0) this.warn(`${canceled} task(s) canceled: they depended on a failed task, or the run stopped`);
  }

  private printHuman(plan: RunPlan, summary: RunSummary, stored: StoredRunResult | null, mode: string, predictedS: number | null): void {
    const overhead = summary.launchOverheadS;
    this.print(
      renderFields([
        ['workflow', `${plan.name ?? path.basename(this.args.spec)} (${summary.tasks} tasks), ${mode}, scale ${decimal(plan.scale, 6)}`],
        ['platform', describePlatform(plan.platform)],
        ['tasks', `${summary.done} done, ${summary.failed} failed, ${summary.canceled} canceled`],
        ['makespan_s', `${seconds(summary.makespanS) ?? '-'} measured${predictedS === null ? '' : `, ${seconds(predictedS)} predicted by the model for this spec`}`],
        ['launch', overhead === null ? null : `${seconds(overhead.median)} s per task (median; max ${seconds(overhead.max)} s): measured - stated duration of ${overhead.tasks} sleep task(s)`],
        ...(this.flags.out === undefined ? [] : [['trace', this.flags.out] as [string, string]]),
      ]),
    );
    if (stored !== null) {
      this.print();
      const { run, status } = stored;
      this.print(renderTable(['STATUS', 'ID', 'LABEL', 'MODE', 'TASKS', 'MAKESPAN_S', 'SOURCE'], [[status, run.id, run.label, run.mode, run.tasks, seconds(run.makespanS), run.source]]));
    }
  }
}

function resultJson(
  plan: RunPlan,
  summary: RunSummary,
  stored: StoredRunResult | null,
  out: string | null,
  mode: string,
  predictedS: number | null,
  execution: ExecutionResult,
) {
  return {
    run: stored === null ? null : { ...runJson(stored.run), status: stored.status, warnings: stored.warnings },
    out,
    mode,
    scale: plan.scale,
    platform: capacityJson(plan.platform),
    tasks: { total: summary.tasks, done: summary.done, failed: summary.failed, canceled: summary.canceled },
    makespan_s: summary.makespanS,
    predicted_s: predictedS,
    launch_overhead_s: summary.launchOverheadS,
    failed: plan.tasks
      .filter((task) => execution.records[task.index].state === 'FAILED')
      .map((task) => ({ id: task.id, exit_code: execution.records[task.index].exitCode, message: execution.records[task.index].message })),
  };
}

function capacityJson(platform: RunnablePlatform): { nodes: number | null; cores: number; gpus: number } {
  if (platform.kind === 'pool') return { nodes: null, cores: platform.cores, gpus: platform.gpus };
  return { nodes: platform.nodes, cores: platform.nodes * platform.coresPerNode, gpus: platform.nodes * platform.gpusPerNode };
}
