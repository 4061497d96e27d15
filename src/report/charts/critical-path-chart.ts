/**
 * The critical path of a run on its time axis: one row, each task of the path as a bar coloured
 * by its type, the waits between them (launch, staging) in grey. The bars and gaps add up to the
 * makespan, so the eye sees at once what share of it was work and what was waiting.
 *
 *   path  |T0 ##########|.|T1T2 ####|.|T4T5 ##|.|T7 ##############|     . = launch
 *         0                                                     1909 s
 */
import type { CriticalPathJson } from '../../model/run-critical-path.js';
import { pathSegments } from '../../model/run-critical-path.js';
import { count, seconds } from '../../text/numbers.js';
import { numberCell, textCell, type ChartBlock } from '../document-model.js';
import { GREY, type GroupColours } from './palette.js';
import { chartSpec, TIME_AXIS_TITLE, WIDE, type VegaLiteSpec } from './theme.js';

const WAIT = 'waiting (launch, staging)';
/** Steps drawn at most; a longer path (a bag of thousands of short tasks) is drawn by segment. */
const MAX_STEPS = 400;

export function criticalPathChart(id: string, label: string, json: CriticalPathJson, colours: GroupColours): ChartBlock {
  const segments = pathSegments(json);
  const bars: { kind: string; from: number; to: number; what: string }[] = [];
  if (json.path.steps.length <= MAX_STEPS) {
    let previousEnd = 0;
    for (const s of json.path.steps) {
      if (s.start_s > previousEnd) bars.push({ kind: WAIT, from: previousEnd, to: s.start_s, what: `${seconds(s.gap_s)} s before ${s.uid}` });
      bars.push({ kind: s.type, from: s.start_s, to: s.end_s, what: s.uid });
      previousEnd = s.end_s;
    }
  } else {
    for (const seg of segments) bars.push({ kind: seg.type, from: seg.startS, to: seg.endS, what: `${seg.tasks} tasks` });
  }
  const types = [...new Set(segments.map((s) => s.type))];
  const domain = [...types, WAIT];
  const range = [...colours.range(types), GREY];
  const title = `Critical path: ${label}`;
  const parts: VegaLiteSpec = {
    width: WIDE,
    height: 34,
    data: { values: bars },
    mark: { type: 'bar', height: 22 },
    encoding: {
      x: { field: 'from', type: 'quantitative', scale: { domain: [0, json.makespan_s], nice: false }, axis: { title: TIME_AXIS_TITLE, tickCount: 10 } },
      x2: { field: 'to' },
      color: { field: 'kind', type: 'nominal', scale: { domain, range }, legend: { title: null, orient: 'top', direction: 'horizontal', columns: 6 } },
    },
  };
  const p = json.path;
  return {
    kind: 'chart',
    id,
    title,
    read: [
      `The chain of tasks that set the makespan, walked back from the last task to end: each task waited last for the one before it, either for it to end (a dependency) or for the CPUs or GPUs it freed. Grey: time between them (launch latency, data staging). ${json.path.steps.length > MAX_STEPS ? `Its ${count(json.path.steps.length)} tasks are drawn as ${segments.length} segments of one type.` : ''}`,
    ],
    spec: chartSpec(title, parts, `${count(p.tasks)} tasks: ${seconds(p.running_s)} s running, ${seconds(p.launch_s)} s launch, ${seconds(p.staging_s)} s staging`),
    table: {
      caption: 'The path by segment (consecutive tasks of one type); times in seconds. Entered by: what its first task waited for last.',
      columns: [
        { header: 'type' },
        { header: 'tasks', numeric: true },
        { header: 'entered by' },
        { header: 'start', numeric: true },
        { header: 'end', numeric: true },
        { header: 'running', numeric: true },
        { header: 'launch', numeric: true },
        { header: 'staging', numeric: true },
      ],
      rows: segments.map((s) => [
        textCell(s.type),
        numberCell(s.tasks, count),
        textCell({ start: 'start', dependency: 'dependency', cpus: 'CPUs freed', gpus: 'GPUs freed' }[s.link]),
        numberCell(s.startS, seconds),
        numberCell(s.endS, seconds),
        numberCell(s.runningS, seconds),
        numberCell(s.launchS, seconds),
        numberCell(s.stagingS, seconds),
      ]),
    },
    layout: 'wide',
  };
}
