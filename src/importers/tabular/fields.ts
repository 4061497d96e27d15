/**
 * Column names of tabular traces: each task field with the header names it is known by.
 * Names match case-insensitively and ignoring spaces, `_`, `-` and `.`: `Start Time`, `start_time`
 * and `startTime` are all the start.
 */

export type TaskField =
  | 'id' | 'name' | 'type' | 'stage' | 'pipeline' | 'state' | 'outcome' | 'node'
  | 'cores' | 'gpus' | 'start' | 'end' | 'duration'
  // Optional extras (extras.ts): what `asyncscope run` records, and what other tables may carry.
  | 'submit' | 'parents' | 'exit_code' | 'cpu_slots' | 'gpu_slots';

export const FIELD_ALIASES: Readonly<Record<TaskField, readonly string[]>> = {
  id: ['id', 'uid', 'task_id', 'task_uid', 'taskid', 'task', 'job_id'],
  name: ['name', 'task_name'],
  type: ['type', 'task_type', 'kind', 'category'],
  stage: ['stage', 'stage_id', 'stage_uid', 'stage_name'],
  pipeline: ['pipeline', 'pipeline_id', 'pipeline_uid'],
  state: ['state', 'status', 'final_state'],
  outcome: ['outcome'],
  node: ['node', 'host', 'hostname', 'node_name', 'machine'],
  cores: ['cores', 'cpus', 'ncores', 'ncpus', 'num_cores', 'core_count', 'cpu_cores'],
  gpus: ['gpus', 'ngpus', 'num_gpus', 'gpu_count'],
  start: ['start', 'start_time', 'started', 'start_s', 'begin', 'begin_time', 'exec_start'],
  end: ['end', 'end_time', 'ended', 'end_s', 'stop', 'stop_time', 'finish', 'finish_time', 'finished', 'exec_stop'],
  duration: ['duration', 'duration_s', 'runtime', 'runtime_s', 'elapsed'],
  submit: ['submit', 'submit_time', 'submit_s', 'submitted_at', 'queued_at'],
  parents: ['parents', 'parent_ids', 'parent_tasks', 'depends_on', 'dependencies'],
  exit_code: ['exit_code', 'exitcode', 'exit_status', 'return_code', 'returncode'],
  cpu_slots: ['cpu_slots', 'core_slots', 'cpu_ids', 'core_ids'],
  gpu_slots: ['gpu_slots', 'gpu_ids'],
};

/** Every field a table may give, in one order (the order of the small per-line rows of JSON Lines). */
export const TABLE_FIELDS = Object.keys(FIELD_ALIASES) as TaskField[];

export function normalizeHeader(name: string): string {
  return name.toLowerCase().replace(/[\s_\-.]/g, '');
}

const FIELD_OF_HEADER = new Map<string, TaskField>();
for (const [field, aliases] of Object.entries(FIELD_ALIASES) as [TaskField, readonly string[]][]) {
  for (const alias of aliases) FIELD_OF_HEADER.set(normalizeHeader(alias), field);
}

/** The task field a header names, if any. */
export function fieldOfHeader(header: string): TaskField | undefined {
  return FIELD_OF_HEADER.get(normalizeHeader(header));
}

/** Which column holds each field, and the header it was found under (for messages). */
export interface ColumnMap {
  index: Partial<Record<TaskField, number>>;
  header: Partial<Record<TaskField, string>>;
}

/** Maps a header row; the first column that names a field wins. */
export function mapColumns(headers: readonly string[]): ColumnMap {
  const map: ColumnMap = { index: {}, header: {} };
  headers.forEach((header, i) => {
    const field = fieldOfHeader(header);
    if (field && map.index[field] === undefined) {
      map.index[field] = i;
      map.header[field] = header;
    }
  });
  // Without an id column, a name column identifies tasks.
  if (map.index.id === undefined && map.index.name !== undefined) {
    map.index.id = map.index.name;
    map.header.id = map.header.name;
  }
  return map;
}

/** Why a column map cannot describe tasks, or null when it can. */
export function missingColumns(map: ColumnMap): string | null {
  const missing: string[] = [];
  if (map.index.id === undefined) missing.push(`id column (${FIELD_ALIASES.id.join(', ')})`);
  if (map.index.start === undefined) missing.push(`start column (${FIELD_ALIASES.start.join(', ')})`);
  if (map.index.end === undefined && map.index.duration === undefined) {
    missing.push(`end column (${FIELD_ALIASES.end.join(', ')}) or duration column (${FIELD_ALIASES.duration.join(', ')})`);
  }
  return missing.length === 0 ? null : `no ${missing.join(', no ')}`;
}
