/**
 * "What if": for each synchronous/asynchronous pair, the calibrated asynchronous structure on
 * other node counts, and its degree-of-asynchronicity sweep with the measured pair beside it.
 */
import { sweepChart } from '../charts/sweep-chart.js';
import { whatifChart } from '../charts/whatif-chart.js';
import type { Block, Section } from '../document-model.js';
import type { PairReport } from '../report-data.js';
import { shellWord } from './comparison.js';

export function whatIfSection(id: string, pair: PairReport): Section | null {
  const blocks: Block[] = [];
  const spec = pair.comparison.asyncSpec;
  if (pair.whatif.length > 0 && spec.platform.kind === 'nodes') {
    blocks.push(whatifChart(`${id}-nodes`, `On other node counts: ${pair.title}`, pair.whatif, spec.platform.nodes));
    const list = pair.whatif.map((p) => p.nodes).join(',');
    blocks.push({ kind: 'text', tone: 'note', parts: ['The same grid from the command line (calibrated on the asynchronous run itself): ', { code: `asyncscope whatif ${shellWord(pair.async.label)} --nodes ${list} --best` }, '.'] });
  }
  if (pair.sweep) {
    blocks.push(
      sweepChart(`${id}-sweep`, `Improvement against the degree of asynchronicity: ${pair.title}`, pair.sweep.points, {
        label: pair.async.label,
        doa: pair.sweep.measured.doa,
        improvement: pair.sweep.measured.improvement,
      }),
    );
    blocks.push({
      kind: 'text',
      tone: 'note',
      parts: ['The family, from the command line: ', { code: `asyncscope sweep ${shellWord(pair.async.label)} --sync ${shellWord(pair.sync.label)}` }, ". Where the diamond sits above the curve, the synchronous run executed a different DAG than the asynchronous one (see docs/model.md)."],
    });
  }
  if (blocks.length === 0) return null;
  return { id, title: `${pair.title}: what if`, blocks, subsections: [] };
}
