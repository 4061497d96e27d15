/**
 * The importers asyncscope knows, in the order detection tries them.
 */
import { InputError } from '../errors.js';
import { chromeImporter } from './chrome/index.js';
import { daskImporter } from './dask/index.js';
import type { Importer } from './importer.js';
import { nextflowImporter } from './nextflow/index.js';
import { radicalPilotImporter } from './radical-pilot/index.js';
import { snakemakeImporter } from './snakemake/index.js';
import { csvImporter } from './tabular/csv.js';
import { jsonlImporter } from './tabular/jsonl.js';
import { wfcommonsImporter } from './wfcommons/index.js';
import { parslImporter } from './parsl/index.js';
import { pegasusImporter } from './pegasus/index.js';
import { sacctImporter } from './sacct/index.js';

/**
 * Folders first (RADICAL-Pilot sessions, Snakemake working directories); databases (Parsl, Pegasus:
 * by their tables) and sacct output (a header naming JobID, or JSON with sacct's plugin version),
 * told apart by what only they have; JSON documents (WfCommons, Chrome) and the systems' own files
 * (a Dask task stream, a Nextflow trace: a tab-separated table with Nextflow's field names) before
 * JSON Lines and CSV, whose detection is looser.
 */
export const IMPORTERS: readonly Importer[] = [
  radicalPilotImporter,
  snakemakeImporter,
  parslImporter,
  pegasusImporter,
  sacctImporter,
  wfcommonsImporter,
  chromeImporter,
  daskImporter,
  nextflowImporter,
  jsonlImporter,
  csvImporter,
];

/** Values of `ingest --format`. */
export const FORMAT_CHOICES: readonly string[] = ['auto', ...IMPORTERS.map((importer) => importer.format)];

export function importerNamed(format: string): Importer {
  const importer = IMPORTERS.find((candidate) => candidate.format === format);
  if (!importer) throw new InputError(`unknown format "${format}" (known: ${FORMAT_CHOICES.join(', ')})`);
  return importer;
}
