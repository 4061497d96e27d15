import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../cli/base-command.js';
import { copiedText, copyRuns } from '../cli/copy-runs.js';
import { InputError } from '../errors.js';

export default class Push extends BaseCommand<typeof Push> {
  static override summary = 'Copy runs from the local store into a shared one';

  static override description =
    "Copies each run (metadata, tasks, events, dependencies) in one transaction. Idempotent: a run whose content the target already holds is not copied again (status `existing`), so a CI job may push after every ingest. A run id the target gives to other content gets -2, -3, .... The target is created or migrated like an ingest's store. JSON: one object per run: from_id, status (stored, existing), run (the run as the target holds it, the fields of runs --json), notes.";

  static override examples = [
    { description: 'Ingest in CI, then publish to the team store', command: '<%= config.bin %> ingest traces/run.tgz --label nightly --db ci.db\n<%= config.bin %> <%= command.id %> nightly --db ci.db --to postgresql://ci@db.example.org/asyncscope' },
    { description: 'Every run of a local store', command: '<%= config.bin %> <%= command.id %> --all --to "$ASYNCSCOPE_SHARED_DB"' },
  ];

  static override args = {
    run: Args.string({ description: 'Run ids or labels (a label: all its runs), or LABEL@latest' }),
  };

  static override strict = false;

  static override flags = {
    to: Flags.string({ description: 'The store to copy into: a postgresql:// URL or an SQLite file', required: true, helpValue: 'URL|PATH' }),
    all: Flags.boolean({ description: 'Every run of the local store' }),
  };

  public async run(): Promise<void> {
    if (this.argList.length === 0 && !this.flags.all) throw new InputError('name the runs to push, or pass --all');
    const from = await this.openStore();
    const to = await this.openStoreAt(this.flags.to, { access: 'write', create: true });
    const copied = await copyRuns(from, this.argList, this.flags.all, to);
    if (this.flags.json) this.printJson(copied);
    else for (const line of copiedText(copied, 'pushed', to.location)) this.print(line);
  }
}
