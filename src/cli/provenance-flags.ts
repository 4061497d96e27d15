/**
 * `--meta KEY=VALUE` and `--[no-]provenance`: where a stored run came from (ingest, run), and the
 * detector they configure. One declaration, so both commands take and describe them alike.
 */
import * as Flags from '@oclif/core/flags';
import { ProvenanceDetector } from '../provenance/detect.js';
import { parseMetaFlags } from '../provenance/meta-flags.js';

/** The two flags; `traceFolder` says whose git the detector reads ("the trace folder", "the spec's folder"). */
export function provenanceFlags(traceFolder: string) {
  return {
    meta: Flags.string({
      description: 'Provenance: a field (commit, commit_title, branch, ci, job_url, host) or a free pair, recorded with the run (repeatable)',
      helpValue: 'KEY=VALUE',
      multiple: true,
      multipleNonGreedy: true,
    }),
    provenance: Flags.boolean({
      description: `Detect where the run came from (CI environment, git of ${traceFolder}, host); --no-provenance records only --meta`,
      default: true,
      allowNo: true,
    }),
  };
}

/** The detector the flags ask for; what --meta could not use is handed to `warn`. */
export function provenanceFromFlags(flags: { meta?: string[]; provenance: boolean }, version: string, warn: (message: string) => void): ProvenanceDetector {
  const meta = parseMetaFlags(flags.meta ?? []);
  for (const warning of meta.warnings) warn(warning);
  return new ProvenanceDetector({ detect: flags.provenance, meta, version });
}
