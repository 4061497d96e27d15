/**
 * Writing a file the user named (a report, a baseline, a spec, an export, a JUnit report): whole
 * or not at all, its folder created when missing, and every failure an InputError (exit 2) of one
 * line naming the file, at once:
 *
 *     /proc/x/y.html: cannot write the report: cannot create the folder /proc/x: the file system does not allow it
 *     out/a.json: cannot write the baseline: out is a file, not a folder
 *
 * Whole or not at all: the content goes to a temporary file in the same folder, renamed over the
 * target at the end (a rename within a folder is atomic), so a failure half-way (a full disk, an
 * interrupted export) never leaves a truncated file under the final name, and a reader never sees
 * one. A target that is a device or a pipe (`/dev/stdout`, a FIFO) is written directly, and a
 * symbolic link keeps pointing where it did: the file it points to is replaced.
 *
 * Folders are created one at a time, not with `mkdir -p`: Node's recursive mkdir loops forever
 * where the system refuses with "no such file" a folder whose parent exists (/proc).
 */
import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '../errors.js';
import { fileErrorCode, fileProblem } from './problems.js';

/** Writes `content` to `file`. `what` names the file in messages: `report`, `baseline`, `JUnit report`. */
export function writeUserFile(file: string, what: string, content: string | Uint8Array): void {
  produceUserFile(file, what, (target) => fs.writeFileSync(target, content));
}

/** `produce` writes the content to the path it is given (a temporary file, renamed to `file` once it returns). */
export function produceUserFile(file: string, what: string, produce: (target: string) => void): void {
  const target = prepare(file, what);
  try {
    produce(target.writeTo);
  } catch (error) {
    throw abandoned(target, failure(file, what, error));
  }
  commit(target, file, what);
}

/** `produceUserFile` for content written asynchronously (a stream). */
export async function produceUserFileAsync(file: string, what: string, produce: (target: string) => Promise<void>): Promise<void> {
  const target = prepare(file, what);
  try {
    await produce(target.writeTo);
  } catch (error) {
    throw abandoned(target, failure(file, what, error));
  }
  commit(target, file, what);
}

/** Creates a folder the user named (and its missing parents); `what` names it in messages: `output folder`. */
export function makeUserFolder(dir: string, what: string): void {
  const folder = path.resolve(dir);
  try {
    makeFolder(folder);
  } catch (error) {
    // The folder itself: just why; a parent: which one, and why.
    const reason = error instanceof FolderProblem && error.folder === folder ? error.reason : reasonOf(error);
    throw new InputError(`${dir}: cannot create the ${what}: ${reason}`);
  }
}

/** Writes so far by this process: part of the temporary names, which must not collide. */
let written = 0;

interface Target {
  /** Where the content is written: a temporary file, or the target itself when it is a device or pipe. */
  writeTo: string;
  /** The file renamed over at the end; null when writing directly. */
  final: string | null;
  /** The replaced file's permissions, kept. */
  mode: number | null;
}

function prepare(file: string, what: string): Target {
  let final = path.resolve(file);
  let stat: fs.Stats | null = null;
  try {
    stat = fs.statSync(final);
  } catch (error) {
    const code = fileErrorCode(error);
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw failure(file, what, error);
  }
  if (stat?.isDirectory()) throw new InputError(`${file}: cannot write the ${what}: is a folder`);
  if (stat && !stat.isFile()) return { writeTo: final, final: null, mode: null };
  try {
    if (stat) {
      final = fs.realpathSync(final);
      fs.accessSync(final, fs.constants.W_OK); // a file the user made read-only is not replaced behind their back
    } else {
      makeFolder(path.dirname(final));
    }
  } catch (error) {
    throw failure(file, what, error);
  }
  const writeTo = path.join(path.dirname(final), `.${path.basename(final)}.${process.pid}.${++written}.tmp`);
  return { writeTo, final, mode: stat ? stat.mode & 0o7777 : null };
}

function commit(target: Target, file: string, what: string): void {
  if (target.final === null) return;
  try {
    if (target.mode !== null) fs.chmodSync(target.writeTo, target.mode);
    fs.renameSync(target.writeTo, target.final);
  } catch (error) {
    throw abandoned(target, failure(file, what, error));
  }
}

/** Removes what was written of a temporary file; returns the error to throw. */
function abandoned(target: Target, error: Error): Error {
  if (target.final !== null) fs.rmSync(target.writeTo, { force: true });
  return error;
}

/** A file error as an InputError naming the file; any other error (a bug) as it is. */
function failure(file: string, what: string, error: unknown): Error {
  if (error instanceof InputError) return error;
  if (error instanceof FolderProblem || fileErrorCode(error) !== undefined) return new InputError(`${file}: cannot write the ${what}: ${reasonOf(error)}`);
  return error as Error;
}

function reasonOf(error: unknown): string {
  return error instanceof FolderProblem ? error.message : fileProblem(error);
}

/** Why a folder could not be made, already in words. */
class FolderProblem extends Error {
  constructor(
    readonly folder: string,
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

/** Creates `dir` (absolute) and its missing parents, one at a time. */
function makeFolder(dir: string): void {
  const missing: string[] = [];
  for (let at = dir; ; at = path.dirname(at)) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(at);
    } catch (error) {
      const code = fileErrorCode(error);
      // ENOTDIR: a file further up; the walk up finds it and says so.
      if ((code === 'ENOENT' || code === 'ENOTDIR') && path.dirname(at) !== at) {
        missing.push(at);
        continue;
      }
      throw new FolderProblem(at, fileProblem(error), `cannot reach ${at}: ${fileProblem(error)}`);
    }
    if (!stat.isDirectory()) throw new FolderProblem(at, 'is a file, not a folder', `${at} is a file, not a folder`);
    break;
  }
  for (const folder of missing.reverse()) {
    try {
      fs.mkdirSync(folder);
    } catch (error) {
      if (fileErrorCode(error) === 'EEXIST' && fs.statSync(folder).isDirectory()) continue; // made meanwhile by another process
      throw new FolderProblem(folder, fileProblem(error), `cannot create the folder ${folder}: ${fileProblem(error)}`);
    }
  }
}
