/**
 * Reading a file the user named (a spec, a rules file, a baseline): the whole text, or an
 * InputError (exit 2) that names the file and says what is wrong in one line:
 *
 *     dg2.yaml: no such spec file
 *     baselines: is a folder, not a baseline file
 *     huge.yaml: 9000000 bytes is too large for a rules file (at most 4194304)
 *     secret.json: cannot read the baseline file: permission denied
 */
import fs from 'node:fs';
import { InputError } from '../errors.js';
import { fileErrorCode, fileProblem } from './problems.js';

export interface ReadOptions {
  /** Said after "no such ..." when the file is missing: how to make one. */
  missing?: string;
  /** Larger files are refused before they are read. */
  maxBytes?: number;
}

/** The file's text (UTF-8). `what` names the kind of file in messages: `spec file`, `baseline file`. */
export function readUserFile(file: string, what: string, options: ReadOptions = {}): string {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    const code = fileErrorCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new InputError(`${file}: no such ${what}${options.missing ? ` (${options.missing})` : ''}`);
    throw new InputError(`${file}: cannot read the ${what}: ${fileProblem(error)}`);
  }
  if (stat.isDirectory()) throw new InputError(`${file}: is a folder, not a ${what}`);
  if (options.maxBytes !== undefined && stat.size > options.maxBytes) {
    throw new InputError(`${file}: ${stat.size} bytes is too large for a ${what} (at most ${options.maxBytes})`);
  }
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(`${file}: cannot read the ${what}: ${fileProblem(error)}`);
  }
}
