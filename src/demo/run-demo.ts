/**
 * The one-command demo, a workflow of its own beside the commands. By default it runs a workflow
 * for real on this machine, both ways: traces/specs/dg2-local.yaml (DG2's shape scaled down to
 * seconds; found from the package root, not the working folder) level by level and then
 * asynchronously, each run's trace ingested into a fresh store, and writes one report comparing
 * the two runs with the model's predictions. With `traces`, it ingests a folder of traces instead
 * (the Summit runs of the paper, say) and reports on those. It joins the runner, the ingest
 * pipeline and the report; none of them knows of the others.
 */
import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '../errors.js';
import { fileProblem } from '../files/problems.js';
import { makeUserFolder, writeUserFile } from '../files/write.js';
import { ingest, type IngestHooks } from '../importers/ingest.js';
import { readSpecFile } from '../model/spec-file.js';
import { buildReport, type BuiltReport } from '../report/build-report.js';
import { gatherReport, type PairRequest } from '../report/gather.js';
import type { ReportData } from '../report/report-data.js';
import type { ReportMeta } from '../report/sections/all-sections.js';
import type { Capacity } from '../run/capacity.js';
import type { RunMode, StoredRun } from '../run/stored-run.js';
import type { ExecutionMode } from '../runner/execute.js';
import { prepareRun, runSpec, type RunSpecHooks } from '../runner/run-spec.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';

/** The spec the demo runs, relative to the package root. */
export const DEMO_SPEC = 'traces/specs/dg2-local.yaml';
export const DEMO_WORKFLOW = 'DG2';
/** Labels of the two local runs. */
export const DEMO_LABELS: Readonly<Record<ExecutionMode, string>> = { sync: 'dg2-local-sync', async: 'dg2-local-async' };

export const DEMO_DB = 'demo.db';
export const DEMO_HTML = 'demo.html';

/**
 * Traces whose mode and workflow are known without a hint in their name: the Summit runs of
 * the JSSPP 2023 study (radical-experiments/asychronous.paper; ../shared/traces/radical-pilot).
 */
const KNOWN_TRACES: Readonly<Record<string, { label: string; mode: RunMode; workflow: string }>> = {
  're.session.login5.pascuzzi.019221.0000': { label: 'dg2-sync', mode: 'sync', workflow: 'DG2' },
  're.session.login5.pascuzzi.019221.0001': { label: 'dg2-async', mode: 'async', workflow: 'DG2' },
  're.session.login2.pascuzzi.019224.0001': { label: 'ddmd-sync', mode: 'sync', workflow: 'DeepDriveMD' },
  're.session.login2.pascuzzi.019224.0005': { label: 'ddmd-async', mode: 'async', workflow: 'DeepDriveMD' },
};

export interface DemoOptions {
  /** The package root (where traces/specs is). */
  root: string;
  /** Where demo.db and demo.html go. */
  outDir: string;
  meta: ReportMeta;
  /** A folder of traces to report on instead of running the spec. */
  traces?: string;
  /** The machine of traces that do not state it (task tables), as `ingest --cores/--gpus/--nodes` gives it. */
  capacity?: Partial<Capacity>;
  /** Progress: a run of the spec (its mode, then its tasks), a trace being read, charts being drawn. */
  onRunStart?: (mode: ExecutionMode) => void;
  onRunProgress?: RunSpecHooks['onProgress'];
  onAbortable?: RunSpecHooks['onAbortable'];
  onIngest?: IngestHooks['onStart'];
  onChart?: (done: number, total: number) => void;
  onWarning?: (message: string) => void;
}

/** What the spec's runs measured, beside the model (local demo only). */
export interface DemoRunFigures {
  mode: ExecutionMode;
  label: string;
  tasks: number;
  failed: number;
  makespanS: number | null;
  predictedS: number | null;
}

export interface DemoResult {
  html: string;
  db: string;
  bytes: number;
  data: ReportData;
  built: BuiltReport;
  /** The spec run (null with `traces`). */
  spec: string | null;
  ran: DemoRunFigures[];
}

/** Ctrl-C while the spec's tasks ran: nothing of the demo was kept. */
export class DemoInterrupted extends Error {
  constructor(readonly signal: string) {
    super(`interrupted (${signal})`);
  }
}

export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const specFile = path.join(options.root, DEMO_SPEC);
  if (options.traces === undefined && !fs.existsSync(specFile)) throw new InputError(`the demo's workflow spec is missing: expected ${specFile}`);
  if (options.traces !== undefined && !(fs.existsSync(options.traces) && fs.statSync(options.traces).isDirectory())) {
    throw new InputError(`--traces ${options.traces}: not a folder`);
  }

  makeUserFolder(options.outDir, 'output folder');
  const dbPath = path.join(options.outDir, DEMO_DB);
  try {
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(dbPath + suffix, { force: true });
  } catch (error) {
    throw new InputError(`${dbPath}: cannot replace the demo database: ${fileProblem(error)}`);
  }
  const store = await openStore(dbPath, { access: 'write', create: true });
  try {
    const gathered = options.traces === undefined ? await runBothWays(store, specFile, options) : await ingestFolder(store, options.traces, options);
    const data = await gatherReport(store, { runs: gathered.runs, pairs: gathered.pairs, by: 'type' });
    const built = await buildReport(data, options.meta, options.onChart);
    const html = path.join(options.outDir, DEMO_HTML);
    writeUserFile(html, 'report', built.html);
    return { html, db: dbPath, bytes: Buffer.byteLength(built.html), data, built, spec: options.traces === undefined ? DEMO_SPEC : null, ran: gathered.ran };
  } finally {
    await store.close();
  }
}

interface Gathered {
  runs: StoredRun[];
  pairs: PairRequest[];
  ran: DemoRunFigures[];
}

/** The spec run level by level, then asynchronously (one after the other: each has the machine to itself). */
async function runBothWays(store: Store, specFile: string, options: DemoOptions): Promise<Gathered> {
  const spec = readSpecFile(specFile);
  const runs: StoredRun[] = [];
  const ran: DemoRunFigures[] = [];
  for (const mode of ['sync', 'async'] as const) {
    options.onRunStart?.(mode);
    const prepared = prepareRun({ specFile, spec, mode, scale: 1, onFailure: 'continue', label: DEMO_LABELS[mode], workflow: DEMO_WORKFLOW, store: true }, options.onWarning);
    const result = await runSpec(prepared, store, { onWarning: options.onWarning, onProgress: options.onRunProgress, onAbortable: options.onAbortable });
    if (result.kind === 'aborted') throw new DemoInterrupted(result.signal);
    if (result.summary.failed > 0) options.onWarning?.(`${DEMO_LABELS[mode]}: ${result.summary.failed} task(s) failed`);
    runs.push(result.stored!.run);
    ran.push({ mode, label: DEMO_LABELS[mode], tasks: result.summary.tasks, failed: result.summary.failed, makespanS: result.summary.makespanS, predictedS: result.predictedS });
  }
  // The model predicts from the spec itself: the DAG that ran, not one inferred from the runs.
  return { runs, pairs: [{ sync: runs[0], async: runs[1], spec, specPath: DEMO_SPEC, title: `${DEMO_WORKFLOW} on this machine` }], ran };
}

/**
 * Every trace of a folder, labelled: a known trace by the table above; another by its name, whose
 * `sync` or `async` word gives its mode and whose rest gives its workflow (`dg2-local-async.jsonl`,
 * as `asyncscope run --out` names them: workflow `dg2-local`, mode async). Each workflow with one
 * synchronous and one asynchronous run is a pair of the report.
 */
async function ingestFolder(store: Store, folder: string, options: DemoOptions): Promise<Gathered> {
  const outcomes = await ingest(store, { paths: [folder], format: 'auto', replace: false, capacity: options.capacity }, { onStart: options.onIngest });
  const runs: StoredRun[] = [];
  const labels = new Set<string>();
  for (const outcome of outcomes) {
    if (outcome.kind === 'failed') options.onWarning?.(`${outcome.error.message} (left out of the demo)`);
    if (outcome.kind !== 'saved' || outcome.result.status === 'existing') continue;
    for (const warning of outcome.warnings) options.onWarning?.(`${outcome.input.display}: ${warning}`);
    const stored = outcome.result.run;
    const named = KNOWN_TRACES[stored.id] ?? fromName(stored.id);
    let label = named.label;
    for (let n = 2; labels.has(label); n++) label = `${named.label}-${n}`;
    labels.add(label);
    runs.push(await store.editRun(stored, { label, mode: named.mode, workflow: named.workflow }));
  }
  const skipped = outcomes.flatMap((o) => (o.kind === 'skipped' ? [o.input.display] : []));
  if (skipped.length > 0) options.onWarning?.(`skipped ${skipped.length} file(s) that are not traces: ${skipped.slice(0, 6).join(', ')}${skipped.length > 6 ? ', ...' : ''}`);
  if (runs.length === 0) throw new InputError(`--traces ${folder}: no trace could be stored`);
  return { runs, pairs: pairsOf(runs), ran: [] };
}

function fromName(id: string): { label: string; mode: RunMode; workflow: string | undefined } {
  const m = /^(.*?)[-_.]?\b(sync|async)\b[-_.]?(.*)$/i.exec(id);
  if (m === null) return { label: id, mode: 'unknown', workflow: undefined };
  const workflow = [m[1], m[3]].filter((part) => part !== '').join('-');
  return { label: id, mode: m[2].toLowerCase() as RunMode, workflow: workflow === '' ? undefined : workflow };
}

/** One pair per workflow that has exactly one synchronous and one asynchronous run, in the order of the runs. */
function pairsOf(runs: readonly StoredRun[]): PairRequest[] {
  const byWorkflow = new Map<string, StoredRun[]>();
  for (const run of runs) {
    if (run.workflow === null || run.mode === 'unknown') continue;
    byWorkflow.set(run.workflow, [...(byWorkflow.get(run.workflow) ?? []), run]);
  }
  const pairs: PairRequest[] = [];
  for (const [workflow, group] of byWorkflow) {
    const sync = group.filter((r) => r.mode === 'sync');
    const async = group.filter((r) => r.mode === 'async');
    if (sync.length === 1 && async.length === 1) pairs.push({ sync: sync[0], async: async[0], title: workflow });
  }
  return pairs;
}
