import * as Args from '@oclif/core/args';
import { BaseCommand } from '../../cli/base-command.js';
import { runJson } from '../../run/stored-run.js';
import { printable } from '../../text/printable.js';

export default class RunsRm extends BaseCommand<typeof RunsRm> {
  static override summary = 'Delete runs with their tasks and events';

  static override examples = [
    { description: 'Delete one run', command: '<%= config.bin %> <%= command.id %> dg2-sync' },
    { description: 'Delete several', command: '<%= config.bin %> <%= command.id %> run-a run-b' },
  ];

  static override args = {
    run: Args.string({ description: 'Run ids, or labels each carried by one run', required: true }),
  };

  static override strict = false;

  public async run(): Promise<void> {
    const store = await this.openStore({ access: 'write' });
    // Resolve every reference before deleting anything, so a typo deletes nothing.
    const runs = [];
    for (const ref of this.argList) runs.push(await store.resolveRun(ref));
    await store.deleteRuns(runs);
    if (this.flags.json) {
      this.printJson(runs.map(runJson));
      return;
    }
    for (const run of runs) this.print(`deleted run ${printable(run.id)} (${run.tasks} tasks)`);
  }
}
