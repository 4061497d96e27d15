/**
 * The report pipeline after the store: data -> document (sections of text, tables and chart
 * specs) -> SVG of every chart (vega, in Node) -> one HTML file.
 *
 *   gatherReport (gather.ts)      store -> ReportData            analyzers and model, the only I/O
 *   reportDocument (sections/)    ReportData -> ReportDocument   what to say, every number from the data
 *   renderSvg (render/)           chart spec -> inline SVG       vega-lite + vega, sanitized
 *   renderPage (html/)            document + SVGs -> HTML        escaped, self-contained
 */
import { chartsOf, type ReportDocument } from './document-model.js';
import type { HistoryReportData } from './history-data.js';
import { renderPage } from './html/page.js';
import { renderSvg } from './render/svg.js';
import type { ReportData } from './report-data.js';
import { reportDocument, type ReportMeta } from './sections/all-sections.js';
import { historyDocument } from './sections/history.js';
import { sweepDocument, type SweepReportData } from './sections/sweep.js';

export interface BuiltReport {
  html: string;
  document: ReportDocument;
  /** Number of charts drawn. */
  charts: number;
  /** Problems vega-lite or vega reported while drawing (none expected). */
  renderWarnings: string[];
}

export async function buildReport(data: ReportData, meta: ReportMeta, onChart?: (done: number, total: number) => void): Promise<BuiltReport> {
  return renderDocument(reportDocument(data, meta), onChart);
}

/** The trend page of a history (`report --history`). */
export async function buildHistoryReport(data: HistoryReportData, meta: ReportMeta, onChart?: (done: number, total: number) => void): Promise<BuiltReport> {
  return renderDocument(historyDocument(data, meta), onChart);
}

/** The page of `sweep --report`: the family's curve and, with --measure, each member as it ran. */
export async function buildSweepReport(data: SweepReportData, meta: ReportMeta, onChart?: (done: number, total: number) => void): Promise<BuiltReport> {
  return renderDocument(sweepDocument(data, meta), onChart);
}

async function renderDocument(document: ReportDocument, onChart?: (done: number, total: number) => void): Promise<BuiltReport> {
  const charts = chartsOf(document);
  const svgs = new Map<string, string>();
  const renderWarnings: string[] = [];
  for (const [i, chart] of charts.entries()) {
    let rendered;
    try {
      rendered = await renderSvg(chart.spec, chart.id, chart.title, chart.links);
    } catch (error) {
      throw new Error(`drawing chart ${chart.id}: ${(error as Error).message}`, { cause: error });
    }
    svgs.set(chart.id, rendered.svg);
    renderWarnings.push(...rendered.warnings.map((w) => `chart ${chart.id}: ${w}`));
    onChart?.(i + 1, charts.length);
  }
  return { html: renderPage(document, svgs), document, charts: charts.length, renderWarnings };
}
