import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../cli/base-command.js';
import { platformFlags } from '../cli/capacity-flags.js';
import { parseAutoOrSeconds, parseSeconds } from '../cli/seconds-flag.js';
import { DEFAULT_BARRIER_GAP_S } from '../model/infer-spec.js';
import { predictionJson, type Prediction } from '../model/predict.js';
import { predictRequest } from '../model/prediction-request.js';
import { describePlatform, specTaskCount, type WorkflowSpec } from '../model/spec.js';
import { emphasize } from '../text/terminal.js';
import { percent, seconds } from '../text/numbers.js';
import { renderFields, renderTable } from '../text/table.js';
import { printable } from '../text/printable.js';

export default class Predict extends BaseCommand<typeof Predict> {
  static override summary = 'Predict sequential, synchronous and asynchronous makespans of a workflow';

  static override description = `Reads a workflow spec (stages or a task DAG, and the platform; see docs/model.md) or infers one from a stored run, and prints four predicted makespans: sequential (every stage alone, one after another), sync (level by level: the stages of a DAG level run together, a barrier after each level), async_ideal (the critical path, each stage as long as it takes alone on the machine) and async (a simulation without barriers: a task starts when its dependencies are done, plus the overhead, and it fits on a node). Then the improvement of async over sync and over sequential (1 - async / sync), and per stage its level, its time alone, and its start and end in the simulated asynchronous execution.

With --from-run, stages are the run's stage instances (split by task type and resources), with their measured durations; a stage depends on the previous stage of its pipeline and on every stage whose last task ended at most --barrier-gap seconds before its first task started. A run with task dependencies, or one without start times (WfCommons instances), gives a task-level DAG with the tasks' runtimes. --overhead auto (the default with --from-run) is the median gap between the end of a stage and the start of the next dependent stage in that run.

--cores, --gpus and --nodes replace the platform (of the spec, or the run's capacity) with these totals, pooled unless --nodes is given.`;

  static override examples = [
    { description: 'Predict from a spec file', command: '<%= config.bin %> <%= command.id %> traces/specs/dg2.yaml' },
    { description: 'The same on half the machine, as JSON', command: '<%= config.bin %> <%= command.id %> traces/specs/dg2.yaml --cores 1344 --gpus 48 --nodes 8 --json' },
    { description: 'Infer the spec from a stored run and save it for editing', command: '<%= config.bin %> <%= command.id %> --from-run dg2-sync --emit-spec dg2-inferred.yaml' },
    { description: 'A WfCommons instance (no timeline) on a machine of your choice', command: '<%= config.bin %> <%= command.id %> --from-run srasearch-chameleon-10a-001 --cores 48 --nodes 2' },
  ];

  static override args = {
    spec: Args.string({ description: 'Workflow spec file, YAML or JSON (see docs/model.md); or use --from-run' }),
  };

  static override flags = {
    'from-run': Flags.string({ description: 'Infer the spec from a stored run (id, or a label carried by one run)', helpValue: 'RUN' }),
    'barrier-gap': Flags.string({
      description: `With --from-run: stage B depends on stage A when B's first task started at most this long after A's last task ended [default: ${DEFAULT_BARRIER_GAP_S}]`,
      helpValue: 'SECONDS',
    }),
    overhead: Flags.string({
      description: "Delay before a task whose stage waited for another stage: 'auto' calibrates it from the run (median gap between dependent stages) [default: auto with --from-run, else the spec's overhead_s]",
      helpValue: 'auto|SECONDS',
    }),
    'emit-spec': Flags.string({ description: 'Write the spec used (inferred or overridden) to FILE, YAML (JSON if FILE ends in .json); its folder is created', helpValue: 'FILE' }),
    ...platformFlags,
  };

  public async run(): Promise<void> {
    const { flags } = this;
    const { spec, source, overheadNote, prediction, warnings } = await predictRequest(
      {
        specFile: this.args.spec,
        fromRun: flags['from-run'],
        barrierGapS: flags['barrier-gap'] === undefined ? undefined : parseSeconds('barrier-gap', flags['barrier-gap']),
        overhead: flags.overhead === undefined ? undefined : parseAutoOrSeconds('overhead', flags.overhead),
        platform: { cores: flags.cores, gpus: flags.gpus, nodes: flags.nodes },
        emitSpec: flags['emit-spec'],
      },
      () => this.openStore(),
    );
    for (const warning of warnings) this.warn(warning);
    if (flags.json) {
      this.printJson(predictionJson(prediction));
      return;
    }
    this.printHuman(spec, source, overheadNote, prediction);
  }

  private printHuman(spec: WorkflowSpec, source: string, overheadNote: string, p: Prediction): void {
    const units = spec.kind === 'stages' ? `${spec.stages.length} stages` : `${spec.tasks.length} tasks in a DAG`;
    this.print(
      renderFields([
        ['workflow', `${spec.name ?? '(unnamed)'} (${units}, ${specTaskCount(spec)} tasks; ${source})`],
        ['platform', describePlatform(spec.platform)],
        ['overhead', `${seconds(spec.overheadS)} s (${overheadNote})`],
      ]),
    );
    this.print();
    this.print(
      renderTable(
        ['PREDICTION', { header: 'MAKESPAN_S', align: 'right' }, 'MEANING'],
        [
          ['sequential', seconds(p.sequentialS), 'every stage alone, one after another'],
          ['sync', seconds(p.syncS), 'level by level, a barrier after each DAG level'],
          ['async_ideal', seconds(p.asyncIdealS), 'critical path, each stage as long as it takes alone'],
          ['async', seconds(p.asyncS), 'simulated without barriers, resources honoured'],
        ],
      ),
    );
    this.print();
    this.print(emphasize(`improvement of async: ${percent(p.improvement.vsSync) ?? '-'} vs sync, ${percent(p.improvement.vsSequential) ?? '-'} vs sequential`));
    const path = p.criticalPath.length > 8 ? [...p.criticalPath.slice(0, 4), '...', ...p.criticalPath.slice(-3)] : p.criticalPath;
    this.print(`critical path: ${path.map(printable).join(' -> ')}`);
    this.print();
    this.print(
      renderTable(
        [
          spec.kind === 'stages' ? 'STAGE' : 'TYPE',
          'TASKS',
          'LEVEL',
          { header: 'ALONE_S', align: 'right' },
          { header: 'START_S', align: 'right' },
          { header: 'END_S', align: 'right' },
        ],
        p.stages.map((s) => [s.name, s.tasks, s.level, seconds(s.aloneS), seconds(s.startS), seconds(s.endS)]),
      ),
    );
    this.print('(START_S and END_S: in the simulated asynchronous execution)');
  }
}
