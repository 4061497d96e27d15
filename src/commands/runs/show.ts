import * as Args from '@oclif/core/args';
import { BaseCommand } from '../../cli/base-command.js';
import { formatOutcomes } from '../../run/outcome.js';
import { runDetailsJson, type StoredRun } from '../../run/stored-run.js';
import { capacityText, decimal, seconds } from '../../text/numbers.js';
import { printable } from '../../text/printable.js';
import { renderFields, renderTable } from '../../text/table.js';

export default class RunsShow extends BaseCommand<typeof RunsShow> {
  static override summary = 'Show one run: its metadata, capacity, and task types with their counts';

  static override examples = [
    { description: 'By label', command: '<%= config.bin %> <%= command.id %> dg2-async' },
    { description: 'By run id, as JSON', command: '<%= config.bin %> <%= command.id %> re.session.login5.pascuzzi.019221.0001 --json' },
  ];

  static override args = {
    run: Args.string({ description: 'Run id, or a label carried by one run', required: true }),
  };

  public async run(): Promise<void> {
    const store = await this.openStore();
    const run = await store.resolveRun(this.args.run);
    const types = await store.typeCounts(run);
    if (this.flags.json) {
      this.printJson(runDetailsJson(run, types));
      return;
    }
    this.print(
      renderFields([
        ['id', run.id],
        ['label', run.label],
        ['mode', run.mode],
        ['workflow', run.workflow],
        ['format', run.format],
        ['source', run.source],
        ['started', startedText(run.epoch, run.scheduled)],
        ['imported', run.importedAt],
        ['capacity', capacityText(run.capacity) + perNode(run.capacity.coresPerNode, run.capacity.gpusPerNode)],
        ['tasks', tasksText(run)],
        ['outcomes', formatOutcomes(run.outcomes) || null],
        ['makespan_s', seconds(run.makespanS)],
        ['types', `${types.length} (${run.typeFrom === null ? 'as the trace gives them' : `--type-from ${run.typeFrom}`})`],
        ...provenanceFields(run.provenance),
      ]),
    );
    for (const warning of run.warnings) this.print(`warning:  ${warning}`);
    this.print();
    this.print(renderTable(['TYPE', 'TASKS', 'EXECUTED', 'INCOMPLETE', 'CORES', 'GPUS'], types.map((t) => [t.type, t.tasks, t.executed, t.incomplete, t.cores, t.gpus])));
  }
}

function perNode(cores: number | null, gpus: number | null): string {
  if (cores === null && gpus === null) return '';
  return ` (${decimal(cores) ?? '?'} cores, ${decimal(gpus) ?? '?'} GPUs per node)`;
}

function startedText(epoch: number | null, scheduled: boolean): string | null {
  if (epoch === null) return null;
  const date = new Date(epoch * 1000).toISOString();
  return scheduled ? `${date} (time zero: first task start)` : `${date} (the trace's own date; it has no per-task start times)`;
}

function tasksText(run: { tasks: number; executed: number; incomplete: number; scheduled: boolean }): string {
  if (!run.scheduled) return `${run.tasks} (runtimes only, no start times: timeline analyses do not apply)`;
  const never = run.tasks - run.executed - run.incomplete;
  return `${run.tasks} (${run.executed} executed, ${run.incomplete} incomplete, ${never} never started)`;
}

/** Where the run came from, one line per known field; free pairs as `meta.KEY`. */
function provenanceFields(p: StoredRun['provenance']): [string, string | null][] {
  const text = (v: string | null) => (v === null ? null : printable(v));
  return [
    ['commit', p.commit === null ? null : `${printable(p.commit)}${p.commit_title ? ` (${printable(p.commit_title)})` : ''}`],
    ['branch', text(p.branch)],
    ['ci', p.ci === null ? null : `${printable(p.ci)}${p.job_url ? ` ${printable(p.job_url)}` : ''}`],
    ['host', text(p.host)],
    ['asyncscope', text(p.asyncscope_version)],
    ...Object.entries(p.meta).map(([key, value]): [string, string] => [`meta.${printable(key)}`, printable(value)]),
  ];
}
