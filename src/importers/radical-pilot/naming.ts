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
  // Six non-empty parts: five commas, none first, last or next to another. Found with indexOf, not
  // split: a million tasks' names then cost no array each (0.7 s of the session reader at 10^6).
  const c1 = name.indexOf(',');
  if (c1 <= 0) return null;
  const c2 = name.indexOf(',', c1 + 1);
  if (c2 <= c1 + 1) return null;
  const c3 = name.indexOf(',', c2 + 1);
  if (c3 <= c2 + 1) return null;
  const c4 = name.indexOf(',', c3 + 1);
  if (c4 <= c3 + 1) return null;
  const c5 = name.indexOf(',', c4 + 1);
  if (c5 <= c4 + 1 || c5 === name.length - 1 || name.indexOf(',', c5 + 1) !== -1) return null;
  return {
    taskUid: name.slice(0, c1),
    taskName: name.slice(c1 + 1, c2),
    stageUid: name.slice(c2 + 1, c3),
    stageName: name.slice(c3 + 1, c4),
    pipelineUid: name.slice(c4 + 1, c5),
    pipelineName: name.slice(c5 + 1),
  };
}

function executableType(executable: string | null): string {
  return (executable ? path.posix.basename(executable) : '') || 'task';
}
