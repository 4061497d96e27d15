/**
 * "Timeline by type" of a run: the Gantt view (gantt.ts) with the analyzer's figures per group.
 */
import { count, seconds } from '../../text/numbers.js';
import { numberCell, textCell, type ChartBlock } from '../document-model.js';
import type { RunReport } from '../report-data.js';
import { LANE_LIMIT } from '../timeline-data.js';
import { GANTT_MAX_GROUPS, ganttPanel, timelineEnd } from './gantt.js';
import type { GroupColours } from './palette.js';
import { chartSpec } from './theme.js';

export function timelineChart(id: string, report: RunReport, colours: GroupColours, groupNoun: string): ChartBlock | null {
  const timeline = report.timeline;
  if (timeline === null) return null;
  const title = `Timeline by ${groupNoun}: ${report.run.label}`;
  const hidden = timeline.groups.length - GANTT_MAX_GROUPS;
  const lanes =
    timeline.lanes !== null
      ? `Each thin bar is one task, on a lane of its ${groupNoun}: a ${groupNoun} takes as many lanes as it had tasks running at once. The light band spans the ${groupNoun} from its first start to its last end.`
      : `The run has ${count(timeline.tasks)} tasks, more than the ${count(LANE_LIMIT)} drawn one by one: each bar spans a ${groupNoun} from its first start to its last end.`;
  return {
    kind: 'chart',
    id,
    title,
    read: [lanes, hidden > 0 ? ` The first ${GANTT_MAX_GROUPS} of ${timeline.groups.length} ${groupNoun}s (by first start) are drawn.` : ''],
    spec: chartSpec(title, ganttPanel(timeline, timelineEnd(timeline), colours, { groupTitle: groupNoun })),
    table: {
      caption: `Per ${groupNoun}: times in seconds from the first task start; busy = length of the union of its tasks' intervals`,
      columns: [{ header: groupNoun }, { header: 'tasks', numeric: true }, { header: 'first start (s)', numeric: true }, { header: 'last end (s)', numeric: true }, { header: 'busy (s)', numeric: true }],
      rows: timeline.groups.map((g) => [textCell(g.name), numberCell(g.tasks, count), numberCell(g.startS, seconds), numberCell(g.endS, seconds), numberCell(g.busyS, seconds)]),
    },
    layout: 'wide',
  };
}
