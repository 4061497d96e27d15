import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { byFlag } from '../cli/analysis-flags.js';
import { BaseCommand } from '../cli/base-command.js';
import { changePointFlags, changePointOptions, filterFromFlags, runFilterFlags } from '../cli/history-flags.js';
import { startProgress, type Progress } from '../cli/progress.js';
import { DEFAULT_WINDOW } from '../check/check-rule.js';
import { historyValues } from '../check/history-values.js';
import { historyJson, type HistoryMetricJson } from '../history/history-json.js';
import { metricSeries } from '../history/series.js';
import { shortCommit } from '../run/provenance.js';
import { pValue, signed, signedPercent } from '../text/numbers.js';
import { printable } from '../text/printable.js';
import { renderTable } from '../text/table.js';

export default class History extends BaseCommand<typeof History> {
  static override summary = 'Find where a metric shifted over the stored runs of a label (change points, with the commit and the size of the shift)';

  static override description = `The runs carrying LABEL (and matching --where/--since), oldest stored first, are a series per metric; E-Divisive means (Matteson & James 2014, as MongoDB's performance CI uses it) finds the runs where the series changed level, one noisy run aside. Each change point is listed with the run and commit it began at, the median before and after it, and the shift (absolute and relative) with its permutation p-value.

Runs that did not measure a metric (no capacity for utilization, a group the run lacks) are left out of its series and listed. The search is seeded: the same history gives the same answer everywhere. See docs/ci.md for the method, its settings and its error rates; report --history draws the same series; check --history --fail-on change-point fails a CI job on a shift.`;

  static override examples = [
    { description: 'Where did the makespan of the nightly runs on main shift?', command: '<%= config.bin %> <%= command.id %> nightly --where branch=main --metric makespan_s' },
    { description: 'Two metrics over the last 90 days, as JSON', command: '<%= config.bin %> <%= command.id %> nightly --metric makespan_s --metric utilization.gpu --since 90d --json' },
    { description: 'The busy time of one task type, with a stricter test', command: '<%= config.bin %> <%= command.id %> nightly --metric groups.sim.busy_s --alpha 0.001 --permutations 999' },
  ];

  static override args = {
    label: Args.string({ description: 'The label whose runs form the history', required: true }),
  };

  static override flags = {
    metric: Flags.string({
      description: 'A metric of asyncscope analyze --json to follow (makespan_s, utilization.gpu, groups.NAME.busy_s, ...; repeatable) [default: makespan_s]',
      helpValue: 'METRIC',
      multiple: true,
      multipleNonGreedy: true,
    }),
    ...runFilterFlags,
    by: byFlag('Grouping of the runs for groups.NAME and overlap metrics'),
    ...changePointFlags,
  };

  public async run(): Promise<void> {
    const filter = filterFromFlags(this.flags);
    const cp = changePointOptions(this.flags);
    const store = await this.openStore();
    let progress: Progress | undefined;
    const history = await historyValues(
      store,
      { label: this.args.label, filter, metrics: this.flags.metric ?? ['makespan_s'], by: this.flags.by },
      (message) => this.warn(message),
      (done, total) => {
        progress ??= startProgress(total, 'analysing runs');
        progress.update(done);
      },
    );
    progress?.stop();
    const runs = history.runs.map((r) => ({ id: r.id, storedAt: r.importedAt, commit: r.provenance.commit, branch: r.provenance.branch }));
    const metrics = history.metrics.map((m) => ({ metric: m.metric.text, unmeasured: m.unmeasured, series: metricSeries(m.values, { ...cp, window: DEFAULT_WINDOW, repeats: 1 }) }));
    const json = historyJson(this.args.label, history.filters, runs, metrics);
    if (this.flags.json) {
      this.printJson(json);
      return;
    }
    const first = runs[0].storedAt.slice(0, 10);
    const last = runs[runs.length - 1].storedAt.slice(0, 10);
    const filters = json.filters.length > 0 ? `, ${json.filters.map(printable).join(', ')}` : '';
    const lines = [`History of ${printable(json.label)}: ${runs.length} run${runs.length === 1 ? '' : 's'}${filters}, stored ${first === last ? first : `${first} to ${last}`}`];
    for (const [i, m] of json.metrics.entries()) lines.push('', ...metricText(m, history.metrics[i].format));
    const s = json.settings;
    lines.push('', `E-Divisive means: alpha ${s.alpha}, ${s.permutations} permutations, at least ${s.min_size} runs per segment, seed ${s.seed}.`);
    this.print(lines.join('\n'));
  }
}

function metricText(m: HistoryMetricJson, format: (value: number) => string): string[] {
  const n = m.series.length;
  const lines: string[] = [];
  if (m.change_points.length === 0) {
    const strongest = m.strongest_rejected ? ` (strongest candidate at #${m.strongest_rejected.position}, p ${pValue(m.strongest_rejected.p)})` : n < 2 * 3 ? ' (too few runs to split)' : '';
    lines.push(`${m.metric}: no change point in ${n} run${n === 1 ? '' : 's'}${strongest}`);
  } else {
    lines.push(`${m.metric}: ${m.change_points.length} change point${m.change_points.length === 1 ? '' : 's'} in ${n} runs`);
    lines.push(
      renderTable(
        ['#', 'RUN', 'COMMIT', 'BRANCH', 'STORED', { header: 'BEFORE', align: 'right' }, { header: 'AFTER', align: 'right' }, { header: 'CHANGE', align: 'right' }, { header: 'RELATIVE', align: 'right' }, 'P'],
        m.change_points.map((c) => [
          c.position,
          c.id,
          c.commit === null ? null : printable(shortCommit(c.commit)!),
          c.branch === null ? null : printable(c.branch),
          c.stored_at.slice(0, 16).replace('T', ' '),
          `${format(c.before.median)} (${c.before.runs})`,
          `${format(c.after.median)} (${c.after.runs})`,
          signed(format(Math.abs(c.change)), c.change),
          c.relative_change === null ? null : signedPercent(c.relative_change),
          Number(c.p.toPrecision(2)),
        ]),
      ),
    );
    lines.push('BEFORE and AFTER: the median of the runs on either side (their number in brackets); # is the run\'s place in the history.');
  }
  if (m.unmeasured.length > 0) {
    const shown = m.unmeasured.slice(0, 5).map((u) => `#${u.position} ${u.id} (${u.reason})`);
    lines.push(`Not measured in ${m.unmeasured.length} run${m.unmeasured.length === 1 ? '' : 's'}, left out: ${shown.join('; ')}${m.unmeasured.length > 5 ? '; ...' : ''}`);
  }
  return lines;
}
