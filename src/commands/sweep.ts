import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../cli/base-command.js';
import { platformFlags } from '../cli/capacity-flags.js';
import { parseSeconds } from '../cli/seconds-flag.js';
import { describePlatform } from '../model/spec.js';
import { sweepJson, sweepRequest } from '../model/sweep-request.js';
import { decimal, percent, seconds } from '../text/numbers.js';
import { renderFields, renderTable } from '../text/table.js';

export default class Sweep extends BaseCommand<typeof Sweep> {
  static override summary = 'Improvement of asynchronous over level-by-level execution against the degree of asynchronicity, over a family of workflows';

  static override description = `A family of workflows with the same stages (the same total work) on the same machine, from a chain of levels (every stage waits for the whole level before it, so nothing of one level can overlap the next) to the workflow's own DAG (for --branches: fully independent branches). Member k keeps k of the M "barrier edges" between consecutive levels that the workflow lacks; they are dropped from the last level to the first. Each member is simulated level by level and asynchronously; the table gives its degree of asynchronicity (doa of the simulated asynchronous execution, by task type, as analyze measures a run), both makespans and the improvement 1 - async / sync. Every member has the same level-by-level makespan.

The workflow: a spec file, a stored run (its inferred and calibrated spec, as predict --from-run), --branches B --levels L (a source stage, then B chains of L stages whose slowest stage rotates between branches), or, with none of these, the example of Pascuzzi et al. (A 500 s, then B 1000 -> 2000 -> 2000 beside C 1000 -> 4000). With a run and --sync RUN, the run's measured doa and improvement are printed beside the curve. --emit-specs DIR writes each member's spec, ready for asyncscope predict. See docs/model.md, "The sweep".`;

  static override examples = [
    { description: "The paper's example: 7500 s level by level, 5500 s asynchronously", command: '<%= config.bin %> <%= command.id %>' },
    { description: 'A family of 4 branches of 4 stages, as JSON', command: '<%= config.bin %> <%= command.id %> --branches 4 --levels 4 --json' },
    { description: 'The DG2 workflow, with the measured asynchronous run as a point on its curve', command: '<%= config.bin %> <%= command.id %> dg2-async --sync dg2-sync --db reports/demo.db' },
  ];

  static override args = {
    workflow: Args.string({ description: "A workflow spec file or a stored run [default: the paper's example]" }),
  };

  static override flags = {
    branches: Flags.integer({ description: 'Generate the family of B independent branches after a source stage', min: 1, helpValue: 'B' }),
    levels: Flags.integer({ description: 'With --branches: stages per branch [default: 4]', min: 1, helpValue: 'L' }),
    points: Flags.integer({ description: 'Members to simulate, spread evenly from the chain of levels to the workflow itself', default: 21, min: 2, helpValue: 'N' }),
    sync: Flags.string({ description: "With a run: the synchronous run of the same workflow, for the measured run's improvement", helpValue: 'RUN' }),
    'emit-specs': Flags.string({ description: 'Write the spec of each member simulated to DIR (member-KEPT.yaml)', helpValue: 'DIR' }),
    'barrier-gap': Flags.string({ description: 'For a run: the barrier gap of the inference (see predict --help)', helpValue: 'SECONDS' }),
    ...platformFlags,
  };

  public async run(): Promise<void> {
    const { flags } = this;
    const planned = await sweepRequest(
      {
        workflow: this.args.workflow,
        branches: flags.branches,
        levels: flags.levels,
        points: flags.points,
        sync: flags.sync,
        emitSpecs: flags['emit-specs'],
        barrierGapS: flags['barrier-gap'] === undefined ? undefined : parseSeconds('barrier-gap', flags['barrier-gap']),
        platform: { cores: flags.cores, gpus: flags.gpus, nodes: flags.nodes },
      },
      () => this.openStore(),
    );
    for (const warning of planned.warnings) this.warn(warning);
    if (flags.json) {
      this.printJson(sweepJson(planned));
      return;
    }
    const { spec, source, family, points, measured } = planned;
    const m = family.barriers.length;
    this.print(
      renderFields([
        ['workflow', `${spec.name ?? '(unnamed)'} (${family.base.stages.length} stages; ${source})`],
        ['platform', describePlatform(spec.platform)],
        ['family', m === 0 ? 'no barrier edge to add: every stage already waits for the whole level before it' : `${m} barrier edge(s) between consecutive levels; member k keeps k of them (k = ${m}: a chain of levels, 0: the workflow's own DAG)`],
      ]),
    );
    this.print();
    this.print(
      renderTable(
        ['KEPT', 'DEGREE', 'DOA', 'SYNC_S', 'ASYNC_S', 'IMPROVEMENT'].map((h) => ({ header: h, align: 'right' as const })),
        points.map((p) => [p.kept, decimal(p.degree, 3), decimal(p.doa), seconds(p.syncS), seconds(p.asyncS), percent(p.improvement)]),
      ),
    );
    if (measured) {
      this.print();
      this.print(
        `measured: run ${measured.run}: doa ${decimal(measured.doa) ?? '-'}${measured.sync ? `, improvement ${percent(measured.improvement) ?? '-'} over run ${measured.sync}` : ' (give --sync RUN for its measured improvement)'}`,
      );
    }
  }
}
