/**
 * The Pegasus stampede database (Pegasus/db/schema.py), as far as this reader needs it, and its
 * version: the `dbversion` table holds the schema version that pegasus-db-admin manages
 * (Pegasus/db/admin/versions/: v1 to v14 in Pegasus 5.0 and 5.1). The tables read here have kept
 * their columns since well before v8, the oldest version Pegasus itself still opens; a version
 * above 14 is refused (by name), since it may have changed them.
 */
import { TraceError } from '../../errors.js';
import type { ForeignDatabase } from '../../store/foreign-sqlite.js';

export const KNOWN_VERSIONS = { min: 1, max: 14 };

/** The tables that make a file a stampede database (detection). */
export const STAMPEDE_TABLES = ['workflow', 'job', 'job_instance', 'jobstate'] as const;

/** Tables and the columns this reader takes from them. */
export const NEEDED: Record<string, readonly string[]> = {
  workflow: ['wf_id', 'wf_uuid', 'dag_file_name', 'dax_label', 'parent_wf_id', 'root_wf_id'],
  workflowstate: ['wf_id', 'state', 'timestamp', 'status'],
  job: ['job_id', 'wf_id', 'exec_job_id', 'type_desc'],
  job_instance: ['job_instance_id', 'job_id', 'host_id', 'job_submit_seq', 'subwf_id', 'exitcode'],
  jobstate: ['job_instance_id', 'state', 'timestamp', 'jobstate_submit_seq'],
  invocation: ['job_instance_id', 'task_submit_seq', 'start_time', 'remote_duration', 'transformation'],
  job_edge: ['wf_id', 'parent_exec_job_id', 'child_exec_job_id'],
  host: ['host_id', 'hostname'],
};

export function looksLikeStampede(tables: readonly string[]): boolean {
  return STAMPEDE_TABLES.every((table) => tables.includes(table));
}

/** The schema version; a TraceError when it is unknown or the tables lack what is needed. */
export function stampedeVersion(db: ForeignDatabase): number {
  const tables = db.tables();
  if (!looksLikeStampede(tables)) {
    throw new TraceError(db.display, `not a Pegasus stampede database: it has no ${STAMPEDE_TABLES.filter((t) => !tables.includes(t)).join(', ')} table`);
  }
  if (!db.hasTable('dbversion') || !db.columns('dbversion').includes('version_number')) {
    throw new TraceError(db.display, 'a Pegasus stampede database without a schema version (table dbversion): written by a Pegasus older than 4.5, which this reader does not know');
  }
  let version: unknown = null;
  for (const [number] of db.rows('dbversion', ['version_number'], { orderBy: ['id'] })) version = number;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < KNOWN_VERSIONS.min || version > KNOWN_VERSIONS.max) {
    throw new TraceError(
      db.display,
      `a Pegasus stampede database of schema version ${JSON.stringify(version)}, which this reader does not know (it reads versions ${KNOWN_VERSIONS.min} to ${KNOWN_VERSIONS.max}: Pegasus 4.5 to 5.1)`,
    );
  }
  const missing = Object.entries(NEEDED).flatMap(([table, columns]) => {
    if (!db.hasTable(table)) return [table];
    const have = db.columns(table);
    return columns.filter((c) => !have.includes(c)).map((c) => `${table}.${c}`);
  });
  if (missing.length > 0) throw new TraceError(db.display, `a Pegasus stampede database (schema version ${version}) without ${missing.join(', ')}`);
  return version;
}
