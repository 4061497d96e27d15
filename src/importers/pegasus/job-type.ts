/**
 * Task types of Pegasus jobs. A compute job is of its transformation (`ls`, `findrange`: what
 * pegasus-statistics' breakdown lists), the auxiliary jobs the planner adds are of their kind as
 * the planner names them (`create_dir_process_0_local` is `create_dir`, `stage_out_local_local_0_0`
 * is `stage_out`), and sub-workflow jobs are `dax` or `dag` (job.type_desc).
 */
import { typeFromId } from '../../run/task-type.js';

/** Name prefixes of the planner's auxiliary jobs (Pegasus' naming, as in pegasus-analyzer). */
const AUXILIARY = ['create_dir', 'stage_in', 'stage_out', 'stage_inter', 'stage_worker', 'register', 'cleanup', 'clean_up', 'chmod'];

/**
 * @param name job.exec_job_id
 * @param typeDesc job.type_desc (compute, create-dir, stage-in-tx, ..., dax, dag)
 * @param transformation the one transformation of the job's tasks, or null (none, or several)
 */
export function jobType(name: string, typeDesc: string | null, transformation: string | null): string {
  if (typeDesc === 'dax' || typeDesc === 'dag') return typeDesc;
  if ((typeDesc === 'compute' || typeDesc === 'staged-compute') && transformation !== null) return transformation;
  for (const prefix of AUXILIARY) if (name.startsWith(`${prefix}_`)) return prefix;
  if (typeDesc === 'compute' || typeDesc === 'staged-compute' || typeDesc === null || typeDesc === 'unknown') return typeFromId(name);
  return typeDesc;
}

/** Whether a job runs a sub-workflow (its DAGMan on the submit host) rather than work of its own. */
export function isSubWorkflowJob(typeDesc: string | null): boolean {
  return typeDesc === 'dax' || typeDesc === 'dag';
}
