/**
 * The fields a Nextflow trace may hold (nextflow.trace.TraceRecord.FIELDS), and reading a
 * trace's header: the field names in the order the user chose (`trace.fields`), joined by
 * `trace.sep` (a tab unless configured, and it may be any text).
 */

export type FieldKind = 'str' | 'num' | 'date' | 'time' | 'mem' | 'perc';

/** Every field Nextflow knows, with the kind of value it writes. */
export const NEXTFLOW_FIELDS: Readonly<Record<string, FieldKind>> = {
  task_id: 'str',
  hash: 'str',
  native_id: 'str',
  process: 'str',
  module: 'str',
  container: 'str',
  tag: 'str',
  name: 'str',
  status: 'str',
  exit: 'str',
  submit: 'date',
  start: 'date',
  complete: 'date',
  duration: 'time',
  realtime: 'time',
  '%cpu': 'perc',
  '%mem': 'perc',
  rss: 'mem',
  vmem: 'mem',
  peak_rss: 'mem',
  peak_vmem: 'mem',
  rchar: 'mem',
  wchar: 'mem',
  syscr: 'num',
  syscw: 'num',
  read_bytes: 'mem',
  write_bytes: 'mem',
  attempt: 'num',
  workdir: 'str',
  script: 'str',
  scratch: 'str',
  queue: 'str',
  cpus: 'num',
  memory: 'mem',
  disk: 'mem',
  time: 'time',
  env: 'str',
  error_action: 'str',
  vol_ctxt: 'num',
  inv_ctxt: 'num',
  hostname: 'str',
  cpu_model: 'str',
  accelerator: 'num',
  accelerator_type: 'str',
};

const NAMES = Object.keys(NEXTFLOW_FIELDS).sort((a, b) => b.length - a.length); // longest first

export function isNextflowField(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(NEXTFLOW_FIELDS, name);
}

export interface Header {
  /** Field names in column order. */
  fields: string[];
  separator: string;
}

/**
 * The header's fields and separator, or why it is not a Nextflow trace header. The separator is
 * what follows the first field name up to the next one; every column must then be a known field
 * (Nextflow refuses unknown names in `trace.fields`, so a header with other words is another table).
 */
export function readHeader(line: string): Header | string {
  const text = line.replace(/\r$/, '');
  const first = NAMES.find((name) => text.startsWith(name));
  if (first === undefined) return `its first column ${JSON.stringify(text.slice(0, 20))} is not a Nextflow trace field`;
  if (text.length === first.length) return { fields: [first], separator: '\t' };
  const rest = text.slice(first.length);
  for (let length = 1; length <= Math.min(8, rest.length - 1); length++) {
    const separator = rest.slice(0, length);
    if (!NAMES.some((name) => rest.startsWith(name, length))) continue;
    const fields = text.split(separator);
    const unknown = fields.find((field) => !isNextflowField(field));
    if (unknown === undefined) return { fields, separator };
    return `its column ${JSON.stringify(unknown.slice(0, 30))} is not a Nextflow trace field`;
  }
  return `its header ${JSON.stringify(text.slice(0, 60))} does not separate Nextflow trace fields`;
}

/** Columns that make a header a task trace: something to name a task by, and something about its time or state. */
export function describesTasks(fields: readonly string[]): boolean {
  const named = fields.some((f) => f === 'task_id' || f === 'hash' || f === 'name' || f === 'process' || f === 'native_id');
  const timed = fields.some((f) => f === 'status' || f === 'submit' || f === 'start' || f === 'complete' || f === 'duration' || f === 'realtime');
  return named && timed && fields.length >= 2;
}
