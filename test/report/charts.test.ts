/**
 * The chart builders on small hand-made runs: lanes and their threshold, at most 2,000 points per
 * time-series chart, stacked layers that add up to the run's total, and a spec vega renders
 * without a warning.
 */
import { describe, expect, it } from 'vitest';
import { concurrencyChart } from '../../src/report/charts/concurrency-chart.js';
import { ganttBands } from '../../src/report/charts/gantt.js';
import { overlapChart } from '../../src/report/charts/overlap-chart.js';
import { GroupColours, OKABE_ITO } from '../../src/report/charts/palette.js';
import { MAX_LAYERS, resourceChart } from '../../src/report/charts/resource-chart.js';
import { binsFor, MAX_POINTS, withoutRepeats, withoutRepeatsAcross } from '../../src/report/charts/series-points.js';
import { timelineChart } from '../../src/report/charts/timeline-chart.js';
import type { ChartBlock } from '../../src/report/document-model.js';
import { renderSvg } from '../../src/report/render/svg.js';
import { LANE_LIMIT } from '../../src/report/timeline-data.js';
import { randomTasks, runReport, type TaskSpec } from '../helpers/report-fixtures.js';

/** The data points of every layer of a chart spec. */
function points(chart: ChartBlock): unknown[] {
  const spec = chart.spec as { data?: { values: unknown[] }; layer?: { data?: { values: unknown[] } }[] };
  return [...(spec.data?.values ?? []), ...(spec.layer ?? []).flatMap((l) => l.data?.values ?? [])];
}

describe('timeline lanes', () => {
  it('puts each task on the lowest lane free when it starts, per group (hand-computed)', () => {
    const tasks: TaskSpec[] = [
      { type: 'a', start: 0, end: 10 },
      { type: 'a', start: 2, end: 5 },
      { type: 'a', start: 5, end: 8 },
      { type: 'a', start: 10, end: 12 },
      { type: 'b', start: 3, end: 4 },
    ];
    const { timeline } = runReport(tasks);
    expect(timeline!.laneCounts).toEqual([2, 1]);
    expect(timeline!.lanes!.map((l) => [l.group, l.lane, l.startS, l.endS])).toEqual([
      [0, 0, 0, 10],
      [0, 1, 2, 5],
      [0, 1, 5, 8],
      [0, 0, 10, 12],
      [1, 0, 3, 4],
    ]);
    expect(timeline!.groups.map((g) => [g.name, g.tasks, g.startS, g.endS, g.busyS])).toEqual([
      ['a', 4, 0, 12, 12],
      ['b', 1, 3, 4, 1],
    ]);
  });

  it(`draws every task up to ${LANE_LIMIT} tasks, only group bars beyond`, () => {
    const at = runReport(randomTasks(LANE_LIMIT, 3));
    const over = runReport(randomTasks(LANE_LIMIT + 1, 3));
    expect(at.timeline!.lanes).toHaveLength(LANE_LIMIT);
    expect(over.timeline!.lanes).toBeNull();
    const colours = new GroupColours();
    const drawn = timelineChart('t', at, colours, 'task type')!;
    const bars = timelineChart('t', over, colours, 'task type')!;
    expect(points(drawn).length).toBe(LANE_LIMIT + 3 + 3); // tasks, group bars, labels
    expect(points(bars).length).toBe(3 + 3);
    expect(drawn.read.join('')).toContain('Each thin bar is one task');
    expect(bars.read.join('')).toContain(`has 2,001 tasks, more than the 2,000 drawn one by one`);
  });

  it('gives a band more height for more lanes, within bounds', () => {
    const { timeline } = runReport([
      ...Array.from({ length: 30 }, () => ({ type: 'wide', start: 0, end: 1 })),
      { type: 'narrow', start: 2, end: 3 },
    ]);
    const { bands } = ganttBands(timeline!);
    expect(bands.map((b) => [b.name, b.lanes])).toEqual([['wide', 30], ['narrow', 1]]);
    expect(bands[0].height).toBeGreaterThan(bands[1].height);
  });
});

describe('time series', () => {
  it('drops only points that repeat the value before them', () => {
    const p = (t: number, value: number) => ({ t, value });
    expect(withoutRepeats([p(0, 2), p(1, 2), p(2, 5), p(3, 5), p(4, 5)])).toEqual([p(0, 2), p(2, 5), p(4, 5)]);
    expect(withoutRepeatsAcross([[p(0, 1), p(1, 1), p(2, 1)], [p(0, 0), p(1, 3), p(2, 3)]])).toEqual([[p(0, 1), p(1, 1), p(2, 1)], [p(0, 0), p(1, 3), p(2, 3)]]);
    expect(withoutRepeatsAcross([[p(0, 1), p(1, 1), p(2, 1), p(3, 1)], [p(0, 0), p(1, 0), p(2, 3), p(3, 3)]])).toEqual([[p(0, 1), p(2, 1), p(3, 1)], [p(0, 0), p(2, 3), p(3, 3)]]);
  });

  it(`hold at most ${MAX_POINTS} points per chart, however many tasks and groups`, () => {
    const report = runReport(randomTasks(20000, 12, 5000), { cores: 64, gpus: 8 });
    const colours = new GroupColours();
    const concurrency = concurrencyChart('c', report)!;
    const cpu = resourceChart('cpu', report, 'cores', colours, 'task type') as ChartBlock;
    const gpu = resourceChart('gpu', report, 'gpus', colours, 'task type') as ChartBlock;
    for (const chart of [concurrency, cpu, gpu]) {
      expect(points(chart).length, chart.id).toBeLessThanOrEqual(MAX_POINTS);
      expect(points(chart).length, chart.id).toBeGreaterThan(MAX_POINTS / 2); // noisy series keep their resolution
    }
    // 12 types: the 6 that held the most get a layer each, the other 6 one grey layer
    const groups = new Set((points(cpu) as { group?: string }[]).flatMap((p) => (p.group === undefined ? [] : [p.group])));
    expect(groups.size).toBe(MAX_LAYERS);
    expect(MAX_LAYERS).toBe(OKABE_ITO.length);
    expect(groups.has('6 other task types')).toBe(true);
    expect(binsFor(MAX_LAYERS)).toBe(Math.floor(MAX_POINTS / MAX_LAYERS) - 1);
  });

  it('stacks layers that add up to the share of the machine in use (hand-computed)', () => {
    // 16 cores: a [0, 10) 4 cores, b [5, 10) 8 cores -> 25% then 75%; mean (40 + 40) / 160 = 0.5
    const report = runReport([
      { type: 'a', start: 0, end: 10, cores: 4 },
      { type: 'b', start: 5, end: 10, cores: 8 },
    ]);
    const cpu = resourceChart('cpu', report, 'cores', new GroupColours(), 'task type') as ChartBlock;
    const values = points(cpu) as { t: number; value: number; group: string }[];
    const at = (t: number) => values.filter((p) => Math.abs(p.t - t) < 1e-9).reduce((sum, p) => sum + p.value, 0);
    expect(at(0)).toBeCloseTo(0.25, 12);
    expect(values.some((p) => p.group === 'b' && p.value === 0.5)).toBe(true);
    expect(cpu.table.footer![4].value).toBe(report.analysis.utilization.cpu);
    expect(report.analysis.utilization.cpu).toBe(0.5);
    expect(cpu.table.rows.map((r) => [r[0].text, r[3].value])).toEqual([['a', 4], ['b', 4]]);
  });

  it('says so when no task held a GPU, instead of drawing an empty chart', () => {
    const report = runReport([{ type: 'a', start: 0, end: 10, cores: 4, gpus: 0 }]);
    expect(resourceChart('gpu', report, 'gpus', new GroupColours(), 'task type')).toEqual({ kind: 'text', tone: 'note', parts: ['GPU: no task of test-run says it held any GPUs.'] });
  });
});

describe('rendering', () => {
  it('draws every chart kind of a run without a warning from vega-lite or vega', async () => {
    const report = runReport(randomTasks(500, 4));
    const colours = new GroupColours();
    const charts = [
      timelineChart('run-timeline', report, colours, 'task type'),
      concurrencyChart('run-concurrency', report),
      resourceChart('run-cpu', report, 'cores', colours, 'task type'),
      resourceChart('run-gpu', report, 'gpus', colours, 'task type'),
      overlapChart('run-overlap', report, 'task type'),
    ] as ChartBlock[];
    for (const chart of charts) {
      const { svg, warnings } = await renderSvg(chart.spec, chart.id, chart.title);
      expect(warnings, chart.id).toEqual([]);
      expect(svg.startsWith('<svg role="img" aria-label="')).toBe(true);
      expect(svg).toContain(`>${chart.title}</text>`);
    }
  });
});

describe('colours', () => {
  it('keep a group its colour across charts, and never repeat one within a stack', () => {
    const colours = new GroupColours();
    const names = Array.from({ length: 9 }, (_, i) => `g${i}`);
    expect(colours.range(names)).toEqual([...OKABE_ITO, OKABE_ITO[0], OKABE_ITO[1]]);
    expect(colours.colour('g3')).toBe(OKABE_ITO[3]);
    // g7 has g0's colour: in one stack with g0 it gets the first colour nobody in the stack has
    expect(colours.distinct(['g0', 'g7', 'g8', 'g2'])).toEqual([OKABE_ITO[0], OKABE_ITO[3], OKABE_ITO[1], OKABE_ITO[2]]);
    expect(new Set(colours.distinct(names.slice(2))).size).toBe(OKABE_ITO.length);
  });
});

describe('runs at the edges', () => {
  it('reports a run of zero-length tasks on an unknown machine, and one without a GPU, with notes instead of empty charts', async () => {
    const { buildReport } = await import('../../src/report/build-report.js');
    const flat = runReport([{ type: 'a', start: 5, end: 5 }, { type: 'b', start: 5, end: 5 }], { cores: null, gpus: null });
    const cpuOnly = runReport([{ type: 'a', start: 0, end: 4, cores: 2 }, { type: 'b', start: 1, end: 3, cores: 2 }], { cores: null, gpus: null });
    const built = await buildReport({ by: 'type', runs: [flat, cpuOnly], pairs: [], warnings: [] }, { generatedAt: new Date(0), version: 'test' });
    expect(built.renderWarnings).toEqual([]);
    // zero makespan: the timeline and the overlap grid; no series to draw
    const runs = built.document.sections.find((s) => s.id === 'runs')!;
    expect(runs.subsections[0].blocks.filter((b) => b.kind === 'chart').map((b) => (b as ChartBlock).id)).toEqual(['run-1-timeline', 'run-1-overlap']);
    expect(built.html).toContain('Note: the makespan is zero');
    // unknown capacity: cores in use, not a share; no GPU chart but a sentence
    expect(built.html).toContain('cores in use (capacity unknown)');
    expect(built.html).toContain('GPU: no task of test-run says it held any GPUs.');
  });
});

describe('the why section', () => {
  it('draws the critical path and the waits of a small run, and points a huge one at analyze --critical-path', async () => {
    const { whySection } = await import('../../src/report/sections/why.js');
    const { CRITICAL_PATH_LIMIT } = await import('../../src/report/report-data.js');
    // Two tasks of one type (one stage, no dependency), 2 GPUs each on a machine of 2: the second waits for the first's GPUs.
    const small = runReport([{ type: 'a', start: 0, end: 10, gpus: 2 }, { type: 'a', start: 10, end: 15, gpus: 2 }], { cores: 16, gpus: 2 });
    const section = whySection('why-1', small, new GroupColours())!;
    expect(section.blocks.filter((b) => b.kind === 'chart').map((b) => (b as ChartBlock).id)).toEqual(['why-1-path', 'why-1-waits']);
    expect(small.criticalPath!.path.links).toEqual({ start: 1, dependency: 0, cpus: 0, gpus: 1 });
    const huge = { ...small, run: { ...small.run, tasks: CRITICAL_PATH_LIMIT + 1 }, criticalPath: null };
    const note = whySection('why-1', huge, new GroupColours())!;
    expect(JSON.stringify(note.blocks)).toContain('asyncscope analyze test-run --critical-path');
  });
});
