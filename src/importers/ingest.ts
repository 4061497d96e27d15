/**
 * The ingest pipeline: paths -> inputs -> (hash, detect, read) -> one stored run per input.
 *
 * Each input is independent: a bad one is reported and the others are still stored. Parsing
 * happens before the write transaction opens, so a trace that fails to parse never touches the
 * database, and the transaction itself is all-or-nothing.
 */
import { InputError } from '../errors.js';
import type { Db } from '../store/database.js';
import type { Capacity, RunMode } from '../store/records.js';
import { saveRun, storedRunWithHash, type SaveResult } from '../store/save-run.js';
import { detectFormat, sampleInput } from './detect.js';
import { contentHash } from './hash.js';
import { expandInputs } from './inputs.js';
import { IMPORTERS, importerNamed } from './registry.js';
import type { ChromeOptions, TraceInput } from './types.js';

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
}

export type IngestOutcome =
  | { kind: 'saved'; input: TraceInput; result: SaveResult; warnings: string[] }
  | { kind: 'skipped'; input: TraceInput; reason: string }
  | { kind: 'failed'; input: { display: string }; error: Error };

export interface IngestHooks {
  /** A new input is being read; returns a callback for bytes read so far, if progress is shown. */
  onStart?: (input: TraceInput, index: number, count: number) => ((bytes: number) => void) | undefined;
  /** An input is done (stored, found already stored, skipped or failed). */
  onOutcome?: (outcome: IngestOutcome) => void;
}

export async function ingest(db: Db, request: IngestRequest, hooks: IngestHooks = {}): Promise<IngestOutcome[]> {
  const forced = request.format === 'auto' ? null : importerNamed(request.format);
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
      const hash = await contentHash(input);
      const existing = request.replace ? undefined : storedRunWithHash(db, hash);
      if (existing) {
        report({ kind: 'saved', input, result: { status: 'existing', run: existing, notes: [] }, warnings: [] });
        continue;
      }
      let importer = forced;
      if (!importer) {
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
      const parsed = await importer.read(input, { capacity: request.capacity, chrome: request.chrome, onBytes });
      const result = saveRun(db, parsed, {
        contentHash: hash,
        label: request.label,
        mode: request.mode,
        workflow: request.workflow,
        replace: request.replace,
      });
      report({ kind: 'saved', input, result, warnings: result.status === 'existing' ? [] : parsed.warnings });
    } catch (error) {
      report({ kind: 'failed', input, error: error as Error });
    }
  }
  return outcomes;
}
