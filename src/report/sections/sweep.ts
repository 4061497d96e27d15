/**
 * The page of `sweep --report`: the degree-of-asynchronicity sweep of one workflow (model/sweep.ts)
 * as the model simulates it and, with --measure, as each member ran on this machine both ways.
 * Every number comes from what `sweep --json` prints.
 */
import type { PlannedSweep, SweepMeasurement } from '../../model/sweep-request.js';
import { describePlatform } from '../../model/spec.js';
import type { MeasuredMember } from '../../model/sweep.js';
import { decimal, percent, seconds, signedPercent, signedPoints } from '../../text/numbers.js';
import { measuredSweepChart, sweepChart } from '../charts/sweep-chart.js';
import { numberCell, textCell, type Block, type Inline, type ReportDocument, type Section } from '../document-model.js';
import type { ReportMeta } from './all-sections.js';

export interface SweepReportData {
  planned: PlannedSweep;
  measurement: SweepMeasurement | null;
  /** The command line that made it, to show how to make it again. */
  command: string;
}

export function sweepDocument(data: SweepReportData, meta: ReportMeta): ReportDocument {
  const { planned, measurement } = data;
  const name = planned.spec.name ?? '(unnamed)';
  const byKept = new Map(measurement?.members.map((m) => [m.kept, m]));
  const sections: Section[] = [summary(data, byKept)];
  if (measurement === null) {
    sections.push({ id: 'curve', title: 'Improvement against the degree of asynchronicity', blocks: [sweepChart('sweep', `The family of ${name}, simulated`, planned.points, null)], subsections: [] });
  } else {
    const measured = planned.points.map((point) => {
      const m = byKept.get(point.kept);
      return { point, label: m?.asyncRun ?? `${point.kept} kept`, doa: m?.doa ?? null, improvement: m?.improvement ?? null };
    });
    sections.push({ id: 'curve', title: 'Improvement against the degree of asynchronicity', blocks: [measuredSweepChart('sweep', `The family of ${name}: predicted and measured`, planned.points, measured)], subsections: [] });
    sections.push(makespans(data, measurement, byKept));
  }
  return {
    title: `Sweep: ${name}`,
    subtitle: `asyncscope sweep: ${planned.points.length} member${planned.points.length === 1 ? '' : 's'} of ${planned.family.barriers.length + 1}, from a chain of levels to the workflow itself${measurement ? `, each run on this machine both ways at scale ${decimal(measurement.scale, 9)}` : ', simulated'}`,
    sections,
    footer: `Made by asyncscope ${meta.version} on ${meta.generatedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC. Figures as asyncscope sweep --json gives them; see docs/model.md, "The sweep".`,
  };
}

function summary(data: SweepReportData, byKept: ReadonlyMap<number, MeasuredMember>): Section {
  const { planned, measurement } = data;
  const blocks: Block[] = [];
  const m = planned.family.barriers.length;
  blocks.push({
    kind: 'text',
    parts: [
      `Workflow ${planned.spec.name ?? '(unnamed)'} (${planned.family.base.stages.length} stages; ${planned.source}) on ${describePlatform(planned.spec.platform)}${planned.platformGiven ? " (this machine's: the workflow states no platform)" : ''}. `,
      m === 0 ? 'Every stage already waits for the whole level before it: the family has one member.' : `${m} barrier edge${m === 1 ? '' : 's'} between consecutive levels; member k keeps k of them (k = ${m}: a chain of levels; 0: the workflow itself).`,
    ],
  });
  const last = planned.points[planned.points.length - 1];
  const end = byKept.get(last.kept);
  if (measurement !== null && end !== undefined) {
    const parts: Inline[] = [
      `At the workflow itself (${last.kept} kept), asynchronous execution measured `,
      { strong: percent(end.improvement) ?? '-' },
      ` faster than level by level (${seconds(end.asyncS) ?? '-'} s against ${seconds(end.syncS) ?? '-'} s); the model predicts ${percent(last.improvement) ?? '-'} (${seconds(last.asyncS * measurement.scale)} s against ${seconds(last.syncS * measurement.scale)} s at this scale).`,
    ];
    const gaps = [...byKept.values()].flatMap((mm) => {
      const p = planned.points.find((q) => q.kept === mm.kept);
      return mm.improvement !== null && p?.improvement != null ? [Math.abs(mm.improvement - p.improvement)] : [];
    });
    if (gaps.length > 0) parts.push(` Over the ${gaps.length} members, measured and predicted improvement differ by at most ${signedPoints(Math.max(...gaps) * 100).replace(/^\+/, '')}.`);
    blocks.push({ kind: 'text', tone: 'headline', parts });
    blocks.push({
      kind: 'text',
      tone: 'note',
      parts: [
        `Measured in ${seconds(measurement.elapsedS)} s (planned: ${seconds(measurement.plannedS)} s), one run at a time, with a 1-minute load average of ${decimal(measurement.loadAverage.start, 2)} at the start and ${decimal(measurement.loadAverage.end, 2)} at the end: every task's launch adds to a measured makespan, more so on a loaded machine. `,
        measurement.db === null ? 'The runs were not kept (--no-store).' : `The runs are stored in ${measurement.db} as ${measurement.labelPrefix}-K-sync and ${measurement.labelPrefix}-K-async.`,
      ],
    });
  }
  blocks.push({ kind: 'text', tone: 'note', parts: ['Made with ', { code: data.command }, '.'] });
  return { id: 'summary', title: 'Summary', blocks, subsections: [] };
}

function makespans(data: SweepReportData, measurement: SweepMeasurement, byKept: ReadonlyMap<number, MeasuredMember>): Section {
  const { scale } = measurement;
  const error = (measured: number | null | undefined, predicted: number) => (measured == null || !(predicted > 0) ? null : measured / predicted - 1);
  return {
    id: 'makespans',
    title: 'Makespans: predicted and measured',
    blocks: [
      {
        kind: 'table',
        table: {
          caption: `Each member level by level (sync) and asynchronously (async), in seconds at scale ${decimal(scale, 9)}: the model's makespan (the simulated one times the scale) and the measured one`,
          columns: [
            { header: 'member (kept)' },
            { header: 'degree', numeric: true },
            { header: 'sync predicted', numeric: true },
            { header: 'sync measured', numeric: true },
            { header: 'error', numeric: true },
            { header: 'async predicted', numeric: true },
            { header: 'async measured', numeric: true },
            { header: 'error', numeric: true },
          ],
          rows: data.planned.points.map((p) => {
            const m = byKept.get(p.kept);
            return [
              textCell(String(p.kept)),
              numberCell(p.degree, (v) => decimal(v, 3)),
              numberCell(p.syncS * scale, seconds),
              numberCell(m?.syncS, seconds),
              numberCell(error(m?.syncS, p.syncS * scale), (v) => signedPercent(v)),
              numberCell(p.asyncS * scale, seconds),
              numberCell(m?.asyncS, seconds),
              numberCell(error(m?.asyncS, p.asyncS * scale), (v) => signedPercent(v)),
            ];
          }),
        },
      },
    ],
    subsections: [],
  };
}
