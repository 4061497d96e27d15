/**
 * One record of Slurm's accounting, read from `sacct -P` text or from `sacct --json`: an
 * allocation (a job, an array element, a heterogeneous job component, a pending array range) or
 * one of its steps.
 */
import type { JobId } from './job-id.js';

export interface SacctRecord {
  /** Line number in a text file (for TraceError), else undefined. */
  line: number | undefined;
  /** Where a record of a JSON document came from (`jobs[3] (job 23)`); null for text (see placeOf). */
  place: string | null;
  id: JobId;
  /** JobIDRaw: the job's own id (an array element has its own, `14_1` is 20); null when not given. */
  rawId: string | null;
  name: string | null;
  partition: string | null;
  /** Verbatim, reason included (`CANCELLED by 0`). */
  state: string | null;
  /** Seconds since the epoch; NaN when unset (`Unknown`, `None`) or not in the output. */
  submit: number;
  eligible: number;
  start: number;
  end: number;
  /** AllocCPUS (or the TRES cpu count); NaN when not given. */
  cpus: number;
  /** GPUs from AllocTRES, counted once; NaN when not given. */
  gpus: number;
  /** NodeList, null for none (`None assigned`). */
  nodeList: string | null;
  /** The command that submitted the job (SubmitLine), null when not given. */
  submitLine: string | null;
}

/** Where a record came from, for messages: `line 17` of a text file, `jobs[3] (job 23)` of a JSON document. */
export function placeOf(record: SacctRecord): string {
  return record.place ?? `line ${record.line}`;
}
