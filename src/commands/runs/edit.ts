import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../../cli/base-command.js';
import { capacityFlags, capacityFromFlags } from '../../cli/capacity-flags.js';
import { InputError } from '../../errors.js';
import { parseMetaFlags } from '../../provenance/meta-flags.js';
import { manyTypesWarning, parseTypeRule, retypeBy } from '../../importers/type-rule.js';
import { typeFromFlag } from '../../cli/type-from-flag.js';
import { RUN_MODES, runJson, type RunMode } from '../../run/stored-run.js';
import { capacityText } from '../../text/numbers.js';
import { printable } from '../../text/printable.js';
import { renderFields } from '../../text/table.js';

export default class RunsEdit extends BaseCommand<typeof RunsEdit> {
  static override summary = "Change a run's label, mode, workflow, capacity, provenance or task types";

  static override examples = [
    { description: 'Mark a run as the asynchronous one and give it a label', command: '<%= config.bin %> <%= command.id %> re.session.login5.pascuzzi.019221.0001 --mode async --label dg2-async' },
    { description: 'State the machine of a CSV trace, for utilization', command: '<%= config.bin %> <%= command.id %> nightly --cores 2688 --gpus 96 --nodes 16' },
    { description: 'Say which commit a run measured, add a pair, remove another', command: '<%= config.bin %> <%= command.id %> nightly@latest --meta commit=1f2a901 --meta gpu=a100 --meta old=' },
    { description: 'Group tasks by the program they ran', command: '<%= config.bin %> <%= command.id %> rp.session.mosto.mturilli.019432.0002 --type-from executable' },
    { description: 'Back to the types the trace gave', command: '<%= config.bin %> <%= command.id %> nightly --type-from trace' },
  ];

  static override args = {
    run: Args.string({ description: 'Run id, or a label carried by one run', required: true }),
  };

  static override flags = {
    label: Flags.string({ description: 'New label' }),
    mode: Flags.string({ description: 'New mode', options: [...RUN_MODES] }),
    workflow: Flags.string({ description: 'New workflow name ("" clears it)' }),
    'type-from': typeFromFlag,
    ...capacityFlags,
    meta: Flags.string({
      description: 'Set a provenance field (commit, commit_title, branch, ci, job_url, host) or a free pair; KEY= removes it (repeatable)',
      helpValue: 'KEY=VALUE',
      multiple: true,
      multipleNonGreedy: true,
    }),
  };

  public async run(): Promise<void> {
    const store = await this.openStore({ access: 'write' });
    const run = await store.resolveRun(this.args.run);
    const { label, mode, workflow } = this.flags;
    const capacity = capacityFromFlags(this.flags);
    const meta = this.flags.meta === undefined ? undefined : parseMetaFlags(this.flags.meta);
    for (const warning of meta?.warnings ?? []) this.warn(warning);
    const typeRule = this.flags['type-from'] === undefined ? undefined : parseTypeRule(this.flags['type-from']);
    if (label === undefined && mode === undefined && workflow === undefined && capacity === undefined && meta === undefined && typeRule === undefined) {
      throw new InputError('nothing to change: give --label, --mode, --workflow, --type-from, --cores, --gpus, --nodes or --meta');
    }
    if (label !== undefined && label.trim() === '') throw new InputError('--label must not be empty');
    let types: number | undefined;
    if (typeRule) {
      const retype = retypeBy(typeRule);
      types = await store.retypeTasks(run, retype);
      if (retype.unmatched() > 0) this.warn(`--type-from ${typeRule.text}: ${retype.unmatched()} task(s) gave it nothing to go by and kept the type of the trace`);
      const many = manyTypesWarning(run.id, types);
      if (many) this.warn(many);
    }
    const edited = await store.editRun(run, {
      label,
      mode: mode as RunMode | undefined,
      workflow: workflow === undefined ? undefined : workflow === '' ? null : workflow,
      capacity,
      provenance: meta && { fields: meta.fields, meta: meta.meta },
    });
    if (this.flags.json) {
      this.printJson({ ...runJson(edited), ...(types === undefined ? {} : { types }) });
      return;
    }
    this.print(
      renderFields([
        ['id', edited.id],
        ['label', edited.label],
        ['mode', edited.mode],
        ['workflow', edited.workflow],
        ['capacity', capacityText(edited.capacity)],
        ['commit', edited.provenance.commit === null ? null : printable(edited.provenance.commit)],
        ['branch', edited.provenance.branch === null ? null : printable(edited.provenance.branch)],
        ...Object.entries(edited.provenance.meta).map(([key, value]): [string, string] => [`meta.${printable(key)}`, printable(value)]),
        ...(types === undefined ? [] : [['types', `${types} (--type-from ${typeRule!.text})`] as [string, string]]),
      ]),
    );
  }
}
