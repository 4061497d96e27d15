import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../cli/base-command.js';
import { parseFraction, parseNumberList, parseScales } from '../cli/grid-flags.js';
import { parseAutoOrSeconds, parseSeconds } from '../cli/seconds-flag.js';
import { DEFAULT_BARRIER_GAP_S } from '../model/infer-spec.js';
import { specTaskCount } from '../model/spec.js';
import { whatIfJson, whatIfRequest, type WhatIfRequest } from '../model/whatif-request.js';
import type { WhatIfPoint } from '../model/whatif.js';
import { decimal, percent, seconds } from '../text/numbers.js';
import { renderFields, renderTable } from '../text/table.js';
import { emphasize } from '../text/terminal.js';

export default class WhatIf extends BaseCommand<typeof WhatIf> {
  static override summary = 'Predict the makespans of a workflow on other resources: a grid of nodes, cores and GPUs per node';

  static override description = `For every combination of --nodes, --cores-per-node and --gpus-per-node, the sequential, synchronous (level by level) and asynchronous makespans the model predicts (as asyncscope predict gives them), the improvement of async over sync, and the cost in node-hours (nodes x async makespan). The workflow is a spec file, or a stored run whose spec is inferred and calibrated as predict --from-run does. Cores and GPUs per node default to the workflow's own.

--scale TYPE=2x makes every task of a type twice as long (repeatable): what if the training got slower, the simulations faster. --best names the cheapest allocation (fewest node-hours) whose asynchronous makespan is within --within (default 5%) of the fastest point's.

Values are lists (4,8,16) or ranges (1..16, or 4..64/4 in steps of 4). Points where a task cannot fit get no makespans and a note. See docs/model.md, "What if".`;

  static override examples = [
    { description: 'The asynchronous DG2 run on 4 to 32 nodes', command: '<%= config.bin %> <%= command.id %> dg2-async --nodes 4,8,12,16,24,32' },
    { description: 'A 100-point grid, and the cheapest allocation within 5% of the fastest', command: '<%= config.bin %> <%= command.id %> traces/specs/dg2.yaml --nodes 1..25 --gpus-per-node 2,4,6,8 --best' },
    { description: 'What if training took twice as long', command: '<%= config.bin %> <%= command.id %> ddmd-async --nodes 8,16,32 --scale MachineLearning=2x --json' },
  ];

  static override args = {
    workflow: Args.string({ description: 'A workflow spec file (YAML or JSON), or a stored run (id or label)', required: true }),
  };

  static override flags = {
    nodes: Flags.string({ description: "Node counts to try [default: the workflow's]", helpValue: 'LIST' }),
    'cores-per-node': Flags.string({ description: "Cores per node to try [default: the workflow's]", helpValue: 'LIST' }),
    'gpus-per-node': Flags.string({ description: "GPUs per node to try [default: the workflow's]", helpValue: 'LIST' }),
    scale: Flags.string({ description: 'Scale the durations of a task type: TYPE=FACTORx (repeatable)', helpValue: 'TYPE=Nx', multiple: true }),
    best: Flags.boolean({ description: 'Name the cheapest point (fewest node-hours) whose async makespan is within --within of the fastest' }),
    within: Flags.string({ description: 'With --best: how far from the fastest async makespan a point may be', default: '5%', helpValue: 'PERCENT' }),
    overhead: Flags.string({ description: "Launch overhead: 'auto' calibrates it from the run [default: auto for a run, the spec's overhead_s for a spec]", helpValue: 'auto|SECONDS' }),
    'barrier-gap': Flags.string({ description: `For a run: the barrier gap of the inference (see predict --help) [default: ${DEFAULT_BARRIER_GAP_S}]`, helpValue: 'SECONDS' }),
  };

  public async run(): Promise<void> {
    const { flags } = this;
    const request: WhatIfRequest = {
      workflow: this.args.workflow,
      nodes: flags.nodes === undefined ? undefined : parseNumberList('nodes', flags.nodes, { integers: true }),
      coresPerNode: flags['cores-per-node'] === undefined ? undefined : parseNumberList('cores-per-node', flags['cores-per-node']),
      gpusPerNode: flags['gpus-per-node'] === undefined ? undefined : parseNumberList('gpus-per-node', flags['gpus-per-node'], { allowZero: true }),
      scales: parseScales(flags.scale ?? []),
      best: flags.best,
      within: parseFraction('within', flags.within),
      barrierGapS: flags['barrier-gap'] === undefined ? undefined : parseSeconds('barrier-gap', flags['barrier-gap']),
      overhead: flags.overhead === undefined ? undefined : parseAutoOrSeconds('overhead', flags.overhead),
    };
    const planned = await whatIfRequest(request, () => this.openStore());
    for (const warning of planned.warnings) this.warn(warning);
    if (flags.json) {
      this.printJson(whatIfJson(planned, request));
      return;
    }
    const { spec, source, result, best } = planned;
    const { scales, within } = request;
    this.print(
      renderFields([
        ['workflow', `${spec.name ?? '(unnamed)'} (${specTaskCount(spec)} tasks; ${source})`],
        ['overhead', `${seconds(spec.overheadS)} s`],
        ...(scales.size > 0 ? [['scaled', [...scales].map(([type, f]) => `${type} x${decimal(f)}`).join(', ')] as [string, string]] : []),
        ['grid', `${result.points.length} point(s), simulated in ${result.elapsedS.toFixed(3)} s`],
      ]),
    );
    this.print();
    this.print(
      renderTable(
        ['NODES', 'CORES/NODE', 'GPUS/NODE', 'SEQUENTIAL_S', 'SYNC_S', 'ASYNC_S', 'IMPROVEMENT', 'NODE_HOURS', ...(flags.best ? ['BEST'] : []), 'NOTE'].map((h, i) =>
          i >= 3 && i <= 7 ? { header: h, align: 'right' as const } : h,
        ),
        result.points.map((p) => [
          p.nodes,
          decimal(p.coresPerNode),
          decimal(p.gpusPerNode),
          seconds(p.sequentialS),
          seconds(p.syncS),
          seconds(p.asyncS),
          percent(p.improvement),
          decimal(p.nodeHours, 2),
          ...(flags.best ? [p === best ? '*' : ''] : []),
          p.note ?? '',
        ]),
      ),
    );
    if (flags.best) this.print(best ? emphasize(bestText(best, result.points, within)) : 'best: no point can run the workflow');
  }
}

function bestText(best: WhatIfPoint, points: WhatIfPoint[], within: number): string {
  const fastest = points.filter((p) => p.asyncS !== null).sort((a, b) => a.asyncS! - b.asyncS!)[0];
  return `best: ${best.nodes} nodes x (${decimal(best.coresPerNode)} cores, ${decimal(best.gpusPerNode)} GPUs): async ${seconds(best.asyncS)} s, ${decimal(best.nodeHours, 2)} node-hours, the cheapest within ${percent(within)} of the fastest (${fastest.nodes} nodes, ${seconds(fastest.asyncS)} s)`;
}
