/**
 * "Why the makespans": for each run, its critical path on its time axis, the findings, and what
 * its tasks waited for (model/run-critical-path.ts; the figures of analyze --critical-path).
 */
import { criticalPathChart } from '../charts/critical-path-chart.js';
import type { GroupColours } from '../charts/palette.js';
import { waitsChart } from '../charts/waits-chart.js';
import type { Block, Section } from '../document-model.js';
import { count } from '../../text/numbers.js';
import { CRITICAL_PATH_LIMIT, type RunReport } from '../report-data.js';
import { shellWord } from './comparison.js';

export function whySection(id: string, report: RunReport, colours: GroupColours): Section | null {
  const json = report.criticalPath;
  const label = report.run.label;
  if (json === null && report.run.tasks > CRITICAL_PATH_LIMIT) {
    return {
      id,
      title: `Why ${label} took as long as it did`,
      blocks: [
        {
          kind: 'text',
          tone: 'note',
          parts: [`The run has ${count(report.run.tasks)} tasks, more than the ${count(CRITICAL_PATH_LIMIT)} a report walks the critical path of (it would double the report's time and memory). Its critical path and waits: `, { code: `asyncscope analyze ${shellWord(label)} --critical-path` }, '.'],
        },
      ],
      subsections: [],
    };
  }
  if (json === null || json.path.tasks === 0) return null;
  const structure = { dag: "the trace's task dependencies", stages: 'the stage structure inferred from the timeline', none: 'no dependency between tasks (none is inferred)' }[json.structure];
  const resources = {
    nodes: 'the CPUs and GPUs of each node, as the tasks held them',
    pooled: "the machine's CPUs and GPUs pooled (the trace does not say each task's node)",
    unknown: 'nothing: the capacity is unknown, so no task is found waiting for resources',
  }[json.resources];
  const blocks: Block[] = [
    ...json.findings.map((finding, i): Block => ({ kind: 'text', tone: i === 0 ? 'headline' : undefined, parts: [finding] })),
    {
      kind: 'text',
      tone: 'note',
      parts: [`Dependencies from ${structure}; resources replayed: ${resources}. The same figures: `, { code: `asyncscope analyze ${shellWord(label)} --critical-path` }, '.'],
    },
    criticalPathChart(`${id}-path`, label, json, colours),
    waitsChart(`${id}-waits`, label, json),
  ];
  return { id, title: `Why ${label} took ${json.makespan_s.toFixed(1)} s`, blocks, subsections: [] };
}
