/**
 * Baseline files: a versioned JSON snapshot of what a run (or several repeated runs) measured,
 * committed next to the code and checked against later.
 *
 *     {
 *       "format": "asyncscope-baseline",   always this: what the file is
 *       "version": 1,                      the layout; a version this asyncscope does not know is refused
 *       "asyncscope_version": "0.1.0",     the asyncscope that saved it
 *       "created": "2025-01-31T12:00:00.000Z",
 *       "run": "dg2-async",                the run or label saved
 *       "label": "dg2-async",
 *       "by": "type",                      the grouping of the analyses (groups.*, asynchronicity.*)
 *       "sync_run": null,                  the synchronous run of the compare results, if saved
 *       "spec": null,                      the spec file of the prediction, if saved
 *       "predict": null,                   `predict --json` of that spec
 *       "samples": [                       one per run: repeated runs give several
 *         { "id": "re.session...0001", "label": "dg2-async", "mode": "async",
 *           "analyze": { ... `analyze --json` of the run ... },
 *           "compare": null }              `compare --json` of (sync_run, this run), if saved
 *       ]
 *     }
 */
import type { RunAnalysisJson } from '../analysis/analyze-run.js';
import { GROUP_BY, type GroupBy } from '../analysis/intervals.js';
import { InputError } from '../errors.js';
import { readUserFile } from '../files/read.js';
import { writeUserFile } from '../files/write.js';
import type { ComparisonJson } from '../model/compare.js';
import type { PredictionJson } from '../model/predict.js';

export const BASELINE_FORMAT = 'asyncscope-baseline';
export const BASELINE_VERSION = 1;
/** Larger files are not baselines (a baseline of 100 runs takes a few megabytes). */
export const MAX_BASELINE_BYTES = 64 * 1024 * 1024;

export interface BaselineSample {
  id: string;
  label: string;
  mode: string;
  /** `analyze --json` of the run (read back untrusted: metricValue checks what it reads). */
  analyze: RunAnalysisJson | Record<string, unknown>;
  compare: ComparisonJson | Record<string, unknown> | null;
}

export interface Baseline {
  format: typeof BASELINE_FORMAT;
  version: typeof BASELINE_VERSION;
  asyncscope_version: string;
  created: string;
  run: string;
  label: string;
  by: GroupBy;
  sync_run: string | null;
  spec: string | null;
  predict: PredictionJson | Record<string, unknown> | null;
  samples: BaselineSample[];
}

export interface BaselineInput {
  asyncscopeVersion: string;
  created: Date;
  run: string;
  by: GroupBy;
  samples: { id: string; label: string; mode: string; analyze: RunAnalysisJson; compare: ComparisonJson | null }[];
  syncRun: string | null;
  spec: string | null;
  predict: PredictionJson | null;
}

export function makeBaseline(input: BaselineInput): Baseline {
  if (input.samples.length === 0) throw new InputError('a baseline needs at least one run');
  return {
    format: BASELINE_FORMAT,
    version: BASELINE_VERSION,
    asyncscope_version: input.asyncscopeVersion,
    created: input.created.toISOString(),
    run: input.run,
    label: input.samples[0].label,
    by: input.by,
    sync_run: input.syncRun,
    spec: input.spec,
    predict: input.predict,
    samples: input.samples.map((s) => ({ id: s.id, label: s.label, mode: s.mode, analyze: s.analyze, compare: s.compare })),
  };
}

/**
 * Reads and checks a baseline file's JSON; every problem is an InputError naming the file and
 * the field, and a version other than this asyncscope's is refused rather than half-understood.
 */
export function parseBaseline(text: string, file: string, readerVersion: string): Baseline {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new InputError(`${file}: not a baseline: not JSON (${(error as Error).message})`);
  }
  const fail = (field: string, problem: string) => new InputError(`${file}: ${field}: ${problem}`);
  if (!isObject(doc) || doc.format !== BASELINE_FORMAT) {
    throw new InputError(`${file}: not an asyncscope baseline (it has no "format": "${BASELINE_FORMAT}"); save one with asyncscope baseline save RUN --out FILE`);
  }
  if (doc.version !== BASELINE_VERSION) {
    const newer = typeof doc.version === 'number' && doc.version > BASELINE_VERSION;
    throw new InputError(
      `${file}: baseline format version ${JSON.stringify(doc.version)} is ${newer ? 'newer than this asyncscope reads' : 'unknown'}` +
        ` (asyncscope ${readerVersion} reads version ${BASELINE_VERSION}${typeof doc.asyncscope_version === 'string' ? `; the file was saved by asyncscope ${doc.asyncscope_version}` : ''}):` +
        ` ${newer ? 'upgrade asyncscope, or ' : ''}save the baseline again with asyncscope baseline save`,
    );
  }
  for (const key of ['asyncscope_version', 'created', 'run', 'label'] as const) {
    if (typeof doc[key] !== 'string') throw fail(key, 'missing or not a string');
  }
  if (typeof doc.by !== 'string' || !(GROUP_BY as readonly string[]).includes(doc.by)) throw fail('by', `must be one of ${GROUP_BY.join(', ')}`);
  for (const key of ['sync_run', 'spec'] as const) {
    if (doc[key] !== null && typeof doc[key] !== 'string') throw fail(key, 'must be a string or null');
  }
  if (doc.predict !== null && !isObject(doc.predict)) throw fail('predict', 'must be an object or null');
  if (!Array.isArray(doc.samples) || doc.samples.length === 0) throw fail('samples', 'must be a list of at least one run');
  doc.samples.forEach((sample: unknown, i: number) => {
    const where = `samples[${i}]`;
    if (!isObject(sample)) throw fail(where, 'not an object');
    for (const key of ['id', 'label', 'mode'] as const) if (typeof sample[key] !== 'string') throw fail(`${where}.${key}`, 'missing or not a string');
    if (!isObject(sample.analyze)) throw fail(`${where}.analyze`, 'missing or not an object');
    if (sample.compare !== null && !isObject(sample.compare)) throw fail(`${where}.compare`, 'must be an object or null');
  });
  return doc as unknown as Baseline;
}

export function readBaselineFile(file: string, readerVersion: string): Baseline {
  const text = readUserFile(file, 'baseline file', { missing: 'save one with asyncscope baseline save RUN --out FILE', maxBytes: MAX_BASELINE_BYTES });
  return parseBaseline(text, file, readerVersion);
}

/** The stable JSON of `baseline save --json` (documented in the README). */
export function savedBaselineJson(out: string, baseline: Baseline) {
  return {
    out,
    version: baseline.version,
    run: baseline.run,
    label: baseline.label,
    by: baseline.by,
    samples: baseline.samples.map((sample) => sample.id),
    sync_run: baseline.sync_run,
    spec: baseline.spec,
  };
}

/** Writes the baseline as indented JSON (readable in a diff), creating its folder. */
export function writeBaselineFile(file: string, baseline: Baseline): void {
  writeUserFile(file, 'baseline', `${JSON.stringify(baseline, null, 2)}\n`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
