import { BaseCommand } from '../../cli/base-command.js';
import { defaultStoreLocation } from '../../store/open-store.js';
import { storeStatus } from '../../store/store-status.js';

export default class DbStatus extends BaseCommand<typeof DbStatus> {
  static override summary = "Show the store's backend, location and schema version";

  static override description =
    'Reads the schema version without changing anything. A store older than this asyncscope needs `asyncscope db migrate`; one written by a newer asyncscope is refused by every command until asyncscope is upgraded (exit 2).';

  static override examples = [
    { description: 'The default store (./asyncscope.db, or $ASYNCSCOPE_DB)', command: '<%= config.bin %> <%= command.id %>' },
    { description: 'A shared PostgreSQL store', command: '<%= config.bin %> <%= command.id %> --db postgresql://ci@db.example.org/asyncscope' },
  ];

  public async run(): Promise<void> {
    const status = await storeStatus(defaultStoreLocation(this.flags.db));
    if (this.flags.json) {
      this.printJson({ backend: status.backend, location: status.location, version: status.version, latest: status.latest, state: status.state });
    } else {
      this.print(`${status.location} (${status.backend}): schema version ${status.version} of ${status.latest}, ${status.advice}`);
    }
    if (status.state === 'newer') this.exit(2);
  }
}
