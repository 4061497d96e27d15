/**
 * The stable JSON of `report --json` and `demo --json` (documented in docs/readme/report.md):
 * where the report went, its size, the runs and comparisons it shows (the same objects as
 * `runs --json` and `compare --json`), its sections and how many charts it holds.
 */
import { comparisonJson, type ComparisonJson } from '../model/compare.js';
import type { HistoryJson } from '../history/history-json.js';
import { runJson, type RunJson, type StoredRun } from '../run/stored-run.js';
import type { BuiltReport } from './build-report.js';
import type { ReportData } from './report-data.js';

export interface ReportJson {
  out: string;
  bytes: number;
  runs: RunJson[];
  comparisons: ({ title: string; sync: string; async: string; spec: string | null } & ComparisonJson)[];
  sections: { id: string; title: string }[];
  charts: number;
}

export function reportJson(out: string, bytes: number, data: ReportData, built: BuiltReport): ReportJson {
  return {
    out,
    bytes,
    runs: data.runs.map((r) => runJson(r.run)),
    comparisons: data.pairs.map((p) => ({ title: p.title, sync: p.sync.id, async: p.async.id, spec: p.specPath, ...comparisonJson(p.comparison) })),
    sections: sectionsJson(built),
    charts: built.charts,
  };
}

/** `report --history --json`: the same fields (no comparisons), and the history as `asyncscope history --json` gives it. */
export function historyReportJson(out: string, bytes: number, runs: readonly StoredRun[], built: BuiltReport, history: HistoryJson): ReportJson & { history: HistoryJson } {
  return {
    out,
    bytes,
    runs: runs.map(runJson),
    comparisons: [],
    sections: sectionsJson(built),
    charts: built.charts,
    history,
  };
}

function sectionsJson(built: BuiltReport): ReportJson['sections'] {
  return built.document.sections.flatMap((s) => [{ id: s.id, title: s.title }, ...s.subsections.map((sub) => ({ id: sub.id, title: sub.title }))]);
}
