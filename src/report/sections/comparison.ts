/**
 * One synchronous/asynchronous pair: the headline, how the model was calibrated, measured vs
 * predicted makespans, and the predicted schedules beside the measured ones.
 */
import { seconds } from '../../text/numbers.js';
import { makespanChart } from '../charts/makespan-chart.js';
import type { GroupColours } from '../charts/palette.js';
import { scheduleChart } from '../charts/schedule-chart.js';
import type { Block, Section } from '../document-model.js';
import type { PairReport } from '../report-data.js';
import { headline } from './headline.js';

/** A word as a POSIX shell reads it back: as it is when plain, else single-quoted. */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9._\/:=@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export function comparisonSection(id: string, pair: PairReport, colours: GroupColours): Section {
  const c = pair.comparison;
  const structure = c.asyncSpec.kind === 'stages' ? `${c.asyncSpec.stages.length} stages` : `${c.asyncSpec.tasks.length} tasks`;
  const blocks: Block[] = [
    { kind: 'text', tone: 'headline', parts: headline(pair) },
    {
      kind: 'text',
      parts: [
        'Synchronous run ',
        { code: pair.sync.label },
        ', asynchronous run ',
        { code: pair.async.label },
        `. The model is calibrated on the synchronous run: launch overhead ${seconds(c.calibration.overheadS)} s (median of ${c.calibration.gaps.length} gap(s) between dependent stages), durations of ${c.calibration.kinds.size} task kind(s). The asynchronous structure (${structure}) is `,
        pair.specPath === null ? 'inferred from the asynchronous run' : { code: pair.specPath },
        c.uncalibrated.length > 0 ? `; stages without a measured counterpart keep their own durations: ${c.uncalibrated.join(', ')}.` : '.',
        ' The same figures: ',
        { code: `asyncscope compare ${shellWord(pair.sync.label)} ${shellWord(pair.async.label)}${pair.specPath === null ? '' : ` --spec ${shellWord(pair.specPath)}`}` },
        '.',
      ],
    },
    makespanChart(`${id}-makespans`, pair),
    scheduleChart(`${id}-sync`, pair, 'sync', colours),
    scheduleChart(`${id}-async`, pair, 'async', colours),
  ];
  return { id, title: `${pair.title}: synchronous vs asynchronous`, blocks, subsections: [] };
}
