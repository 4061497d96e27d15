import { BaseCommand } from '../../cli/base-command.js';
import { runJson } from '../../run/stored-run.js';
import { capacityText, seconds } from '../../text/numbers.js';
import { renderTable } from '../../text/table.js';

export default class Runs extends BaseCommand<typeof Runs> {
  static override summary = 'List the runs stored in the database';
  static override description =
    'One line per run: id, label, mode, task count, makespan (last end - first start over executed tasks, in seconds) and source. See also runs show, runs edit and runs rm.';

  static override examples = [
    { description: 'Everything stored in ./asyncscope.db', command: '<%= config.bin %> <%= command.id %>' },
    { description: 'Another database, as JSON', command: '<%= config.bin %> <%= command.id %> --db reports/demo.db --json' },
  ];

  public async run(): Promise<void> {
    const runs = await (await this.openStore()).listRuns();
    if (this.flags.json) {
      this.printJson(runs.map(runJson));
      return;
    }
    if (runs.length === 0) {
      this.print('No runs stored yet: see asyncscope ingest --help');
      return;
    }
    this.print(
      renderTable(
        ['ID', 'LABEL', 'MODE', 'FORMAT', 'TASKS', 'MAKESPAN_S', 'CAPACITY', 'SOURCE'],
        runs.map((run) => [run.id, run.label, run.mode, run.format, run.tasks, seconds(run.makespanS), capacityText(run.capacity), run.source]),
      ),
    );
  }
}
