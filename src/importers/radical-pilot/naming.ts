/**
 * Task type, stage and pipeline of a RADICAL-Pilot task.
 */
import path from 'node:path';

export interface TaskNaming {
  name: string | null;
  type: string;
  stage: string | null;
  pipeline: string | null;
  /** RADICAL-EnTK's stage name (the type of such a task); null for other tasks. */
  stageName: string | null;
}

/**
 * RADICAL-EnTK names each task `<task uid>,<task name>,<stage uid>,<stage name>,<pipeline uid>,<pipeline name>`:
 * the type is the stage name, the stage is the stage instance (pipeline uid / stage uid) and the
 * pipeline is the pipeline uid. Other tasks get their type from the uid (`t3.0007` -> `t3`) unless
 * the uid is the generic `task.NNNN`, and then from the program they run: `sleep`. (Not its
 * resources as well: RADICAL-Pilot's sample session asks for 1,179 different shapes of one
 * program, which made 1,179 types; --type-from regroups them otherwise.)
 */
export function nameTask(uid: string, name: string | null, executable: string | null): TaskNaming {
  const entk = parseEntkName(name);
  if (entk) {
    return { name: entk.taskName, type: entk.stageName, stage: `${entk.pipelineUid}/${entk.stageUid}`, pipeline: entk.pipelineUid, stageName: entk.stageName };
  }
  const dot = uid.lastIndexOf('.');
  const prefix = dot > 0 ? uid.slice(0, dot) : '';
  if (prefix !== '' && prefix !== 'task') return { name: name || null, type: prefix, stage: null, pipeline: null, stageName: null };
  return { name: name || null, type: executableType(executable), stage: null, pipeline: null, stageName: null };
}

export function parseEntkName(
  name: string | null,
): { taskUid: string; taskName: string; stageUid: string; stageName: string; pipelineUid: string; pipelineName: string } | null {
  if (!name) return null;
  const parts = name.split(',');
  if (parts.length !== 6 || parts.some((part) => part === '')) return null;
  const [taskUid, taskName, stageUid, stageName, pipelineUid, pipelineName] = parts;
  return { taskUid, taskName, stageUid, stageName, pipelineUid, pipelineName };
}

function executableType(executable: string | null): string {
  return (executable ? path.posix.basename(executable) : '') || 'task';
}
