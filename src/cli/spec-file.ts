/**
 * Reading and writing workflow spec files (YAML or JSON) for the commands; errors name the file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '../errors.js';
import { specToJson, specToYaml } from '../model/format-spec.js';
import { parseSpec } from '../model/parse-spec.js';
import type { WorkflowSpec } from '../model/spec.js';

/** Parses a spec file; an error reads `dg2.yaml: stages[3].after: unknown stage "T9"`. */
export function readSpecFile(file: string): WorkflowSpec {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(`${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder, not a spec file' : (error as Error).message}`);
  }
  try {
    return parseSpec(text);
  } catch (error) {
    if (error instanceof InputError) throw new InputError(`${file}: ${error.message}`);
    throw error;
  }
}

/** Writes a spec as JSON when the file name ends in .json, else as YAML with a comment on top. */
export function writeSpecFile(file: string, spec: WorkflowSpec, comment: string): void {
  const text = path.extname(file).toLowerCase() === '.json' ? specToJson(spec) : specToYaml(spec, comment);
  try {
    fs.writeFileSync(file, text);
  } catch (error) {
    throw new InputError(`${file}: cannot write the spec: ${(error as Error).message}`);
  }
}
