/**
 * The one-command demo, a workflow of its own beside the commands: the four bundled Summit traces
 * (traces/radical-pilot, found from the package root, not the working folder) ingested into a
 * fresh store, and one report comparing DG2 and DeepDriveMD, synchronous vs asynchronous, with the
 * model's predictions. It joins the ingest pipeline and the report; neither knows of the other.
 */
import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '../errors.js';
import { fileProblem } from '../files/problems.js';
import { makeUserFolder, writeUserFile } from '../files/write.js';
import { ingest, type IngestHooks } from '../importers/ingest.js';
import { buildReport, type BuiltReport } from '../report/build-report.js';
import { gatherReport } from '../report/gather.js';
import type { ReportData } from '../report/report-data.js';
import type { ReportMeta } from '../report/sections/all-sections.js';
import type { RunMode, StoredRun } from '../run/stored-run.js';
import { openStore } from '../store/open-store.js';

export interface DemoRun {
  file: string;
  label: string;
  mode: RunMode;
  workflow: string;
}

/** The bundled traces, relative to the package root (see traces/radical-pilot/README.md). */
export const DEMO_RUNS: readonly DemoRun[] = [
  { file: 'traces/radical-pilot/re.session.login5.pascuzzi.019221.0000.tgz', label: 'dg2-sync', mode: 'sync', workflow: 'DG2' },
  { file: 'traces/radical-pilot/re.session.login5.pascuzzi.019221.0001.tgz', label: 'dg2-async', mode: 'async', workflow: 'DG2' },
  { file: 'traces/radical-pilot/re.session.login2.pascuzzi.019224.0001.tgz', label: 'ddmd-sync', mode: 'sync', workflow: 'DeepDriveMD' },
  { file: 'traces/radical-pilot/re.session.login2.pascuzzi.019224.0005.tgz', label: 'ddmd-async', mode: 'async', workflow: 'DeepDriveMD' },
];

export const DEMO_DB = 'demo.db';
export const DEMO_HTML = 'demo.html';

export interface DemoOptions {
  /** The package root (where traces/ is). */
  root: string;
  /** Where demo.db and demo.html go. */
  outDir: string;
  meta: ReportMeta;
  /** Progress: a trace being read (bytes callback), then charts being drawn. */
  onIngest?: IngestHooks['onStart'];
  onChart?: (done: number, total: number) => void;
}

export interface DemoResult {
  html: string;
  db: string;
  bytes: number;
  data: ReportData;
  built: BuiltReport;
}

export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const files = DEMO_RUNS.map((r) => path.join(options.root, r.file));
  const missing = files.filter((f) => !fs.existsSync(f));
  if (missing.length > 0) throw new InputError(`the bundled traces are missing (${missing.map((f) => path.basename(f)).join(', ')}): expected under ${path.join(options.root, 'traces', 'radical-pilot')}`);

  makeUserFolder(options.outDir, 'output folder');
  const dbPath = path.join(options.outDir, DEMO_DB);
  try {
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(dbPath + suffix, { force: true });
  } catch (error) {
    throw new InputError(`${dbPath}: cannot replace the demo database: ${fileProblem(error)}`);
  }
  const store = await openStore(dbPath, { access: 'write', create: true });
  try {
    const stored = new Map<string, StoredRun>();
    for (const [i, run] of DEMO_RUNS.entries()) {
      const outcomes = await ingest(store, { paths: [files[i]], format: 'auto', label: run.label, mode: run.mode, workflow: run.workflow, replace: false }, { onStart: options.onIngest });
      const saved = outcomes.find((o) => o.kind === 'saved');
      const failed = outcomes.find((o) => o.kind === 'failed');
      if (failed) throw failed.error;
      if (!saved) throw new InputError(`${run.file}: not stored`);
      stored.set(run.label, saved.result.run);
    }
    const runs = DEMO_RUNS.map((r) => stored.get(r.label)!);
    const data = await gatherReport(store, {
      runs,
      pairs: [
        { sync: stored.get('dg2-sync')!, async: stored.get('dg2-async')!, title: 'DG2' },
        { sync: stored.get('ddmd-sync')!, async: stored.get('ddmd-async')!, title: 'DeepDriveMD' },
      ],
      by: 'type',
    });
    const built = await buildReport(data, options.meta, options.onChart);
    const html = path.join(options.outDir, DEMO_HTML);
    writeUserFile(html, 'report', built.html);
    return { html, db: dbPath, bytes: Buffer.byteLength(built.html), data, built };
  } finally {
    await store.close();
  }
}
