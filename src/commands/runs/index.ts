import { BaseCommand } from '../../cli/base-command.js';
import { filterFromFlags, runFilterFlags } from '../../cli/history-flags.js';
import { shortCommit } from '../../run/provenance.js';
import { runJson } from '../../run/stored-run.js';
import { capacityText, seconds } from '../../text/numbers.js';
import { printable } from '../../text/printable.js';
import { renderTable } from '../../text/table.js';

export default class Runs extends BaseCommand<typeof Runs> {
  static override summary = 'List the runs stored in the database';

  static override description =
    'One line per run, oldest import first: id, label, mode, task count, makespan (last end - first start over executed tasks, in seconds), capacity, the commit and branch it came from, and source. --where selects by metadata and provenance (branch=main, commit=1f2a901, ci=gitlab-ci, host=..., a --meta key: gpu=a100), --since by when runs were stored. See also runs show, runs edit and runs rm.';

  static override examples = [
    { description: 'Everything stored in ./asyncscope.db', command: '<%= config.bin %> <%= command.id %>' },
    { description: 'Another database, as JSON', command: '<%= config.bin %> <%= command.id %> --db reports/demo.db --json' },
    { description: 'The runs of the main branch stored in the last 30 days', command: '<%= config.bin %> <%= command.id %> --where branch=main --since 30d' },
    { description: 'The nightly runs on A100 GPUs (a --meta pair given at ingest)', command: '<%= config.bin %> <%= command.id %> --where label=nightly --where gpu=a100' },
  ];

  static override flags = { ...runFilterFlags };

  public async run(): Promise<void> {
    const filter = filterFromFlags(this.flags);
    const store = await this.openStore();
    const filtered = filter.where.length > 0 || filter.since !== null;
    const runs = filtered ? await store.findRuns(filter) : await store.listRuns();
    if (this.flags.json) {
      this.printJson(runs.map(runJson));
      return;
    }
    if (runs.length === 0) {
      this.print(filtered ? 'No run matches.' : 'No runs stored yet: see asyncscope ingest --help');
      return;
    }
    this.print(
      renderTable(
        ['ID', 'LABEL', 'MODE', 'FORMAT', 'TASKS', 'MAKESPAN_S', 'CAPACITY', 'COMMIT', 'BRANCH', 'SOURCE'],
        runs.map((run) => [
          run.id,
          run.label,
          run.mode,
          run.format,
          run.tasks,
          seconds(run.makespanS),
          capacityText(run.capacity),
          run.provenance.commit === null ? null : printable(shortCommit(run.provenance.commit)!),
          run.provenance.branch === null ? null : printable(run.provenance.branch),
          run.source,
        ]),
      ),
    );
  }
}
