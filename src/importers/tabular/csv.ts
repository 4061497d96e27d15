/**
 * CSV (and TSV) task tables, parsed as a stream with csv-parse: one task per row, the first row
 * names the columns (see fields.ts for the names understood).
 */
import { CsvError, parse } from 'csv-parse';
import { TraceError } from '../../errors.js';
import type { ParsedRun } from '../../store/records.js';
import { firstLine } from '../detect.js';
import { finalizeRun, mergeCapacity } from '../normalize.js';
import { compressionOf, decompressedHead, openDecompressed, readHead } from '../streams.js';
import type { ImportOptions, Importer, Sample, TraceInput } from '../types.js';
import { mapColumns, missingColumns, type TaskField } from './fields.js';
import { headerOf, TaskRows } from './task-rows.js';
import { capacityWarning, runIdFromFile } from './common.js';

const DELIMITERS = [',', '\t', ';'];

/** The delimiter of a header line: the candidate that splits it into the most columns. */
export function sniffDelimiter(header: string): string {
  let best = ',';
  let most = 0;
  for (const d of DELIMITERS) {
    const columns = header.split(d).length;
    if (columns > most) {
      most = columns;
      best = d;
    }
  }
  return best;
}

function splitHeader(line: string): string[] {
  return line.split(sniffDelimiter(line)).map((h) => h.trim().replace(/^"(.*)"$/, '$1'));
}

export const csvImporter: Importer = {
  format: 'csv',
  describe: 'a CSV or TSV table, one task per row, with a header row',
  detect(sample: Sample) {
    if (sample.kind !== 'file' || sample.binary) return '';
    const line = firstLine(sample.text);
    if (/^\s*[[{]/.test(line)) return '';
    const headers = splitHeader(line);
    if (headers.length < 2) return '';
    const missing = missingColumns(mapColumns(headers));
    return missing === null ? true : `as CSV, its header ${JSON.stringify(line.slice(0, 100))} has ${missing}`;
  },
  read: readCsv,
};

async function readCsv(input: TraceInput, options: ImportOptions): Promise<ParsedRun> {
  const head = await decompressedHead(input.path, compressionOf(readHead(input.path, 4)), 65536);
  const delimiter = sniffDelimiter(firstLine(head.toString('utf8')));
  const rows = new TaskRows(input.display);
  const source = openDecompressed(input.path, options.onBytes);

  let map: ReturnType<typeof mapColumns> | null = null;
  let header: (field: TaskField) => string = (field) => field;
  let record: string[] = [];
  const cell = (field: TaskField): string | undefined => {
    const i = map!.index[field];
    return i === undefined ? undefined : record[i];
  };
  let failure: Error | null = null;

  // Rows are consumed inside csv-parse's on_record callback, where `info.lines` is the line of the
  // record at hand (a consumer reading the stream later sees the line the parser has reached).
  // Returning nothing drops the record from the stream, so no row is ever buffered.
  const parser = parse({
    bom: true,
    delimiter,
    skip_empty_lines: true,
    on_record: (next: string[], info: { lines: number }) => {
      if (failure) return undefined;
      try {
        if (map === null) {
          map = mapColumns(next.map((h) => h.trim()));
          const missing = missingColumns(map);
          if (missing) throw new TraceError(input.display, `not a task table: the header has ${missing}`, info.lines);
          header = headerOf(map);
        } else {
          record = next;
          rows.add(info.lines, cell, header);
        }
      } catch (error) {
        failure = error as Error;
        parser.destroy(failure); // stop reading: the file is rejected anyway
      }
      return undefined;
    },
  });
  source.on('error', (error) => parser.destroy(error));
  source.pipe(parser);

  try {
    for await (const _ of parser) {
      // on_record handles every row
    }
  } catch (error) {
    if (!failure) {
      if (error instanceof CsvError) {
        throw new TraceError(input.display, csvReason(error), (error as unknown as { lines?: number }).lines ?? parser.info.lines);
      }
      throw error instanceof TraceError ? error : new TraceError(input.display, (error as Error).message);
    }
  } finally {
    source.destroy();
  }
  if (failure) throw failure;
  if (map === null) throw new TraceError(input.display, 'empty file: no header row');

  const warnings: string[] = [];
  const capacity = mergeCapacity(undefined, options.capacity);
  capacityWarning(capacity, warnings);
  return finalizeRun({
    id: runIdFromFile(input.path),
    format: 'csv',
    source: input.path,
    capacity,
    tasks: rows.tasks,
    warnings,
  });
}

function csvReason(error: CsvError): string {
  return error.message.replace(/^Invalid (Record Length|Opening Quote|Closing Quote): /, '$1: ').replace(/ at line \d+/, '');
}
