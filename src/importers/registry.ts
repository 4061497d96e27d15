/**
 * The importers asyncscope knows, in the order detection tries them.
 */
import { InputError } from '../errors.js';
import { chromeImporter } from './chrome/index.js';
import type { Importer } from './importer.js';
import { radicalPilotImporter } from './radical-pilot/index.js';
import { csvImporter } from './tabular/csv.js';
import { jsonlImporter } from './tabular/jsonl.js';
import { wfcommonsImporter } from './wfcommons/index.js';

/** JSON documents (WfCommons, Chrome) come before JSON Lines and CSV, whose detection is looser. */
export const IMPORTERS: readonly Importer[] = [radicalPilotImporter, wfcommonsImporter, chromeImporter, jsonlImporter, csvImporter];

/** Values of `ingest --format`. */
export const FORMAT_CHOICES: readonly string[] = ['auto', ...IMPORTERS.map((importer) => importer.format)];

export function importerNamed(format: string): Importer {
  const importer = IMPORTERS.find((candidate) => candidate.format === format);
  if (!importer) throw new InputError(`unknown format "${format}" (known: ${FORMAT_CHOICES.join(', ')})`);
  return importer;
}
