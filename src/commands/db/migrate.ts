import { BaseCommand } from '../../cli/base-command.js';
import { defaultStoreLocation } from '../../store/open-store.js';
import { storeStatus } from '../../store/store-status.js';

export default class DbMigrate extends BaseCommand<typeof DbMigrate> {
  static override summary = "Bring the store's schema up to this asyncscope's version";

  static override description =
    'Applies the migrations the store has not seen, in one transaction (an interrupted migration leaves the store as it was), and makes an empty database (or a missing SQLite file) a new store. Several processes may migrate at once: one does it, the others find it done. A store written by a newer asyncscope is refused (exit 2).';

  static override examples = [
    { description: 'The default store', command: '<%= config.bin %> <%= command.id %>' },
    { description: 'A shared PostgreSQL store (the password from ~/.pgpass or $PGPASSWORD)', command: '<%= config.bin %> <%= command.id %> --db postgresql://ci@db.example.org:5432/asyncscope?sslmode=require' },
  ];

  public async run(): Promise<void> {
    const location = defaultStoreLocation(this.flags.db);
    const before = await storeStatus(location).catch(() => null); // none yet: a new SQLite file
    const store = await this.openStore({ access: 'write', create: true });
    await store.close();
    const after = await storeStatus(location);
    const from = before?.version ?? 0;
    if (this.flags.json) {
      this.printJson({ backend: after.backend, location: after.location, version_before: from, version: after.version });
    } else if (from === after.version) {
      this.print(`${after.location} (${after.backend}): schema version ${after.version}, up to date: nothing to do`);
    } else {
      this.print(`${after.location} (${after.backend}): migrated from schema version ${from} to ${after.version}`);
    }
  }
}
