/**
 * Small RADICAL-Pilot sessions written by tests: a folder of profiles and a session description,
 * and .tgz or .tar.bz2 archives of them (including hostile ones).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import tar from 'tar-stream';

export interface FixtureFile {
  path: string;
  content: string | Buffer;
}

export const PROFILE_HEADER = '#time,event,comp,thread,uid,state,msg';

/** One profile line. */
export function profLine(time: number, event: string, uid: string, state = '', msg = '', comp = 'agent_executing.0000'): string {
  return `${time.toFixed(7)},${event},${comp},MainThread,${uid},${state},${msg}`;
}

/** A session description with the given tasks and one pilot of `nodes` nodes. */
export function sessionJson(sid: string, tasks: object[], rm: { nodes: number; cores_per_node: number; gpus_per_node: number } | null): string {
  const pilot = rm
    ? [{ uid: 'pilot.0000', resource_details: { rm_info: { node_list: Array.from({ length: rm.nodes }, (_, i) => [`n${i}`, `${i + 1}`]), cores_per_node: rm.cores_per_node, gpus_per_node: rm.gpus_per_node } } }]
    : [];
  return JSON.stringify({ session: { _id: sid }, pilot, task: tasks });
}

export function writeFolder(dir: string, files: FixtureFile[]): string {
  for (const file of files) {
    const target = path.join(dir, file.path);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, file.content);
  }
  return dir;
}

/** A gzip-compressed tar of the files, entry names used verbatim (so tests can write hostile ones). */
export async function writeTgz(file: string, files: FixtureFile[]): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of tarStream(files).pipe(zlib.createGzip())) chunks.push(chunk as Buffer);
  fs.writeFileSync(file, Buffer.concat(chunks));
  return file;
}

/**
 * bzip2 fixtures made by test/fixtures/bzip2/make.sh (Node has no bzip2 encoder, and npm test runs
 * without the bzip2 program): a generated 300-task session as .tar.bz2, the same tar as .tgz, the
 * .tar.bz2 cut in half, and two small tables.
 */
export const BZIP2_FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'bzip2');

function tarStream(files: FixtureFile[]): tar.Pack {
  const pack = tar.pack();
  for (const f of files) pack.entry({ name: f.path }, f.content);
  pack.finalize();
  return pack;
}
