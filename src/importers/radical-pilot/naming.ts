/**
 * Task type, stage and pipeline of a RADICAL-Pilot task.
 */
import path from 'node:path';

export interface TaskNaming {
  name: string | null;
  type: string;
  stage: string | null;
  pipeline: string | null;
}

/**
 * RADICAL-EnTK names each task `<task uid>,<task name>,<stage uid>,<stage name>,<pipeline uid>,<pipeline name>`:
 * the type is the stage name, the stage is the stage instance (pipeline uid / stage uid) and the
 * pipeline is the pipeline uid. Other tasks get their type from the uid (`t3.0007` -> `t3`) unless
 * the uid is the generic `task.NNNN`, and then from what they run: `sleep 4c+1g`.
 */
export function nameTask(uid: string, name: string | null, executable: string | null, cores: number, gpus: number): TaskNaming {
  const entk = parseEntkName(name);
  if (entk) {
    return { name: entk.taskName, type: entk.stageName, stage: `${entk.pipelineUid}/${entk.stageUid}`, pipeline: entk.pipelineUid };
  }
  const dot = uid.lastIndexOf('.');
  const prefix = dot > 0 ? uid.slice(0, dot) : '';
  if (prefix !== '' && prefix !== 'task') return { name: name || null, type: prefix, stage: null, pipeline: null };
  return { name: name || null, type: executableType(executable, cores, gpus), stage: null, pipeline: null };
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

function executableType(executable: string | null, cores: number, gpus: number): string {
  const program = executable ? path.posix.basename(executable) : 'task';
  const c = Number.isNaN(cores) ? '?' : `${cores}`;
  return gpus > 0 ? `${program} ${c}c+${gpus}g` : `${program} ${c}c`;
}
