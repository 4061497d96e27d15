/**
 * The ingest pipeline: paths -> inputs -> (hash, detect, read) -> one stored run per input.
 *
 * Each input is independent: a bad one is reported and the others are still stored. Parsing
 * happens before the write transaction opens, so a trace that fails to parse never touches the
 * database, and the transaction itself is all-or-nothing.
 */
import { InputError, TraceError } from '../errors.js';
import type { Capacity } from '../run/capacity.js';
import type { Provenance } from '../run/provenance.js';
import { runJson, type RunMode } from '../run/stored-run.js';
import { saveParsedRun } from '../store/save-run.js';
import { isBusyError } from '../store/sqlite-busy.js';
import { isRunWrite, type RunWrite, type SaveResult, type Store, type WriteOptions } from '../store/store.js';
import { CorruptDataError } from './common/bunzip2.js';
import { contentHash } from './common/hash.js';
import { timeZoneNamed } from './common/time-zone.js';
import { checkTaskTimes, TimeCheck, type TimeFinding } from './common/time-check.js';
import { watchingTimes } from './common/watched-write.js';
import { checkForcedFormat, detectFormat, sampleInput } from './detect.js';
import { SinkRecorder } from './common/recorder.js';
import type { ChromeOptions, ImportOptions, Importer, ParslOptions, SacctOptions, StoreRun, TraceInput } from './importer.js';
import { expandInputs, inputSize } from './inputs.js';
import { IMPORTERS, importerNamed } from './registry.js';
import { manyTypesWarning, retypeBy, type TypeRule } from './type-rule.js';

export interface IngestRequest {
  paths: readonly string[];
  /** `auto` or an importer's format. */
  format: string;
  label?: string;
  mode?: RunMode;
  workflow?: string;
  replace: boolean;
  capacity?: Partial<Capacity>;
  /** How Chrome traces become tasks. */
  chrome?: ChromeOptions;
  /** Where each run came from, given its trace's absolute path (src/provenance/ detects it). */
  provenance?: (tracePath: string) => Provenance;
  /** The zone of wall-clock times written without one (`--tz`). */
  timeZone?: string;
  /** How sacct output becomes tasks. */
  sacct?: SacctOptions;
  /** Which runs of a Parsl monitoring database. */
  parsl?: ParslOptions;
  /** Task types by a rule instead of the trace's (`--type-from`, type-rule.ts). */
  typeFrom?: TypeRule;
  /** Recorded as the runs' source instead of each input's path (`asyncscope run` without --out: the trace was a temporary file). */
  source?: string;
  /** Refuse a trace whose times no real run has (common/time-check.ts) instead of storing it with a warning. */
  strict?: boolean;
}

export type IngestOutcome =
  | { kind: 'saved'; input: TraceInput; result: SaveResult; warnings: string[] }
  | { kind: 'skipped'; input: TraceInput; reason: string }
  | { kind: 'failed'; input: { display: string }; error: Error };

/** The stable JSON of a stored input in `ingest --json` (documented in the README): the run, its status and warnings. */
export function savedRunJson(outcome: Extract<IngestOutcome, { kind: 'saved' }>) {
  const { result } = outcome;
  return { ...runJson(result.run), status: result.status, warnings: result.status === 'existing' ? result.run.warnings : outcome.warnings };
}

export interface IngestHooks {
  /** A new input is being read; returns a callback for bytes read so far, if progress is shown. */
  onStart?: (input: TraceInput, index: number, count: number) => ((bytes: number) => void) | undefined;
  /** An input is done (stored, found already stored, skipped or failed). */
  onOutcome?: (outcome: IngestOutcome) => void;
}

/** Inputs up to this size are hashed before they are read (see below). */
const HASH_FIRST_MAX_BYTES = 32 * 1024 * 1024;

/** Thrown out of a streaming importer when the trace turns out to be stored already. */
class AlreadyStored extends Error {
  constructor(readonly result: SaveResult) {
    super('already stored');
  }
}

/** Runs a streaming importer into a run write: commit at the end, roll back on any failure. */
async function streamRun(
  store: Store,
  importer: Importer,
  input: TraceInput,
  options: ImportOptions,
  writeOptions: Omit<WriteOptions, 'epoch'>,
  knownHash: string | undefined,
  source: string | undefined,
  strict: boolean,
): Promise<{ result: SaveResult; warnings: string[] }> {
  let writer: RunWrite | undefined;
  const times = importer.checksTimes ? undefined : new TimeCheck();
  try {
    const streamed = await importer.stream!(input, options, async (header, known) => {
      const withEpoch = known?.epoch === undefined ? writeOptions : { ...writeOptions, epoch: known.epoch };
      const begun = await store.beginRun(source === undefined ? header : { ...header, source }, withEpoch, known?.contentHash ?? knownHash);
      if (!isRunWrite(begun)) throw new AlreadyStored(begun);
      writer = begun;
      // Times handed from time zero (an epoch known) are made absolute for the check.
      return times ? watchingTimes(begun, known?.epoch ?? 0, times) : begun;
    });
    if (!writer) throw new Error(`importer ${importer.format} did not open a run`);
    const warnings = [...streamed.warnings, ...timeWarnings(input, streamed.timeFindings ?? times?.findings() ?? [], strict)];
    return { result: await writer.commit(streamed.contentHash, warnings), warnings };
  } catch (error) {
    await writer?.rollback();
    if (error instanceof AlreadyStored) return { result: error.result, warnings: [] };
    throw error;
  }
}

/**
 * Stores each run of an input that holds several (a Parsl or Pegasus database) in a transaction of
 * its own, reporting each: stored, found stored already (by its content hash), or failed, named by
 * the input and the run. A run that fails does not stop the others; times no real run has are
 * looked for in each run apart (refused with `strict`, that run only).
 */
function storeEachRun(
  store: Store,
  input: TraceInput,
  writeOptions: Omit<WriteOptions, 'epoch'>,
  typeFrom: TypeRule | undefined,
  strict: boolean,
  report: (outcome: IngestOutcome) => void,
): StoreRun {
  return async (header, write) => {
    // A rule of its own per run: the tasks it did not match are counted per run.
    const retype = typeFrom ? retypeBy(typeFrom) : undefined;
    const begun = await store.beginRun(header, { ...writeOptions, retype });
    if (!isRunWrite(begun)) {
      report({ kind: 'saved', input, result: begun, warnings: [] });
      return;
    }
    try {
      const times = new TimeCheck();
      const content = await write(new SinkRecorder(watchingTimes(begun, 0, times)));
      const stored = [...content.warnings, ...timeWarnings(input, times.findings(), strict)];
      // commit sets the run's capacity from its header (docs/store.md): what reading settled.
      if (content.capacity) header.capacity = content.capacity;
      const result = await begun.commit(content.contentHash, stored);
      const warnings = result.status === 'existing' ? [] : [...stored, ...(await typeWarnings(store, result, typeFrom, retype?.unmatched() ?? 0))];
      report({ kind: 'saved', input, result, warnings });
    } catch (error) {
      await begun.rollback();
      report({ kind: 'failed', input: { display: `${input.display} (run ${header.id})` }, error: namingRun(error as Error, header.id) });
    }
  };
}

/**
 * The error of one run of an input that holds several, naming the run unless it does already
 * (Parsl's name their run; a run named after its file is named by the file).
 */
function namingRun(error: Error, run: string): Error {
  if (!(error instanceof TraceError) || error.message.includes(run)) return error;
  return new TraceError(error.file, `run ${run}: ${error.reason}`, error.line, error.field);
}

/** Times no real run has: warnings to store with the run, or (strict) the refusal of the trace, naming the first. */
function timeWarnings(input: TraceInput, findings: readonly TimeFinding[], strict: boolean): string[] {
  if (findings.length === 0) return [];
  if (strict) throw new TraceError(input.display, `${findings[0].message} (refused: --strict)`, findings[0].line ?? undefined);
  return findings.map((f) => `${f.message} (stored anyway; ingest --strict refuses such a trace)`);
}

export async function ingest(store: Store, request: IngestRequest, hooks: IngestHooks = {}): Promise<IngestOutcome[]> {
  const forced = request.format === 'auto' ? null : importerNamed(request.format);
  if (request.timeZone !== undefined) timeZoneNamed(request.timeZone); // a bad zone is one error, not one per input
  const { inputs, problems } = await expandInputs(request.paths);
  const outcomes: IngestOutcome[] = [];
  const report = (outcome: IngestOutcome) => {
    outcomes.push(outcome);
    hooks.onOutcome?.(outcome);
  };
  for (const problem of problems) {
    report({ kind: 'failed', input: { display: problem.path }, error: new InputError(`${problem.path}: ${problem.reason}`) });
  }

  for (const [index, input] of inputs.entries()) {
    const onBytes = hooks.onStart?.(input, index, inputs.length);
    try {
      let importer = forced;
      if (importer) checkForcedFormat(await sampleInput(input), importer, IMPORTERS);
      else {
        try {
          importer = detectFormat(await sampleInput(input), IMPORTERS);
        } catch (error) {
          // Files found by walking a folder or a glob may be READMEs and licences: skip those quietly.
          if (!input.explicit && error instanceof InputError) {
            report({ kind: 'skipped', input, reason: error.message });
            continue;
          }
          throw error;
        }
      }
      // Hashing first makes a re-ingest of a stored trace cost next to nothing. A big table is
      // hashed while it streams instead (reading it twice would cost more than the check saves),
      // and so is a folder whose importer hashes only the files it reads.
      const hashLater = importer.hashesWhileReading === true || (input.kind === 'file' && inputSize(input) > HASH_FIRST_MAX_BYTES);
      const hash = hashLater ? undefined : await contentHash(input);
      // --sacct-steps reads the same bytes as another run (hashed apart by the importer): the file's
      // own hash would find the run read by jobs. The store still finds a run read this way before.
      const shortcut = !request.replace && hash !== undefined && !(importer.format === 'sacct' && request.sacct?.steps);
      const existing = shortcut ? await store.findRunByHash(hash) : undefined;
      if (existing) {
        report({ kind: 'saved', input, result: { status: 'existing', run: existing, notes: [] }, warnings: [] });
        continue;
      }
      const options = { capacity: request.capacity, chrome: request.chrome, timeZone: request.timeZone, sacct: request.sacct, parsl: request.parsl, onBytes, contentHash: hash };
      const writeOptions = { label: request.label, mode: request.mode, workflow: request.workflow, replace: request.replace, provenance: request.provenance?.(input.path) };
      if (importer.streamRuns) {
        await importer.streamRuns(input, options, storeEachRun(store, input, writeOptions, request.typeFrom, request.strict ?? false, report));
        continue;
      }
      const retype = request.typeFrom ? retypeBy(request.typeFrom) : undefined;
      let saved: { result: SaveResult; warnings: string[] };
      if (importer.stream) {
        saved = await streamRun(store, importer, input, options, { ...writeOptions, retype }, hash, request.source, request.strict ?? false);
      } else {
        const parsed = await importer.read!(input, options);
        if (request.source !== undefined) parsed.source = request.source;
        if (parsed.tasks.length === 0) parsed.warnings.push('no tasks in this trace (stored as an empty run; report refuses it)');
        parsed.warnings.push(...timeWarnings(input, checkTaskTimes(parsed.tasks, parsed.epoch), request.strict ?? false));
        saved = { result: await saveParsedRun(store, parsed, { ...writeOptions, retype, contentHash: hash ?? (await contentHash(input)) }), warnings: parsed.warnings };
      }
      const { result } = saved;
      const warnings = result.status === 'existing' ? [] : [...saved.warnings, ...(await typeWarnings(store, result, request.typeFrom, retype?.unmatched() ?? 0))];
      report({ kind: 'saved', input, result, warnings });
    } catch (error) {
      // A decoder sees bytes, not files: its error gets the input's name here.
      const named =
        error instanceof CorruptDataError
          ? new InputError(`${input.display}: ${error.message}`)
          : isBusyError(error)
            ? new InputError(`${input.display}: not stored: ${store.location} stayed locked by another process past the wait for it (${(error as Error).message}); try again when that process is done`)
            : (error as Error);
      report({ kind: 'failed', input, error: named });
    }
  }
  return outcomes;
}

/** What the user should know about the types of a stored run: tasks a rule did not match, too many types. */
async function typeWarnings(store: Store, result: SaveResult, rule: TypeRule | undefined, unmatched: number): Promise<string[]> {
  const warnings: string[] = [];
  if (rule && unmatched > 0) warnings.push(`--type-from ${rule.text}: ${unmatched} task(s) gave it nothing to go by and kept the type of the trace`);
  const many = manyTypesWarning(result.run.id, result.types ?? (await store.typeCounts(result.run)).length);
  if (many) warnings.push(many);
  return warnings;
}
