import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../cli/base-command.js';
import { InputError } from '../errors.js';
import { EXPORT_FORMATS, exportRun, formatFromFileName, type ExportFormat } from '../exporters/index.js';
import { renderFields } from '../text/table.js';

export default class Export extends BaseCommand<typeof Export> {
  static override summary = 'Write a stored run as a Chrome/Perfetto trace, or as a CSV or JSON Lines task table';
  static override description = `Formats (docs/formats-wfcommons-chrome.md describes them):
  chrome  Chrome Trace Event Format JSON that opens in Perfetto UI (ui.perfetto.dev) and chrome://tracing: one process per task type, each task a slice on a lane of its process (no two slices of a lane overlap), counters of CPU cores and GPUs in use and of tasks running. Tasks without a start and an end are left out; a run without start times (an unscheduled WfCommons instance) cannot be drawn.
  csv     The task table asyncscope ingest reads back (absolute epoch times): export then ingest gives the same tasks.
  jsonl   The same table as JSON Lines, one task object per line.

The format follows from the file name (.json, .csv, .jsonl; a trailing .gz compresses the output) unless --format says. --out - writes to stdout. The file is written whole or not at all: a failed export leaves no partial file. Capacity, task dependencies and profile events are not part of the tables; the chrome trace keeps the capacity.`;

  static override examples = [
    { description: 'The DG2 asynchronous run as a Perfetto trace', command: '<%= config.bin %> <%= command.id %> dg2-async --out dg2-async.json' },
    { description: 'The same, compressed (Perfetto opens .json.gz too)', command: '<%= config.bin %> <%= command.id %> dg2-async --out dg2-async.json.gz' },
    { description: 'A task table for a spreadsheet', command: '<%= config.bin %> <%= command.id %> dg2-async --format csv --out dg2-async.csv' },
    { description: 'JSON Lines to another tool, through a pipe', command: '<%= config.bin %> <%= command.id %> dg2-async --format jsonl --out - | head' },
    { description: 'What was written, as JSON', command: '<%= config.bin %> <%= command.id %> dg2-async --out dg2-async.json --json' },
  ];

  static override args = {
    run: Args.string({ description: 'Run id, or a label carried by one run', required: true }),
  };

  static override flags = {
    format: Flags.string({ description: 'Output format [default: from the --out file name]', options: [...EXPORT_FORMATS] }),
    out: Flags.string({ description: 'File to write (its folder is created), or - for stdout', required: true, helpValue: 'FILE|-' }),
  };

  public async run(): Promise<void> {
    const out = this.flags.out;
    const format = (this.flags.format as ExportFormat | undefined) ?? formatFromFileName(out);
    if (format === null) {
      throw new InputError(`cannot tell the format from ${out === '-' ? 'stdout' : `the file name ${JSON.stringify(out)}`}: give --format ${EXPORT_FORMATS.join('|')}`);
    }
    if (out === '-' && this.flags.json) throw new InputError('--json prints a summary on stdout, which --out - fills with the export: write to a file instead');
    const store = await this.openStore();
    const run = await store.resolveRun(this.args.run);
    const summary = await exportRun(store, run, format, out);
    if (summary.skipped > 0) {
      this.warn(`${summary.skipped} of ${summary.tasks} tasks have no start or no end (never started, or cut short) and are not in the trace`);
    }
    if (format !== 'chrome' && !run.scheduled) {
      this.warn(`run ${run.id} is unscheduled: the table gives each task's runtime as its duration, but re-importing it keeps the tasks without their runtimes or dependencies`);
    }
    if (this.flags.json) {
      this.printJson(summary);
      return;
    }
    if (out === '-') return;
    this.print(
      renderFields([
        ['run', summary.run],
        ['format', summary.format],
        ['out', summary.out],
        ['tasks', `${summary.exported} of ${summary.tasks} written`],
        ...(summary.types === null ? [] : ([['layout', `${summary.types} task types (processes), ${summary.lanes} lanes (threads)`]] as [string, string][])),
        ['bytes', summary.bytes === summary.uncompressed_bytes ? summary.bytes : `${summary.bytes} (${summary.uncompressed_bytes} uncompressed)`],
      ]),
    );
  }
}
