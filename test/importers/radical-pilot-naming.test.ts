/**
 * RADICAL-EnTK task names (`<task uid>,<task name>,<stage uid>,<stage name>,<pipeline uid>,<pipeline name>`)
 * are read by position of their commas (src/importers/radical-pilot/naming.ts): exactly six
 * non-empty parts, as splitting at every comma would give them, and anything else is no EnTK name.
 */
import { describe, expect, it } from 'vitest';
import { nameTask, parseEntkName } from '../../src/importers/radical-pilot/naming.js';

/** What the reader must agree with: split at every comma, six parts, none empty. */
function bySplit(name: string | null) {
  if (!name) return null;
  const parts = name.split(',');
  if (parts.length !== 6 || parts.some((part) => part === '')) return null;
  const [taskUid, taskName, stageUid, stageName, pipelineUid, pipelineName] = parts;
  return { taskUid, taskName, stageUid, stageName, pipelineUid, pipelineName };
}

describe('EnTK task names', () => {
  it('are six non-empty comma-separated parts, and nothing else is one', () => {
    const names = [
      'task.0000,sim,stage.0000,Simulation,pipeline.0000,p0',
      'task.0001,t,s,S,p,P',
      'a,b,c,d,e,f',
      ',b,c,d,e,f', 'a,,c,d,e,f', 'a,b,,d,e,f', 'a,b,c,,e,f', 'a,b,c,d,,f', 'a,b,c,d,e,',
      'a,b,c,d,e', 'a,b,c,d,e,f,g', 'a,b,c,d,e,f,', ',,,,,', ',,,,,,', 'a', '', null,
      'task.0000', 'a,b,c,d,e,f g,h', 'x, y ,z,w,v,u', 'caf\u00e9,\u4e2d,c,d,e,\ud83d\ude00',
    ];
    for (const name of names) expect(parseEntkName(name), String(name)).toEqual(bySplit(name));
    expect(parseEntkName('task.0003,train,stage.0002,Training,pipeline.0001,ddmd')).toEqual({
      taskUid: 'task.0003',
      taskName: 'train',
      stageUid: 'stage.0002',
      stageName: 'Training',
      pipelineUid: 'pipeline.0001',
      pipelineName: 'ddmd',
    });
  });

  it('give the type, stage and pipeline of a task; other tasks are named by uid or program', () => {
    expect(nameTask('task.000007', 'task.0003,train,stage.0002,Training,pipeline.0001,ddmd', '/bin/python')).toEqual({
      name: 'train',
      type: 'Training',
      stage: 'pipeline.0001/stage.0002',
      pipeline: 'pipeline.0001',
      stageName: 'Training',
    });
    expect(nameTask('t3.0007', 'a,b', null)).toEqual({ name: 'a,b', type: 't3', stage: null, pipeline: null, stageName: null });
    expect(nameTask('task.000001', '', '/usr/bin/sleep')).toEqual({ name: null, type: 'sleep', stage: null, pipeline: null, stageName: null });
  });
});
