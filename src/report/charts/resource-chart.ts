/**
 * CPU or GPU utilization over time, stacked by group: the share of the machine's cores (GPUs)
 * each group held, bin by bin (the analyzers' per-group step series, resampled by
 * `resample`). The layers add up to the run's total; its mean over the makespan is the run's
 * utilization. At most `MAX_LAYERS` groups get a layer of their own (those that held the most);
 * the others are summed into one grey layer.
 *
 * Without a known capacity the chart shows cores (GPUs) in use instead of a share.
 */
import { resample, type BinnedSeries, type GroupSeries } from '../../analysis/series.js';
import { decimal, percent, perTask } from '../../text/numbers.js';
import { numberCell, textCell, type ChartBlock, type TextBlock } from '../document-model.js';
import type { RunReport } from '../report-data.js';
import { GREY, OKABE_ITO, type GroupColours } from './palette.js';
import { binPoints, binsFor, withoutRepeatsAcross } from './series-points.js';
import { chartSpec, TIME_AXIS_TITLE, WIDE, type VegaLiteSpec } from './theme.js';

/** Groups with a layer of their own; more would need more colours than a colour-blind-safe palette has. */
export const MAX_LAYERS = OKABE_ITO.length;

type Resource = 'cores' | 'gpus';

export function resourceChart(id: string, report: RunReport, resource: Resource, colours: GroupColours, groupNoun: string): ChartBlock | TextBlock | null {
  const series = report.series;
  if (series === null) return null;
  const what = resource === 'cores' ? { unit: 'cores', name: 'CPU', capacity: report.run.capacity.cores, utilization: report.analysis.utilization.cpu } : { unit: 'GPUs', name: 'GPU', capacity: report.run.capacity.gpus, utilization: report.analysis.utilization.gpu };
  const { from, to } = series;
  const whole = (steps: GroupSeries['steps']) => resample(steps, 1, from, to);
  const groups = series[resource].byGroup.map((g) => ({ group: g.group, steps: g.steps, whole: whole(g.steps) }));
  const used = groups.filter((g) => g.whole.max[0] > 0);
  if (used.length === 0) {
    return { kind: 'text', tone: 'note', parts: [`${what.name}: no task of ${report.run.label} says it held any ${what.unit}.`] };
  }

  const hasCapacity = what.capacity !== null && what.capacity > 0;
  const scale = hasCapacity ? 1 / what.capacity! : 1;
  const ranked = [...used].sort((a, b) => b.whole.mean[0] - a.whole.mean[0]);
  const ownLayer = new Set((ranked.length > MAX_LAYERS ? ranked.slice(0, MAX_LAYERS - 1) : ranked).map((g) => g.group));
  const layered = used.filter((g) => ownLayer.has(g.group));
  const rest = used.filter((g) => !ownLayer.has(g.group));
  const layers = layered.length + (rest.length > 0 ? 1 : 0);
  const bins = binsFor(layers);

  const otherName = `${rest.length} other ${groupNoun}s`;
  const domain = [...layered.map((g) => g.group), ...(rest.length > 0 ? [otherName] : [])];
  const layerBins = layered.map((g) => resample(g.steps, bins, from, to));
  if (rest.length > 0) layerBins.push(sumBins(rest.map((g) => resample(g.steps, bins, from, to))));
  const values = withoutRepeatsAcross(layerBins.map((b) => binPoints(b, 'mean', scale))).flatMap((points, order) =>
    points.map((p) => ({ ...p, group: domain[order], order })),
  );
  const range = [...colours.distinct(layered.map((g) => g.group)), ...(rest.length > 0 ? [GREY] : [])];

  const title = `${what.name} utilization over time, by ${groupNoun}: ${report.run.label}`;
  const yTitle = hasCapacity ? `${what.unit} in use (% of ${decimal(what.capacity)})` : `${what.unit} in use (capacity unknown)`;
  const layer: VegaLiteSpec[] = [
    {
      mark: { type: 'area', interpolate: 'step-after' },
      encoding: {
        x: { field: 't', type: 'quantitative', scale: { domain: [from, to], nice: false, zero: false }, axis: { title: TIME_AXIS_TITLE, tickCount: 10 } },
        y: { field: 'value', type: 'quantitative', stack: 'zero', axis: { title: yTitle, format: hasCapacity ? '.0%' : ',.4~g' } },
        color: { field: 'group', type: 'nominal', scale: { domain, range }, legend: { title: groupNoun, orient: 'right' } },
        order: { field: 'order', type: 'quantitative' },
      },
    },
  ];
  if (hasCapacity) {
    // The machine's capacity, so a layer reaching it reads as "full".
    layer.push({ data: { values: [{ full: 1 }] }, mark: { type: 'rule', strokeDash: [4, 3], color: '#555' }, encoding: { y: { field: 'full', type: 'quantitative' } } });
  }
  const parts: VegaLiteSpec = { width: WIDE - 170, height: 180, data: { values }, layer };

  const byName = new Map(report.analysis.groups.map((g) => [g.name, g]));
  const total = whole(series[resource].steps);
  const amount = (v: number) => decimal(v, 2);
  const share = (v: number) => (hasCapacity ? percent(v / what.capacity!) : '-');
  return {
    kind: 'chart',
    id,
    title,
    read: [
      hasCapacity
        ? `Each layer is the share of the machine's ${decimal(what.capacity)} ${what.unit} a ${groupNoun} held, averaged over each of ${bins} bins; the dashed line is the whole machine. The layers add up to the run's total.`
        : `Each layer is the number of ${what.unit} a ${groupNoun} held, averaged over each of ${bins} bins (the machine's capacity is unknown: set it with asyncscope runs edit).`,
      rest.length > 0 ? ` The ${MAX_LAYERS - 1} ${groupNoun}s that held the most have a layer each; the other ${rest.length} are summed in grey.` : '',
    ],
    spec: chartSpec(title, parts),
    table: {
      caption: `${what.name}: ${what.unit} in use per ${groupNoun}, over the makespan (mean = time-weighted)`,
      columns: [
        { header: groupNoun },
        { header: `${what.unit} per task`, numeric: true },
        { header: `peak ${what.unit} in use`, numeric: true },
        { header: `mean ${what.unit} in use`, numeric: true },
        { header: 'mean share of capacity', numeric: true },
      ],
      rows: groups.map((g) => [
        textCell(g.group),
        textCell(perTask(byName.get(g.group)?.[resource] ?? null, '-')),
        numberCell(g.whole.max[0], amount),
        numberCell(g.whole.mean[0], amount),
        { text: share(g.whole.mean[0]) ?? '-', value: hasCapacity ? g.whole.mean[0] / what.capacity! : null },
      ]),
      footer: [textCell('whole run'), textCell(''), numberCell(total.max[0], amount), numberCell(total.mean[0], amount), numberCell(what.utilization, (v) => `${percent(v)} (utilization ${decimal(v)})`)],
    },
    layout: 'wide',
  };
}

/** Bin-by-bin sum of several binned series of the same bins (only the mean is drawn; the summed max is an upper bound of the peak). */
function sumBins(list: BinnedSeries[]): BinnedSeries {
  const first = list[0];
  const mean = new Float64Array(first.mean.length);
  const max = new Float64Array(first.max.length);
  for (const s of list) {
    for (let i = 0; i < mean.length; i++) {
      mean[i] += s.mean[i];
      max[i] += s.max[i];
    }
  }
  return { binStart: first.binStart, binWidth: first.binWidth, mean, max };
}
