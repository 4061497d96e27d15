/**
 * What every asyncscope command shares: `--db` and `--json`, opening the store, printing, and
 * turning errors into one line on stderr with the documented exit code
 * (0 ok, 1 a check failed, 2 bad input or usage, 3 internal error).
 */
// Subpaths, not '@oclif/core' itself: its index loads every part of oclif (and semver, for a Node
// version check) on each start, a third of oclif's start-up that a command never uses.
import { Command } from '@oclif/core/command';
import * as Errors from '@oclif/core/errors';
import * as Flags from '@oclif/core/flags';
import type * as Interfaces from '@oclif/core/interfaces';
import { EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_INTERRUPTED, oneLine } from '../errors.js';
import { defaultStoreLocation, openStore } from '../store/open-store.js';
import type { OpenOptions, Store } from '../store/store.js';
import { printable, printableLines } from '../text/printable.js';

export type CommandFlags<T extends typeof Command> = Interfaces.InferredFlags<(typeof BaseCommand)['baseFlags'] & T['flags']>;
export type CommandArgs<T extends typeof Command> = Interfaces.InferredArgs<T['args']>;

export abstract class BaseCommand<T extends typeof Command> extends Command {
  static override baseFlags = {
    db: Flags.string({
      description: 'The store: an SQLite file, or a shared PostgreSQL database as postgresql://USER@HOST:PORT/NAME (PG* variables and ~/.pgpass fill in the rest; sslmode passes through) [default: $ASYNCSCOPE_DB, else ./asyncscope.db]',
      helpGroup: 'GLOBAL',
      helpValue: 'PATH|URL',
    }),
    json: Flags.boolean({
      description: 'Print JSON on stdout instead of tables (field names are stable; see the README)',
      helpGroup: 'GLOBAL',
    }),
  };

  /** The command stops what it started on SIGINT and prints its own line (run, demo): no default handler. */
  static handlesSignals = false;

  protected flags!: CommandFlags<T>;
  protected args!: CommandArgs<T>;
  /** All positional arguments, for commands that take any number of them (strict = false). */
  protected argList: string[] = [];
  private stores: Store[] = [];

  public override async init(): Promise<void> {
    await super.init();
    // Ctrl-C: say so in one line and exit 130 as shells expect. An open write transaction is never
    // committed (SQLite rolls it back when the file is next opened), so the store stays consistent.
    // Commands that run processes (run, demo) stop them first and say so themselves.
    if (!(this.ctor as unknown as typeof BaseCommand).handlesSignals) {
      process.once('SIGINT', () => {
        process.stderr.write(`asyncscope: interrupted: ${this.interruptedNote()}\n`);
        process.exit(EXIT_INTERRUPTED);
      });
    }
    const { args, flags, argv } = await this.parse({
      flags: this.ctor.flags,
      baseFlags: (super.ctor as unknown as typeof BaseCommand).baseFlags,
      args: this.ctor.args,
      strict: this.ctor.strict,
    });
    this.flags = flags as CommandFlags<T>;
    this.args = args as CommandArgs<T>;
    this.argList = argv as string[];
  }

  /**
   * The store named by --db / $ASYNCSCOPE_DB: read-only unless the command writes (ingest, runs
   * edit and rm), so that only those create or migrate a store. Closed when the command ends.
   */
  protected async openStore(options: OpenOptions = { access: 'read' }): Promise<Store> {
    return this.openStoreAt(defaultStoreLocation(this.flags.db), options);
  }

  /** Another store than --db's (push --to, pull --from); closed when the command ends. */
  protected async openStoreAt(location: string, options: OpenOptions): Promise<Store> {
    const store = await openStore(location, options);
    this.stores.push(store);
    return store;
  }

  /** What an interruption left behind, for the one line printed on Ctrl-C. */
  protected interruptedNote(): string {
    return 'nothing was stored';
  }

  protected printJson(data: unknown): void {
    process.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
  }

  /** Human-readable output: control characters from traces escaped (text/printable.ts); JSON goes through printJson, exact. */
  protected print(text = ''): void {
    process.stdout.write(`${printableLines(text)}\n`);
  }

  /** A warning on stderr (also in --json mode, where stdout holds only JSON). */
  public override warn(input: string | Error): string | Error {
    process.stderr.write(`asyncscope: warning: ${printable(oneLine(typeof input === 'string' ? input : input.message))}\n`);
    return input;
  }

  /** An error that does not stop the command (one bad input among several). */
  protected reportError(message: string): void {
    process.stderr.write(`asyncscope: error: ${printable(oneLine(message))}\n`);
  }

  protected override async catch(error: Error & { exitCode?: number; oclif?: { exit?: number } }): Promise<unknown> {
    if (error instanceof Errors.ExitError) throw error;
    let code: number;
    let message = error.message;
    if (typeof error.exitCode === 'number') {
      code = error.exitCode; // InputError (2)
    } else if (error.oclif?.exit !== undefined) {
      code = error.oclif.exit === 1 ? EXIT_BAD_INPUT : error.oclif.exit; // oclif flag and argument errors
    } else if (/SQLITE_BUSY|database is locked/.test(message)) {
      code = EXIT_BAD_INPUT;
      message = `the database is busy (another process holds a long write): ${message}`;
    } else {
      code = EXIT_INTERNAL;
      message = `internal error: ${message} (please report it with the command you ran; set DEBUG=1 for a stack trace)`;
    }
    process.stderr.write(`asyncscope: error: ${printable(oneLine(message))}\n`);
    if (process.env.DEBUG && error.stack) process.stderr.write(`${error.stack}\n`);
    return this.exit(code);
  }

  protected override async finally(error: Error | undefined): Promise<unknown> {
    const stores = this.stores;
    this.stores = [];
    for (const store of stores) await store.close();
    return super.finally(error);
  }
}


/**
 * The shared flags of a command that opens no store (demo writes its own, gen writes a file):
 * --db is still accepted (demo says it is not used) but not shown in --help.
 */
export const BASE_FLAGS_WITHOUT_STORE = { ...BaseCommand.baseFlags, db: { ...BaseCommand.baseFlags.db, hidden: true } };
