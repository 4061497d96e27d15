/**
 * Writing a synthetic run in the formats asyncscope reads: CSV, JSON Lines, and a RADICAL-Pilot-like
 * session (description, scheduling and execution profiles) packed as .tgz.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { produceUserFile } from '../files/write.js';
import type { SyntheticRun } from './workflow.js';

/**
 * Buffers lines and writes them in large chunks, synchronously: simple and fast for big files.
 * Files the user names go through files/write.ts; only the session's own files, in a fresh
 * temporary folder, have their folders made here.
 */
export class LineWriter {
  private readonly fd: number;
  private buffer: string[] = [];
  private size = 0;
  constructor(file: string) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.fd = fs.openSync(file, 'w');
  }
  line(text: string): void {
    this.buffer.push(text);
    this.size += text.length;
    if (this.size > 1 << 20) this.flush();
  }
  private flush(): void {
    if (this.buffer.length === 0) return;
    fs.writeSync(this.fd, `${this.buffer.join('\n')}\n`);
    this.buffer = [];
    this.size = 0;
  }
  close(): void {
    this.flush();
    fs.closeSync(this.fd);
  }
}

export function writeCsv(run: SyntheticRun, file: string): void {
  produceUserFile(file, 'trace', (target) => {
    const out = new LineWriter(target);
    out.line('id,type,stage,pipeline,start,end,cores,gpus,node,state');
    for (let i = 0; i < run.id.length; i++) {
      out.line(`${run.id[i]},${run.type[i]},${run.stage[i]},${run.pipeline[i]},${run.start[i].toFixed(6)},${run.end[i].toFixed(6)},${run.cores[i]},${run.gpus[i]},${run.node[i]},DONE`);
    }
    out.close();
  });
}

export function writeJsonl(run: SyntheticRun, file: string): void {
  produceUserFile(file, 'trace', (target) => {
    const out = new LineWriter(target);
    for (let i = 0; i < run.id.length; i++) {
      out.line(
        JSON.stringify({
          id: run.id[i], type: run.type[i], stage: run.stage[i], pipeline: run.pipeline[i],
          start: Number(run.start[i].toFixed(6)), end: Number(run.end[i].toFixed(6)),
          cores: run.cores[i], gpus: run.gpus[i], node: run.node[i], state: 'DONE',
        }),
      );
    }
    out.close();
  });
}

const PROFILE_HEADER = '#time,event,comp,thread,uid,state,msg';

/**
 * A session `<sid>/` with `<sid>.json` (EnTK-named tasks, old-schema resources, one pilot) and five
 * profile events per task, packed with the system's tar into `file` (.tgz).
 */
export function writeRadicalPilotSession(run: SyntheticRun, file: string, sid: string): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'asyncscope-gen-'));
  try {
    const root = path.join(dir, sid);
    const description = new LineWriter(path.join(root, `${sid}.json`));
    const nodeList = Array.from({ length: run.nodes }, (_, n) => `["node${String(n).padStart(3, '0')}", "${n + 1}"]`).join(', ');
    description.line(
      `{"session": {"_id": "${sid}"}, "pilot": [{"uid": "pilot.0000", "resource_details": {"rm_info": {"node_list": [${nodeList}], ` +
        `"cores_per_node": ${run.coresPerNode}, "gpus_per_node": ${run.gpusPerNode}}}}], "task": [`,
    );
    for (let i = 0; i < run.id.length; i++) {
      const name = `${run.id[i]},${run.type[i]}.${i},${run.stage[i].split('/')[1]},${run.type[i]},${run.pipeline[i]},None`;
      description.line(
        `${i === 0 ? '' : ','}{"uid": "${run.id[i]}", "name": "${name}", "state": "DONE", "description": ` +
          `{"executable": "/usr/bin/sleep", "cpu_processes": 1, "cpu_threads": ${run.cores[i]}, "gpu_processes": ${run.gpus[i]}}}`,
      );
    }
    description.line(']}');
    description.close();

    const scheduling = new LineWriter(path.join(root, 'pilot.0000', 'agent_scheduling.0000.prof'));
    const executing = new LineWriter(path.join(root, 'pilot.0000', 'agent_executing.0000.prof'));
    const client = new LineWriter(path.join(root, 'tmgr.0000.prof'));
    for (const out of [scheduling, executing, client]) out.line(PROFILE_HEADER);
    for (let i = 0; i < run.id.length; i++) {
      const uid = run.id[i];
      const start = run.start[i];
      const end = run.end[i];
      scheduling.line(`${(start - 2).toFixed(7)},advance,agent_scheduling.0000,Thread-1,${uid},AGENT_SCHEDULING,`);
      scheduling.line(`${(start - 1).toFixed(7)},schedule_ok,agent_scheduling.0000,Thread-1,${uid},,`);
      executing.line(`${start.toFixed(7)},exec_start,agent_executing.0000,Thread-1,${uid},,`);
      executing.line(`${end.toFixed(7)},exec_stop,agent_executing.0000,Thread-3,${uid},,`);
      client.line(`${(end + 1).toFixed(7)},advance,tmgr.0000,Thread-20,${uid},DONE,`);
    }
    for (const out of [scheduling, executing, client]) out.close();
    produceUserFile(file, 'session archive', (target) => execFileSync('tar', ['-czf', target, '-C', dir, sid]));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
