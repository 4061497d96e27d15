/**
 * Gantt data of a run: one bar per group (task type, stage or pipeline) from its first start to
 * its last end, with the analyzer's figures, and, when there are at most `LANE_LIMIT` tasks, every
 * task on a lane of its group.
 *
 * Lanes: within a group, each task takes the lowest-numbered lane free when it starts (greedy
 * interval colouring, `assignLanes`), so a group uses as many lanes as it had tasks running at
 * once: 96 simulations running together take 96 lanes, 96 running in two waves of 48 take 48.
 */
import type { GroupJson, PreparedRun } from '../analysis/analyze-run.js';
import { assignLanes } from '../analysis/lanes.js';
import type { TaskLane, TimelineData } from './report-data.js';

/** Above this many tasks a Gantt view draws only one bar per group: per-task lanes would be a blur. */
export const LANE_LIMIT = 2000;

/**
 * @param groups the analyzer's group figures for `prepared` (`analyzePrepared(...).json.groups`,
 *   in the same order as `prepared.intervals.groups`)
 */
export function timelineData(prepared: PreparedRun, groups: readonly GroupJson[], laneLimit = LANE_LIMIT): TimelineData {
  const { intervals } = prepared;
  const timelineGroups = groups.map((g) => ({ name: g.name, tasks: g.tasks, startS: g.start_s, endS: g.end_s, busyS: g.busy_s }));
  if (intervals.length > laneLimit) {
    return { groups: timelineGroups, laneCounts: groups.map(() => 0), lanes: null, tasks: intervals.length };
  }
  const members: number[][] = groups.map(() => []);
  for (let i = 0; i < intervals.length; i++) members[intervals.group[i]].push(i);
  const lanes: TaskLane[] = [];
  const laneCounts = members.map((list, group) => {
    list.sort((a, b) => intervals.start[a] - intervals.start[b] || intervals.end[a] - intervals.end[b] || a - b);
    const assignment = assignLanes(intervals.start, intervals.end, list);
    for (const i of list) lanes.push({ group, lane: assignment.lane[i], startS: intervals.start[i], endS: intervals.end[i] });
    return assignment.lanes;
  });
  return { groups: timelineGroups, laneCounts, lanes, tasks: intervals.length };
}
