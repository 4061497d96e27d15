import * as Args from '@oclif/core/args';
import { Command } from '@oclif/core/command';
import { loadHelpClass } from '@oclif/core/help';
import { EXIT_BAD_INPUT } from '../errors.js';

/**
 * `asyncscope help [COMMAND...]`: the same text as `--help`, as users of git and npm expect. oclif
 * ships this as a plugin (@oclif/plugin-help) whose current line needs Node 22 and oclif 5; this is
 * its few lines over oclif's own Help class.
 */
export default class Help extends Command {
  static override summary = 'Show help for asyncscope or one of its commands';
  static override description = 'The same text as COMMAND --help. Without a command: the list of commands.';
  static override examples = [
    { description: 'The list of commands', command: '<%= config.bin %> help' },
    { description: 'How to ingest traces', command: '<%= config.bin %> help ingest' },
    { description: 'A command of a topic', command: '<%= config.bin %> help runs edit' },
  ];

  static override args = {
    command: Args.string({ description: 'Command (and subcommand) to show help for', required: false }),
  };

  static override strict = false;

  public async run(): Promise<void> {
    const { argv } = await this.parse(Help);
    const words = argv as string[];
    const id = words.join(':');
    if (words.length > 0 && !this.config.findCommand(id) && !this.config.findTopic(id)) {
      process.stderr.write(`asyncscope: error: command ${words.join(' ')} not found: see asyncscope help\n`);
      return this.exit(EXIT_BAD_INPUT);
    }
    const HelpClass = await loadHelpClass(this.config);
    await new HelpClass(this.config, this.config.pjson.oclif.helpOptions ?? {}).showHelp(words);
  }
}
