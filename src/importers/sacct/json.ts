/**
 * `sacct --json`: a document `{meta, errors, jobs: [...]}` written by Slurm's OpenAPI plugins
 * (`openapi/dbv0.0.36` to `dbv0.0.38`, Slurm 20.11 to 22.05) or its data parsers
 * (`data_parser/v0.0.39` onwards, Slurm 23.02 on). The two generations differ in small ways that
 * this reader accepts either way: a number may be plain or `{set, infinite, number}`, a state a
 * string or a list of flags, a step id `{job_id, id}` or the text `15.batch`. Times are epochs;
 * 0 or an unset number means not yet (or never).
 *
 * The document is read whole (JSON.parse): sacct writes some 20 kB per job in this form, so the
 * JSON of a million jobs would be 20 GB; the text form (`sacct -P`) is the one for large runs.
 */
import { TraceError } from '../../errors.js';
import { nodeListOf, tresFromList, type Tres } from './fields.js';
import { bitmapIndexes, parseJobId } from './job-id.js';
import type { SacctRecord } from './record.js';

/** The versions whose output this reader was written against (src/plugins/data_parser, src/plugins/openapi). */
const KNOWN_VERSIONS = [
  'openapi/dbv0.0.36', 'openapi/dbv0.0.37', 'openapi/dbv0.0.38',
  'data_parser/v0.0.39', 'data_parser/v0.0.40', 'data_parser/v0.0.41', 'data_parser/v0.0.42',
  'data_parser/v0.0.43', 'data_parser/v0.0.44', 'data_parser/v0.0.45', 'data_parser/v0.0.46',
];

const MAX_PENDING_ELEMENTS = 10_000_000;

export interface SacctDocument {
  /** The plugin version found (`openapi/dbv0.0.38`, `data_parser/v0.0.40`). */
  version: string;
  /** Slurm's release (`22.05.8`), when the document says. */
  release: string | null;
  jobs: unknown[];
  /** What Slurm reported under `errors`. */
  errors: string[];
}

/** Checks the envelope and its version; throws a TraceError for anything else. */
export function readDocument(document: unknown, display: string): SacctDocument {
  if (!isObject(document) || !Array.isArray(document.jobs)) throw new TraceError(display, 'not sacct --json output: no "jobs" list');
  const meta = isObject(document.meta) ? document.meta : {};
  const plugin = isObject(meta.plugin) ? meta.plugin : {};
  let version: string | null = null;
  if (typeof plugin.data_parser === 'string' && plugin.data_parser !== '') {
    version = plugin.data_parser.startsWith('data_parser/') ? plugin.data_parser : `data_parser/${plugin.data_parser}`;
  } else if (typeof plugin.type === 'string' && plugin.type.startsWith('openapi/')) {
    version = plugin.type;
  }
  if (version === null) throw new TraceError(display, 'sacct --json output without a version (meta.plugin.data_parser or meta.plugin.type): cannot tell how to read it');
  if (!KNOWN_VERSIONS.includes(version)) {
    throw new TraceError(display, `sacct --json output of an unknown version "${version}" (this reader knows ${KNOWN_VERSIONS[0]} to ${KNOWN_VERSIONS[2]} and data_parser/v0.0.39 to ${KNOWN_VERSIONS[KNOWN_VERSIONS.length - 1].slice(12)})`);
  }
  const slurm = isObject(meta.Slurm) ? meta.Slurm : isObject(meta.slurm) ? meta.slurm : {};
  const errors = Array.isArray(document.errors)
    ? document.errors.map((e) => (isObject(e) ? String(e.description ?? e.error ?? JSON.stringify(e)) : String(e)))
    : [];
  return { version, release: typeof slurm.release === 'string' ? slurm.release : null, jobs: document.jobs, errors };
}

/** The records of one job of the document: its allocation, then its steps. */
export function recordsOfJob(job: unknown, index: number, display: string): SacctRecord[] {
  const where = `jobs[${index}]`;
  const fail = (field: string, reason: string): never => {
    throw new TraceError(display, reason, undefined, `${where}.${field}`);
  };
  if (!isObject(job)) fail('', 'is not an object');
  const j = job as Record<string, unknown>;
  const jobId = whole(j.job_id, 'job_id', fail);
  if (jobId === null) fail('job_id', 'missing');
  const array = isObject(j.array) ? j.array : {};
  const het = isObject(j.het) ? j.het : {};
  const arrayJob = whole(array.job_id, 'array.job_id', fail) ?? 0;
  const arrayTask = whole(array.task_id, 'array.task_id', fail);
  const hetJob = whole(het.job_id, 'het.job_id', fail) ?? 0;
  const hetOffset = whole(het.job_offset, 'het.job_offset', fail);

  let idText: string;
  if (arrayJob > 0 && arrayTask !== null) idText = `${arrayJob}_${arrayTask}`;
  else if (arrayJob > 0 && typeof array.task === 'string' && array.task !== '') idText = `${arrayJob}_[${pendingIndexes(array.task, (reason) => fail('array.task', reason))}]`;
  else if (hetJob > 0 && hetOffset !== null) idText = `${hetJob}+${hetOffset}`;
  else idText = String(jobId);
  const id = parseJobId(idText);
  if (!id) fail('job_id', `"${idText}" is not a Slurm job id`);

  const time = isObject(j.time) ? j.time : {};
  const tres = tresOf(j.tres, 'tres', fail);
  const start = epoch(time.start, 'time.start', fail);
  const end = epoch(time.end, 'time.end', fail);
  if (end < start) fail('time.end', `ends (${end}) before it starts (${start})`);
  const allocation: SacctRecord = {
    line: undefined,
    place: `${where} (job ${idText})`,
    id: id!,
    rawId: String(jobId),
    name: text(j.name),
    partition: text(j.partition),
    state: stateOf(j.state, 'state', fail),
    submit: epoch(time.submission, 'time.submission', fail),
    eligible: epoch(time.eligible, 'time.eligible', fail),
    start,
    end,
    cpus: tres?.cpus ?? NaN,
    gpus: tres ? tres.gpus : NaN,
    nodeList: typeof j.nodes === 'string' ? nodeListOf(j.nodes) : null,
    submitLine: text(j.submit_line),
  };
  const records = [allocation];
  const steps = Array.isArray(j.steps) ? j.steps : [];
  steps.forEach((step, k) => {
    const stepWhere = `steps[${k}]`;
    const stepFail = (field: string, reason: string): never => fail(`${stepWhere}.${field}`, reason);
    if (!isObject(step)) stepFail('', 'is not an object');
    const s = step as Record<string, unknown>;
    const name = stepName(s.step, stepFail);
    const stepId = parseJobId(`${idText}.${name}`);
    if (!stepId) stepFail('step.id', `"${name}" is not a step id`);
    const stepTime = isObject(s.time) ? s.time : {};
    const stepTres = tresOf(isObject(s.tres) ? s.tres : undefined, 'tres', stepFail);
    const stepStart = epoch(stepTime.start, 'time.start', stepFail);
    const stepEnd = epoch(stepTime.end, 'time.end', stepFail);
    if (stepEnd < stepStart) stepFail('time.end', `ends (${stepEnd}) before it starts (${stepStart})`);
    const nodes = isObject(s.nodes) ? s.nodes : {};
    records.push({
      line: undefined,
      place: `${where}.${stepWhere} (step ${idText}.${name})`,
      id: stepId!,
      rawId: null,
      name: isObject(s.step) ? text(s.step.name) : null,
      partition: null,
      state: stateOf(s.state, 'state', stepFail),
      submit: NaN,
      eligible: NaN,
      start: stepStart,
      end: stepEnd,
      cpus: stepTres?.cpus ?? NaN,
      gpus: stepTres ? stepTres.gpus : NaN,
      nodeList: typeof nodes.range === 'string' ? nodeListOf(nodes.range) : null,
      submitLine: null,
    });
  });
  return records;
}

/** `0x1F0` (a bitmap, Slurm 22.05) or `4-8%3`: the pending indexes as a list `4,5,6,7,8`. */
function pendingIndexes(task: string, fail: (reason: string) => never): string {
  if (/^0x[0-9a-f]+$/i.test(task)) {
    try {
      return bitmapIndexes(task, MAX_PENDING_ELEMENTS).join(',');
    } catch (error) {
      return fail((error as Error).message);
    }
  }
  return task;
}

/** `{step: {id: 'batch' | 0, job_id}}` (22.05) or `{step: {id: '15.batch'}}` (23.02 on). */
function stepName(step: unknown, fail: (field: string, reason: string) => never): string {
  if (!isObject(step)) return fail('step', 'missing');
  const id = step.id;
  if (typeof id === 'number' && Number.isInteger(id) && id >= 0) return String(id);
  if (typeof id === 'string' && id !== '') {
    const dot = id.indexOf('.');
    return dot < 0 ? id : id.slice(dot + 1);
  }
  return fail('step.id', `${JSON.stringify(id)} is not a step id`);
}

/** A job state: `"COMPLETED"` (22.05) or `["COMPLETED"]`, flags after the state (23.02 on). */
function stateOf(value: unknown, field: string, fail: (field: string, reason: string) => never): string | null {
  const state = isObject(value) && 'current' in value ? value.current : value;
  if (state === null || state === undefined) return null;
  if (typeof state === 'string') return state === '' ? null : state;
  if (Array.isArray(state) && state.every((s) => typeof s === 'string')) return state.length === 0 ? null : state.join(' ');
  return fail(field, `${JSON.stringify(state)} is not a job state`);
}

/**
 * The allocated TRES; for a job that got nothing allocated (it never ran), the requested ones, as
 * the text form's AllocCPUS shows the requested CPUs of a pending job.
 */
function tresOf(value: unknown, field: string, fail: (field: string, reason: string) => never): Tres | null {
  if (!isObject(value)) return null;
  const list = (key: 'allocated' | 'requested'): Tres | null => {
    const items = value[key];
    if (items === undefined || items === null) return null;
    if (!Array.isArray(items) || !items.every(isObject)) return fail(`${field}.${key}`, 'is not a list of TRES');
    const tres = tresFromList(items as { type?: unknown; name?: unknown; count?: unknown }[]);
    if (tres && tres.gpus !== tres.gpus) return fail(`${field}.${key}`, 'has a GPU count that is not a number');
    return tres;
  };
  return list('allocated') ?? (Array.isArray(value.requested) ? list('requested') : null);
}

/** A number, plain or `{set, infinite, number}`; null when unset. */
function whole(value: unknown, field: string, fail: (field: string, reason: string) => never): number | null {
  const number = unwrap(value);
  if (number === undefined) return fail(field, `${JSON.stringify(value)} is not a number`);
  return number;
}

/** An epoch time: null, 0 and unset numbers are NaN (not yet, never). */
function epoch(value: unknown, field: string, fail: (field: string, reason: string) => never): number {
  const number = unwrap(value);
  if (number === undefined || (number !== null && number < 0)) return fail(field, `${JSON.stringify(value)} is not a time`);
  return number === null || number === 0 ? NaN : number;
}

/** Plain number, or the data parsers' `{set, infinite, number}`; null when unset, undefined when neither. */
function unwrap(value: unknown): number | null | undefined {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (isObject(value) && 'number' in value) {
    if (value.set === false || value.infinite === true) return null;
    return typeof value.number === 'number' && Number.isFinite(value.number) ? value.number : undefined;
  }
  return undefined;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
