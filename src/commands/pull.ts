import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../cli/base-command.js';
import { copiedText, copyRuns } from '../cli/copy-runs.js';
import { InputError } from '../errors.js';

export default class Pull extends BaseCommand<typeof Pull> {
  static override summary = 'Copy runs from a shared store into the local one';

  static override description =
    'The reverse of push: copies each run named (metadata, tasks, events, dependencies) from --from into --db, one transaction per run, idempotently (a run whose content the local store holds already is not copied again). JSON as for push.';

  static override examples = [
    { description: "Yesterday's nightly runs, to look at them offline", command: '<%= config.bin %> <%= command.id %> nightly --from postgresql://me@db.example.org/asyncscope --db mine.db' },
    { description: 'The latest run of a label', command: '<%= config.bin %> <%= command.id %> nightly@latest --from "$ASYNCSCOPE_SHARED_DB"' },
  ];

  static override args = {
    run: Args.string({ description: 'Run ids or labels (a label: all its runs), or LABEL@latest, in the shared store' }),
  };

  static override strict = false;

  static override flags = {
    from: Flags.string({ description: 'The store to copy from: a postgresql:// URL or an SQLite file', required: true, helpValue: 'URL|PATH' }),
    all: Flags.boolean({ description: 'Every run of the shared store' }),
  };

  public async run(): Promise<void> {
    if (this.argList.length === 0 && !this.flags.all) throw new InputError('name the runs to pull, or pass --all');
    const from = await this.openStoreAt(this.flags.from, { access: 'read' });
    const to = await this.openStore({ access: 'write', create: true });
    const copied = await copyRuns(from, this.argList, this.flags.all, to);
    if (this.flags.json) this.printJson(copied);
    else for (const line of copiedText(copied, 'pulled', from.location)) this.print(line);
  }
}
