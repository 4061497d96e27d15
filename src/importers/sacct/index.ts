/**
 * Slurm accounting importer (`--format sacct`): the output of `sacct -P` / `sacct -p` (text with a
 * header line) or of `sacct --json`, as one run. docs/formats.md has the mapping.
 *
 * The text form is streamed: each job goes to the store as soon as its steps have been read
 * (sacct prints a job, then its steps), so a million jobs never sit in memory. The JSON form is
 * read whole (json.ts says why that is fine).
 */
import crypto from 'node:crypto';
import { TraceError } from '../../errors.js';
import type { Capacity } from '../../run/capacity.js';
import { jsonSyntaxError, lineAt } from '../common/json-errors.js';
import type { Importer, ImportOptions, MultiRunImporter, Sample, StoreRun, TraceInput } from '../importer.js';
import { EarliestFirst } from '../common/recorder.js';
import { readRunsInWorker } from '../common/worker-runs.js';
import { blankBytes, eachByteLine } from '../common/byte-lines.js';
import { collect, openDecompressed } from '../common/streams.js';
import { capacityWarning, mergeCapacity, runIdFromFile } from '../common/normalize.js';
import { SacctAssembler } from './assemble.js';
import { NodeUse } from './capacity.js';
import { readDocument, recordsOfJob } from './json.js';
import { SacctLineReader } from './line-bytes.js';
import { isSacctHeader, parseHeader, parseLine, type SacctHeader } from './text.js';

export const sacctImporter: Importer & MultiRunImporter = {
  format: 'sacct',
  describe: 'Slurm accounting: sacct -P / -p text with a header line, or sacct --json',
  detect: detectSacct,
  streamRuns: (input, options, store) => readRunsInWorker('sacct', readSacctRuns, input, options, store),
};

export function detectSacct(sample: Sample): true | string {
  if (sample.kind !== 'file' || sample.tar || sample.binary) return '';
  const text = sample.text.trimStart();
  if (text.startsWith('{')) {
    // sacct --json begins with its meta block, naming the plugin that wrote it; Slurm 22.05 and
    // before escape its slash ("openapi\/dbv0.0.38").
    const head = text.slice(0, 4096);
    if (/"jobs"\s*:/.test(text) && /"(openapi\\?\/dbv0\.0\.\d+|data_parser\\?\/v0\.0\.\d+|v0\.0\.\d+)"/.test(head) && /"plugin"\s*:/.test(head)) return true;
    return '';
  }
  const first = text.slice(0, text.indexOf('\n') >>> 0).replace(/\r$/, '');
  return isSacctHeader(first) ? true : '';
}

/** Reads the output as one run (through StoreRun, as the databases are, so that it can be read in a reader thread). */
export async function readSacctRuns(input: TraceInput, options: ImportOptions, store: StoreRun): Promise<void> {
  const sacct = options.sacct ?? {};
  const given = mergeCapacity(undefined, options.capacity);
  const header = {
    id: runIdFromFile(input.path).replace(/\.sacct$/i, '') || 'sacct',
    format: 'sacct',
    source: input.path,
    workflow: null,
    capacity: given,
    scheduled: true,
  };
  const kind = await formOf(input);
  await store(header, async (recorder) => {
    const infer = given.cores === null || given.gpus === null || given.nodes === null;
    const nodeUse = infer ? new NodeUse() : null;
    const hash = crypto.createHash('sha256');
    // sacct lists jobs by id, roughly in start order: the first few thousand give time zero.
    const ordered = new EarliestFirst(recorder);
    const assembler = new SacctAssembler(ordered, { display: input.display, stepsAsTasks: sacct.steps === true, dependencies: true, nodeUse });
    const warnings: string[] = [];
    if (kind === 'json') warnings.push(...(await readJson(input, options, assembler, hash)));
    else await readText(input, options, assembler, hash, sacct.steps === true);
    warnings.push(...assembler.finish());
    ordered.finish();
    if (assembler.counts.allocations === 0 && assembler.counts.steps === 0) throw new TraceError(input.display, 'sacct output without any job');

    // Capacity: what the user gave, the rest inferred from where the jobs ran.
    let capacity: Capacity = given;
    const inferred = nodeUse?.infer();
    if (inferred) {
      capacity = mergeCapacity(inferred.capacity, options.capacity);
      warnings.push(inferred.warning);
    }
    capacityWarning(capacity, warnings);
    // The same output read with each step a task is another run than the one by jobs.
    const digest = hash.digest('hex');
    const contentHash = sacct.steps ? crypto.createHash('sha256').update(`${digest}\0sacct-steps`).digest('hex') : digest;
    return { contentHash, warnings, capacity };
  });
}

/** Text or JSON, by the first character that is not white space. */
async function formOf(input: TraceInput): Promise<'text' | 'json'> {
  const stream = openDecompressed(input.path);
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const text = chunk.toString('latin1').trimStart();
      if (text !== '') return text.startsWith('{') ? 'json' : 'text';
    }
  } finally {
    stream.destroy();
  }
  return 'text';
}

/**
 * Lines are read from their bytes (line-bytes.ts) and only the unusual ones as strings through
 * parseLine; `ASYNCSCOPE_SACCT_LINES=strings` reads every line through parseLine (the tests compare both).
 */
async function readText(input: TraceInput, options: ImportOptions, assembler: SacctAssembler, hash: crypto.Hash, stepsAsTasks: boolean): Promise<void> {
  const stream = openDecompressed(input.path, options.onBytes, (chunk) => hash.update(chunk));
  const fromBytes = process.env.ASYNCSCOPE_SACCT_LINES !== 'strings';
  let header: SacctHeader | null = null;
  let reader: SacctLineReader | null = null;
  await eachByteLine(stream as AsyncIterable<Buffer>, ({ bytes, from, to, text, number }) => {
    if (text === null ? blankBytes(bytes, from, to) : text.trim() === '') return;
    if (header === null) {
      header = parseHeader(text ?? bytes.toString('latin1', from, to), input.display, number);
      if (fromBytes) reader = new SacctLineReader(header);
      return;
    }
    const record = text === null && reader !== null ? (reader as SacctLineReader).read(bytes, from, to, number, !stepsAsTasks) : null;
    assembler.add(record ?? parseLine(header, text ?? bytes.toString('latin1', from, to), input.display, number, !stepsAsTasks));
  });
  if (header === null) throw new TraceError(input.display, 'the file is empty');
}

async function readJson(input: TraceInput, options: ImportOptions, assembler: SacctAssembler, hash: crypto.Hash): Promise<string[]> {
  const bytes = await collect(openDecompressed(input.path, options.onBytes, (chunk) => hash.update(chunk)) as AsyncIterable<Buffer>);
  let text: string;
  try {
    text = bytes.toString('utf8');
  } catch {
    throw new TraceError(input.display, `too large to read as one JSON document (${bytes.length} bytes); use sacct -P for large outputs`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    const { reason, position } = jsonSyntaxError(error as Error);
    // A cut-off dump (sacct killed, a copy interrupted) ends inside the document: say where it ends.
    if (position === undefined && reason.startsWith('Unexpected end')) throw new TraceError(input.display, 'not valid JSON: the document ends before it is complete (truncated?)', lineAt(text, text.length));
    throw new TraceError(input.display, `not valid JSON (${reason})`, position === undefined ? undefined : lineAt(text, position));
  }
  const document = readDocument(parsed, input.display);
  document.jobs.forEach((job, index) => {
    for (const record of recordsOfJob(job, index, input.display)) assembler.add(record);
  });
  const warnings: string[] = [];
  if (document.errors.length > 0) warnings.push(`sacct reported ${document.errors.length} error(s) in its output: ${document.errors[0]}`);
  return warnings;
}
