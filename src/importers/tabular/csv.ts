/**
 * CSV (and TSV) task tables: one task per row, the first row names the columns (see fields.ts for
 * the names understood). Parsed as a stream with papaparse, chunk by chunk: at a million rows it is
 * several times faster than a record-at-a-time parser, and it never holds the whole file.
 */
import Papa from 'papaparse';
import { TraceError } from '../../errors.js';
import type { ParsedRun } from '../../store/records.js';
import { firstLine } from '../detect.js';
import { finalizeRun, mergeCapacity } from '../normalize.js';
import { compressionOf, decompressedHead, openDecompressed, readHead } from '../streams.js';
import type { ImportOptions, Importer, Sample, TraceInput } from '../types.js';
import { capacityWarning, runIdFromFile } from './common.js';
import { mapColumns, missingColumns } from './fields.js';
import { TaskRows } from './task-rows.js';

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

/** A problem found in row `row` (1-based, counting the header and blank lines); turned into a line number later. */
class RowProblem {
  constructor(
    readonly row: number,
    readonly error: TraceError | null,
    readonly reason: string,
  ) {}
}

async function readCsv(input: TraceInput, options: ImportOptions): Promise<ParsedRun> {
  const head = await decompressedHead(input.path, compressionOf(readHead(input.path, 4)), 65536);
  const delimiter = sniffDelimiter(firstLine(head.toString('utf8')));
  const source = openDecompressed(input.path, options.onBytes);
  source.setEncoding('utf8');
  // Until a quote appears, every row is one line, so a row's number is its line number.
  let quoted = false;
  source.on('data', (chunk: string) => {
    if (!quoted && chunk.includes('"')) quoted = true;
  });

  let rows: TaskRows | null = null;
  let width = 0;
  let rowNumber = 0;
  let problem: RowProblem | null = null;

  await new Promise<void>((resolve, reject) => {
    Papa.parse<string[]>(source as unknown as File, {
      delimiter,
      skipEmptyLines: false,
      chunk(results, parser) {
        try {
          const data = results.data;
          // A quoting error makes its row meaningless: report it when that row is reached.
          const syntax = results.errors.find((e) => e.type === 'Quotes' || e.type === 'Delimiter');
          const syntaxRow = syntax ? Math.min(syntax.row ?? 0, data.length) : data.length;
          for (let k = 0; k < syntaxRow; k++) {
            const row = data[k];
            rowNumber++;
            if (row.length === 1 && row[0].trim() === '') continue; // blank line
            if (rows === null) {
              const map = mapColumns(row.map((h) => h.trim().replace(/^\uFEFF/, '')));
              const missing = missingColumns(map);
              if (missing) throw new RowProblem(rowNumber, null, `not a task table: the header has ${missing}`);
              rows = new TaskRows(input.display, map.index, (field) => map.header[field] ?? field);
              width = row.length;
              continue;
            }
            if (row.length !== width) throw new RowProblem(rowNumber, null, `expected ${width} fields, found ${row.length}`);
            try {
              rows.add(rowNumber, row);
            } catch (error) {
              if (error instanceof TraceError) throw new RowProblem(rowNumber, error, error.reason);
              throw error;
            }
          }
          if (syntax) throw new RowProblem(rowNumber + 1, null, syntax.message);
        } catch (error) {
          if (error instanceof RowProblem) problem = error;
          else reject(error);
          parser.abort();
        }
      },
      complete: () => resolve(),
      error: (error: Error) => reject(error),
    });
  }).finally(() => source.destroy());

  if (problem !== null) {
    const { row, error, reason } = problem as RowProblem;
    const line = quoted ? await lineOfRow(input, delimiter, row) : row;
    throw new TraceError(input.display, reason, line, error?.field);
  }
  if (rows === null) throw new TraceError(input.display, 'empty file: no header row');

  const warnings: string[] = [];
  const capacity = mergeCapacity(undefined, options.capacity);
  capacityWarning(capacity, warnings);
  return finalizeRun({
    id: runIdFromFile(input.path),
    format: 'csv',
    source: input.path,
    capacity,
    tasks: (rows as TaskRows).tasks,
    warnings,
  });
}

/**
 * The line on which row `row` starts, for files whose quoted fields may span lines. Only called to
 * report an error, so it may re-read the file.
 */
async function lineOfRow(input: TraceInput, delimiter: string, row: number): Promise<number> {
  const source = openDecompressed(input.path);
  source.setEncoding('utf8');
  let line = 1;
  let seen = 0;
  return new Promise<number>((resolve) => {
    Papa.parse<string[]>(source as unknown as File, {
      delimiter,
      skipEmptyLines: false,
      step(results, parser) {
        seen++;
        if (seen === row) {
          parser.abort();
          source.destroy();
          resolve(line);
          return;
        }
        for (const field of results.data) for (let i = field.indexOf('\n'); i !== -1; i = field.indexOf('\n', i + 1)) line++;
        line++;
      },
      complete: () => resolve(line),
      error: () => resolve(line),
    });
  });
}
