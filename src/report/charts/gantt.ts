/**
 * Gantt view of a run (or of a predicted schedule), by group: a band per group in the order the
 * groups started; in each, a light bar from the group's first start to its last end and, when
 * the run has at most LANE_LIMIT tasks, every task as a thin bar on its lane. Without lanes the
 * group bar is drawn solid.
 *
 *   T0    |####################|                    one lane per task running at once
 *   T1T2                        |#######|
 *   T3T6                                 |###########################|
 *         0                    385     546                          1323   time (s)
 *
 * The y axis is drawn by hand (a text mark per band): band heights follow the number of lanes,
 * which a band scale cannot do, and names from a trace must never enter a vega expression.
 */
import type { TimelineData } from '../report-data.js';
import { textWidth } from '../render/text-width.js';
import type { GroupColours } from './palette.js';
import { TIME_AXIS_TITLE, WIDE, type VegaLiteSpec } from './theme.js';

/** At most this many groups are drawn (the table lists them all). */
export const GANTT_MAX_GROUPS = 40;

/** Pixels per lane, and the smallest and largest band. */
const LANE_PX = 2;
const MIN_BAND = 18;
const MAX_BAND = 90;
const BAND_GAP = 6;
/** Room on the left for the group names: enough for the longest, within these bounds (longer names are cut with an ellipsis). */
const MIN_LABEL_WIDTH = 60;
const MAX_LABEL_WIDTH = 170;
const LABEL_FONT_SIZE = 11;

/** The room the names of these timelines need on the left; panels set one above the other share it. */
export function labelWidthFor(...timelines: TimelineData[]): number {
  let widest = 0;
  for (const t of timelines) for (const g of t.groups.slice(0, GANTT_MAX_GROUPS)) widest = Math.max(widest, textWidth(g.name, LABEL_FONT_SIZE));
  return Math.round(Math.min(MAX_LABEL_WIDTH, Math.max(MIN_LABEL_WIDTH, widest + 28)));
}

interface Band {
  name: string;
  top: number;
  height: number;
  lanes: number;
}

/** Bands of the shown groups, top to bottom, and the total height. */
export function ganttBands(timeline: TimelineData): { bands: Band[]; height: number } {
  const bands: Band[] = [];
  let top = 0;
  timeline.groups.slice(0, GANTT_MAX_GROUPS).forEach((group, g) => {
    const lanes = timeline.laneCounts[g];
    const height = lanes > 0 ? Math.min(MAX_BAND, Math.max(MIN_BAND, lanes * LANE_PX + 4)) : MIN_BAND + 4;
    bands.push({ name: group.name, top, height, lanes });
    top += height + BAND_GAP;
  });
  return { bands, height: Math.max(top - BAND_GAP, MIN_BAND) };
}

/**
 * One Gantt panel (a layer spec with its size, no title): `xMax` fixes the time axis so panels set
 * side by side share it; `colours` gives every group the colour it has elsewhere in the report.
 */
export function ganttPanel(
  timeline: TimelineData,
  xMax: number,
  colours: GroupColours,
  options: { axisTitle?: boolean; groupTitle?: string; labelWidth?: number } = {},
): VegaLiteSpec {
  const { bands, height } = ganttBands(timeline);
  const labelWidth = options.labelWidth ?? labelWidthFor(timeline);
  const names = bands.map((b) => b.name);
  const color = { field: 'group', type: 'nominal', scale: { domain: names, range: colours.range(names) }, legend: null };
  const x = { field: 'start', type: 'quantitative', scale: { domain: [0, xMax], nice: false, zero: false }, axis: { title: options.axisTitle === false ? null : TIME_AXIS_TITLE, grid: true, tickCount: 10 } };
  // The axis shows only its title; its fixed extent keeps room for the names, so panels set one above the other align.
  const yScale = { domain: [0, height], reverse: true, nice: false, zero: false };
  const y = {
    field: 'top',
    type: 'quantitative',
    scale: yScale,
    axis: { title: options.groupTitle ?? 'task type', labels: false, ticks: false, domain: false, grid: false, minExtent: labelWidth, maxExtent: labelWidth, titlePadding: 0 },
  };
  const withLanes = timeline.lanes !== null;

  const spans = timeline.groups.slice(0, bands.length).map((g, i) => {
    const band = bands[i];
    const inset = withLanes ? 0 : 3;
    return { group: g.name, start: g.startS, end: g.endS, top: band.top + inset, bottom: band.top + band.height - inset };
  });
  const layers: VegaLiteSpec[] = [
    {
      data: { values: spans },
      mark: { type: 'rect', opacity: withLanes ? 0.16 : 0.85 },
      encoding: { x, x2: { field: 'end' }, y, y2: { field: 'bottom' }, color },
    },
  ];
  if (timeline.lanes !== null) {
    const lanes = [];
    for (const task of timeline.lanes) {
      const band = bands[task.group];
      if (band === undefined) continue;
      const laneHeight = (band.height - 4) / band.lanes;
      const top = band.top + 2 + task.lane * laneHeight;
      // Lanes of 3 px or more keep a gap between them; thinner ones overlap a little, or anti-aliasing would stripe them.
      lanes.push({ group: band.name, start: task.startS, end: task.endS, top, bottom: top + (laneHeight >= 3 ? laneHeight * 0.75 : laneHeight + 0.6) });
    }
    layers.push({ data: { values: lanes }, mark: { type: 'rect' }, encoding: { x, x2: { field: 'end' }, y, y2: { field: 'bottom' }, color } });
  }
  layers.push({
    data: { values: bands.map((b) => ({ name: b.name, middle: b.top + b.height / 2 })) },
    mark: { type: 'text', align: 'right', baseline: 'middle', dx: -8, fontSize: LABEL_FONT_SIZE, limit: labelWidth - 24, color: '#333' },
    encoding: { x: { value: 0 }, y: { field: 'middle', type: 'quantitative', scale: yScale }, text: { field: 'name' } },
  });
  return { width: WIDE - labelWidth, height, layer: layers };
}

/** The right end of a time axis showing these timelines. */
export function timelineEnd(...timelines: TimelineData[]): number {
  let end = 0;
  for (const t of timelines) for (const g of t.groups) end = Math.max(end, g.endS);
  return end > 0 ? end : 1;
}
