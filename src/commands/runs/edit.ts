import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { capacityFlags, capacityFromFlags } from '../../cli/capacity-flags.js';
import { InputError } from '../../errors.js';
import { RUN_MODES, runJson, type RunMode } from '../../run/stored-run.js';
import { capacityText } from '../../text/numbers.js';
import { renderFields } from '../../text/table.js';

export default class RunsEdit extends BaseCommand<typeof RunsEdit> {
  static override summary = "Change a run's label, mode, workflow or capacity";

  static override examples = [
    { description: 'Mark a run as the asynchronous one and give it a label', command: '<%= config.bin %> <%= command.id %> re.session.login5.pascuzzi.019221.0001 --mode async --label dg2-async' },
    { description: 'State the machine of a CSV trace, for utilization', command: '<%= config.bin %> <%= command.id %> nightly --cores 2688 --gpus 96 --nodes 16' },
  ];

  static override args = {
    run: Args.string({ description: 'Run id, or a label carried by one run', required: true }),
  };

  static override flags = {
    label: Flags.string({ description: 'New label' }),
    mode: Flags.string({ description: 'New mode', options: [...RUN_MODES] }),
    workflow: Flags.string({ description: 'New workflow name ("" clears it)' }),
    ...capacityFlags,
  };

  public async run(): Promise<void> {
    const store = await this.openStore({ access: 'write' });
    const run = await store.resolveRun(this.args.run);
    const { label, mode, workflow } = this.flags;
    const capacity = capacityFromFlags(this.flags);
    if (label === undefined && mode === undefined && workflow === undefined && capacity === undefined) {
      throw new InputError('nothing to change: give --label, --mode, --workflow, --cores, --gpus or --nodes');
    }
    if (label !== undefined && label.trim() === '') throw new InputError('--label must not be empty');
    const edited = await store.editRun(run, {
      label,
      mode: mode as RunMode | undefined,
      workflow: workflow === undefined ? undefined : workflow === '' ? null : workflow,
      capacity,
    });
    if (this.flags.json) {
      this.printJson(runJson(edited));
      return;
    }
    this.print(
      renderFields([
        ['id', edited.id],
        ['label', edited.label],
        ['mode', edited.mode],
        ['workflow', edited.workflow],
        ['capacity', capacityText(edited.capacity)],
      ]),
    );
  }
}
