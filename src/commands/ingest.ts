import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { provenanceFlags, provenanceFromFlags } from '../cli/provenance-flags.js';
import { BaseCommand } from '../cli/base-command.js';
import { capacityFlags, capacityFromFlags } from '../cli/capacity-flags.js';
import { inputProgress, type Progress } from '../cli/progress.js';
import { EXIT_BAD_INPUT } from '../errors.js';
import { ingest, savedRunJson, type IngestOutcome } from '../importers/ingest.js';
import { FORMAT_CHOICES } from '../importers/registry.js';
import { parseTypeRule } from '../importers/type-rule.js';
import { typeFromFlag } from '../cli/type-from-flag.js';
import { RUN_MODES, type RunMode } from '../run/stored-run.js';
import { seconds } from '../text/numbers.js';
import { renderTable } from '../text/table.js';

export default class Ingest extends BaseCommand<typeof Ingest> {
  static override summary = 'Load execution traces into the database, one run per trace';
  static override description = `Reads RADICAL-Pilot sessions (a session folder, or a .tgz/.tar.gz/.tar.bz2 of one, streamed without unpacking), task tables (CSV/TSV or JSON Lines, one task per row; see docs/formats.md), WfCommons WfFormat instances (JSON, schema 1.4 to 1.6), Chrome Trace Event Format traces (Perfetto, Ray timeline, profilers; see docs/formats-wfcommons-chrome.md), Nextflow traces (trace.txt, execution_trace_*.txt), Snakemake working directories (their .snakemake records and logs) Dask task streams (get_task_stream() records as JSON or JSON Lines), Slurm accounting (sacct -P / -p text, sacct --json), Parsl monitoring databases (monitoring.db) and Pegasus stampede databases (*.stampede.db; see docs/formats-hpc.md). The format is recognised by content; any file but the databases may be gzip- or bzip2-compressed.

A sacct output is one run, each job allocation a task, its steps phases of it (--sacct-steps: each step a task). A Parsl database holds a run per workflow run (--parsl-run picks one), a Pegasus database a run per root workflow, its sub-workflows included; each of them is stored in its own transaction.

Nextflow's dates and Snakemake's log times are local time without a zone: --tz names it (UTC otherwise, with a warning; Snakemake learns it from its metadata records when it can). Each task keeps the system's own final state and a normalized outcome (done, failed, cancelled, cached, skipped ...); cached tasks (Nextflow CACHED, Snakemake jobs up to date) have no start or end and do not count in the makespan.

WfCommons instances keep their task DAG and runtimes; most give no start times and are stored as unscheduled runs. In Chrome traces each top-level slice (an X event, or a B/E pair) is a task; --chrome-type and --chrome-nested change how slices become tasks.

Each trace is stored in one transaction: a trace that fails leaves the database as it was, and with several inputs the good ones are still stored (exit code 2 if any failed). The same content ingested again is recognised by its hash and not stored twice; --replace re-imports it.

Folders that are not a session are searched for traces; files there that are not traces (READMEs, licences) are skipped. Quote glob patterns so that asyncscope expands them.

Task types come from the trace: RADICAL-EnTK's stage names, a table's type column, a task name without its number, or (RADICAL-Pilot tasks without EnTK) the program they run. --type-from name|stage|executable|regex:PATTERN chooses otherwise (asyncscope runs edit --type-from changes them later); a run with more than a few dozen types gets a warning.

Provenance: each run records where it came from: the commit, its title and the branch, the CI provider and job URL (from the GitHub Actions or GitLab CI environment), else git of the trace's folder, the host and the asyncscope version; --meta KEY=VALUE sets a field (commit, commit_title, branch, ci, job_url, host) or a free pair, and wins over detection. Credentials in URLs are removed. --no-provenance records only --meta. See the README.`;

  static override examples = [
    {
      description: 'Store the DG2 synchronous run from the bundled Summit traces',
      command: '<%= config.bin %> <%= command.id %> sessions/re.session.login5.pascuzzi.019221.0000.tgz --mode sync --label dg2-sync',
    },
    { description: 'Everything matching a pattern, many runs at once', command: "<%= config.bin %> <%= command.id %> 'traces/**/*.tgz'" },
    {
      description: 'A task table from another workflow system, with the machine it ran on',
      command: '<%= config.bin %> <%= command.id %> tasks.csv --cores 256 --gpus 8 --nodes 2 --mode async --label nightly',
    },
    { description: 'A WfCommons instance: its task DAG and runtimes (an unscheduled run)', command: '<%= config.bin %> <%= command.id %> instances/srasearch-chameleon-10a-001.json' },
    {
      description: 'A PyTorch profiler trace, with the event categories (kernel, cpu_op, ...) as task types',
      command: '<%= config.bin %> <%= command.id %> trace.pt.trace.json.gz --chrome-type cat --gpus 8 --cores 64',
    },
    {
      description: 'A nightly benchmark run, with the GPU model it ran on (the commit and branch come from CI or git)',
      command: '<%= config.bin %> <%= command.id %> out/trace.csv --label nightly --cores 64 --gpus 8 --meta gpu=a100',
    },
    {
      description: 'Types from part of each task name (the first capture group)',
      command: "<%= config.bin %> <%= command.id %> run.csv --type-from 'regex:^(sim|train|infer)'",
    },
    { description: 'A Nextflow trace written in Zurich time', command: '<%= config.bin %> <%= command.id %> results/pipeline_info/execution_trace.txt --tz Europe/Zurich --cores 32' },
    { description: 'Snakemake runs: each working directory in the folder is one run (its latest)', command: '<%= config.bin %> <%= command.id %> traces/snakemake' },
    { description: 'A Dask task stream, with scheduler-info.json and graph.json beside it', command: '<%= config.bin %> <%= command.id %> traces/dask/paper-example/task-stream.jsonl --label dask-run' },
    { description: 'Slurm accounting of a workflow run as sbatch jobs', command: '<%= config.bin %> <%= command.id %> traces/sacct/workflow-async.sacct.txt --cores 16 --gpus 4 --nodes 1' },
    { description: 'One workflow run of a Parsl monitoring database', command: '<%= config.bin %> <%= command.id %> runinfo/monitoring.db --parsl-run 1b664c49-ddcb-4f5c-ab04-7c17d283d69a' },
    { description: 'A Pegasus workflow, from its submit folder', command: '<%= config.bin %> <%= command.id %> submit/run0001/process-0.stampede.db --cores 32' },
    { description: 'Machine-readable result', command: '<%= config.bin %> <%= command.id %> sessions/ --json' },
  ];

  static override args = {
    paths: Args.string({ description: 'Trace files, session folders, folders of traces, or quoted glob patterns', required: true }),
  };

  static override strict = false;

  static override flags = {
    format: Flags.string({ description: 'Trace format', options: [...FORMAT_CHOICES], default: 'auto' }),
    mode: Flags.string({ description: 'How the run executed its DAG [default: unknown]', options: [...RUN_MODES] }),
    label: Flags.string({ description: 'Label for the run(s) [default: the run id]; repeated runs of one benchmark share a label' }),
    workflow: Flags.string({ description: 'Name of the workflow the run executed' }),
    replace: Flags.boolean({ description: 'Re-import a trace already stored (same content or same run id), replacing it' }),
    strict: Flags.boolean({
      description:
        'Refuse a trace whose times no real run has (a time beyond the year 5000, a run spanning more than a year, start times in two clusters orders of magnitude apart, times in the future) instead of storing it with a warning',
    }),
    'chrome-type': Flags.string({
      description:
        'Chrome traces: task type from each slice\'s name or its category (cat); auto takes the name unless there are more than 50 distinct names (profilers) and few categories',
      options: ['auto', 'name', 'cat'],
      default: 'auto',
    }),
    'chrome-nested': Flags.boolean({
      description: 'Chrome traces: also take slices nested inside another slice of the same thread as tasks (default: only top-level slices, the others being phases of a task)',
    }),
    'type-from': typeFromFlag,
    tz: Flags.string({
      description: 'Zone of wall-clock times written without one (Nextflow dates, Snakemake logs): an IANA name (Europe/Zurich), UTC or an offset (+02:00) [default: UTC, with a warning]',
      helpValue: 'ZONE',
    }),
    'sacct-steps': Flags.boolean({ description: 'sacct output: each job step a task of its own (default: a job allocation is a task, its steps phases of it)' }),
    'parsl-run': Flags.string({ description: 'Parsl monitoring database: import only the workflow run with this run_id (default: every run in it)' }),
    ...capacityFlags,
    ...provenanceFlags('the trace folder'),
  };

  public async run(): Promise<void> {
    const provenance = provenanceFromFlags(this.flags, this.config.version, (warning) => this.warn(warning));
    const typeFrom = this.flags['type-from'] === undefined ? undefined : parseTypeRule(this.flags['type-from']);
    const store = await this.openStore({ access: 'write', create: true, bulkWrite: true });
    let progress: Progress | undefined;
    const outcomes = await ingest(
      store,
      {
        paths: this.argList,
        format: this.flags.format,
        label: this.flags.label,
        mode: this.flags.mode as RunMode | undefined,
        workflow: this.flags.workflow,
        replace: this.flags.replace,
        strict: this.flags.strict,
        capacity: capacityFromFlags(this.flags),
        chrome: { type: this.flags['chrome-type'] as 'auto' | 'name' | 'cat', nested: this.flags['chrome-nested'] },
        provenance: (tracePath) => provenance.forTrace(tracePath),
        typeFrom,
        timeZone: this.flags.tz,
        sacct: { steps: this.flags['sacct-steps'] },
        parsl: { run: this.flags['parsl-run'] },
      },
      {
        onStart: (input, index, count) => {
          progress?.stop();
          const shown = inputProgress(input, `${index + 1}/${count} ${input.display}`);
          progress = shown.progress;
          return shown.onBytes;
        },
        onOutcome: (outcome) => {
          if (outcome.kind === 'saved') this.storedSoFar++;
          progress?.stop();
          progress = undefined;
          this.tellAbout(outcome);
        },
      },
    );
    progress?.stop();

    const saved = outcomes.filter((o) => o.kind === 'saved');
    if (this.flags.json) {
      this.printJson(saved.map(savedRunJson));
    } else if (saved.length > 0) {
      this.print(
        renderTable(
          ['STATUS', 'ID', 'LABEL', 'MODE', 'TASKS', 'MAKESPAN_S', 'SOURCE'],
          saved.map(({ result: { status, run }, input }) => [status, run.id, run.label, run.mode, run.tasks, seconds(run.makespanS), input.display]),
        ),
      );
    }
    const skipped = outcomes.flatMap((o) => (o.kind === 'skipped' ? [o.input.display] : []));
    if (skipped.length > 0) {
      const shown = skipped.length > 6 ? [...skipped.slice(0, 6), `and ${skipped.length - 6} more`] : skipped;
      this.warn(`skipped ${skipped.length} file(s) that are not traces: ${shown.join(', ')} (name a file explicitly to see why)`);
    }
    const failed = outcomes.filter((o) => o.kind === 'failed').length;
    if (failed > 0) {
      const tried = outcomes.length - countSkipped(outcomes);
      if (!this.flags.json && tried > 1) this.reportError(`${failed} of ${tried} inputs failed${saved.length > 0 ? '; the others were stored' : ''}`);
      this.exit(EXIT_BAD_INPUT);
    }
    if (saved.length === 0 && outcomes.length > 0) {
      this.reportError('no traces found in the given paths');
      this.exit(EXIT_BAD_INPUT);
    }
  }

  /** Runs stored (or found stored) before an interruption: kept, each in its own committed transaction. */
  private storedSoFar = 0;

  protected override interruptedNote(): string {
    const before = this.storedSoFar > 0 ? `; the ${this.storedSoFar} run(s) ingested before it are kept` : '';
    return `nothing of the trace being read was stored (the database is as it was before it${before})`;
  }

  private tellAbout(outcome: IngestOutcome): void {
    switch (outcome.kind) {
      case 'failed':
        this.reportError(outcome.error.message);
        break;
      case 'skipped':
        break; // summarised once at the end
      case 'saved': {
        const { result, input } = outcome;
        if (result.status === 'existing') {
          this.warn(`${input.display}: already stored as run ${result.run.id} (same content); nothing new stored (use --replace to re-import)`);
          if (this.flags['type-from'] !== undefined) this.warn(`--type-from was not applied to the stored run: asyncscope runs edit ${result.run.id} --type-from ${this.flags['type-from']}`);
        }
        for (const note of result.notes) this.warn(`${input.display}: ${note}`);
        for (const warning of outcome.warnings) this.warn(`${input.display}: ${warning}`);
        break;
      }
    }
  }
}

function countSkipped(outcomes: IngestOutcome[]): number {
  return outcomes.filter((o) => o.kind === 'skipped').length;
}
