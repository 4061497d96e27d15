/**
 * Reading and writing workflow spec files (YAML or JSON); errors name the file.
 */
import path from 'node:path';
import { InputError } from '../errors.js';
import { readUserFile } from '../files/read.js';
import { writeUserFile } from '../files/write.js';
import { specToJson, specToYaml } from './format-spec.js';
import { parseSpec } from './parse-spec.js';
import type { WorkflowSpec } from './spec.js';

/** Parses a spec file; an error reads `dg2.yaml: stages[3].after: unknown stage "T9"`. */
export function readSpecFile(file: string): WorkflowSpec {
  const text = readUserFile(file, 'spec file');
  try {
    return parseSpec(text);
  } catch (error) {
    if (error instanceof InputError) throw new InputError(`${file}: ${error.message}`);
    throw error;
  }
}

/** Writes a spec as JSON when the file name ends in .json, else as YAML with a comment on top. */
export function writeSpecFile(file: string, spec: WorkflowSpec, comment: string): void {
  writeUserFile(file, 'spec', path.extname(file).toLowerCase() === '.json' ? specToJson(spec) : specToYaml(spec, comment));
}
