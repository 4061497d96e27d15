/**
 * The whole report as a document: summary, each synchronous/asynchronous comparison, each run,
 * definitions. Comparisons come before the runs: they are what the summary's headline points to;
 * the runs are the detail behind them.
 */
import { GroupColours } from '../charts/palette.js';
import type { ReportDocument, Section } from '../document-model.js';
import type { ReportData, RunReport } from '../report-data.js';
import { comparisonSection } from './comparison.js';
import { definitionsSection } from './definitions.js';
import { groupNoun } from './group-noun.js';
import { runSection } from './run.js';
import { summarySection } from './summary.js';
import { whatIfSection } from './what-if.js';
import { whySection } from './why.js';

export interface ReportMeta {
  /** When the report was made. */
  generatedAt: Date;
  /** The asyncscope version that made it. */
  version: string;
}

const pairAnchor = (i: number) => `pair-${i + 1}`;
const runAnchor = (i: number) => `run-${i + 1}`;

export function reportDocument(data: ReportData, meta: ReportMeta): ReportDocument {
  // One colour per group within a workflow: a type looks the same in every chart of its comparison
  // and its runs. Each workflow starts the palette afresh, so its first types get the clearest colours.
  const pairColours = data.pairs.map(() => new GroupColours());
  const coloursOf = (run: RunReport) => {
    const pair = data.pairs.findIndex((p) => p.sync.pk === run.run.pk || p.async.pk === run.run.pk);
    return pair >= 0 ? pairColours[pair] : new GroupColours();
  };
  const sections: Section[] = [summarySection(data, pairAnchor)];
  if (data.pairs.length > 0) {
    sections.push({
      id: 'comparisons',
      title: data.pairs.length === 1 ? 'Synchronous vs asynchronous' : 'Synchronous vs asynchronous, per workflow',
      blocks: [],
      subsections: data.pairs.map((pair, i) => comparisonSection(pairAnchor(i), pair, pairColours[i])),
    });
  }
  const why = data.runs.flatMap((run, i) => whySection(`why-${i + 1}`, run, coloursOf(run)) ?? []);
  if (why.length > 0) sections.push({ id: 'why', title: 'Why the makespans: critical paths and waits', blocks: [], subsections: why });
  const whatIf = data.pairs.flatMap((pair, i) => whatIfSection(`whatif-${i + 1}`, pair) ?? []);
  if (whatIf.length > 0) sections.push({ id: 'whatif', title: 'What if: other resources, other degrees of asynchronicity', blocks: [], subsections: whatIf });
  const noun = groupNoun(data.by);
  sections.push({
    id: 'runs',
    title: data.runs.length === 1 ? 'The run' : 'The runs',
    blocks: [],
    subsections: data.runs.map((run, i) => runSection(runAnchor(i), run, coloursOf(run), noun)),
  });
  sections.push(definitionsSection());
  return {
    title: titleOf(data),
    subtitle: subtitleOf(data),
    sections,
    footer: `Made by asyncscope ${meta.version} on ${meta.generatedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC. Figures as asyncscope analyze and compare give them; definitions at the end.`,
  };
}

function titleOf(data: ReportData): string {
  if (data.pairs.length > 0) return `Asynchronous execution: ${data.pairs.map((p) => p.title).join(' and ')}`;
  if (data.runs.length === 1) return `Run ${data.runs[0].run.label}`;
  return 'Runs';
}

function subtitleOf(data: ReportData): string {
  const runs = `${data.runs.length} run${data.runs.length === 1 ? '' : 's'}`;
  const pairs = data.pairs.length === 0 ? '' : `, ${data.pairs.length} synchronous/asynchronous comparison${data.pairs.length === 1 ? '' : 's'} with the performance model's predictions`;
  return `asyncscope report: ${runs}${pairs}, grouped by ${groupNoun(data.by)}`;
}
