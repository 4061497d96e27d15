/**
 * Reading a tabular trace (CSV/TSV or JSON Lines) into a task sink, row by row, hashing its bytes
 * in the same pass. Used in a worker thread for large files (parse-worker.ts) and in the calling
 * thread for small ones (stream-table.ts); the code is the same either way.
 */
import crypto from 'node:crypto';
import type Papa from 'papaparse';
import { TraceError } from '../../errors.js';
import type { TaskSink } from '../../run/task-table.js';
import { compressionOf, decompressedHead, firstLine, lines, openDecompressed, readHead } from '../common/streams.js';
import { firstStartIfUnsorted } from './first-start.js';
import { lineText } from './line-text.js';
import { fieldOfHeader, mapColumns, missingColumns, TABLE_FIELDS, type TaskField } from './fields.js';
import { TimeCheck, type TimeFinding } from '../common/time-check.js';
import { TaskRows, type Cell } from './task-rows.js';
import { ExactIds, IdFingerprints, type IdCheck } from './unique-ids.js';

export type TableFormat = 'csv' | 'jsonl';

export interface TableJob {
  format: TableFormat;
  /** Absolute path of the file. */
  path: string;
  /** The path as the user wrote it, for messages. */
  display: string;
}

export interface TableSummary {
  rows: number;
  /** SHA-256 of the file's bytes (what `contentHash` computes for a file). */
  contentHash: string;
  /** Times no real run has (common/time-check.ts): warnings, or refusals with --strict. */
  timeFindings: TimeFinding[];
}

export interface ProduceHooks {
  onBytes?: (bytes: number) => void;
  /** A promise while the consumer is behind (the producer pauses until it settles), else null. */
  backpressure?: () => Promise<void> | null;
}

/**
 * The earliest start of an uncompressed CSV whose rows are in no start order (first-start.ts), else
 * null: the writer's time zero before any task, so that it need not shift every row at the end.
 * The writer's thread calls it while the parser thread starts and parses the first batches: the
 * writer has nothing to do until then. Never throws: any problem with the file is the parser's to report.
 */
export function firstStartOfUnsortedCsv(job: TableJob): number | null {
  if (job.format !== 'csv') return null;
  try {
    if (compressionOf(readHead(job.path, 4)) !== null) return null;
    const delimiter = sniffDelimiter(firstLine(readHead(job.path, 65536).toString('utf8')));
    return firstStartIfUnsorted(job.path, delimiter);
  } catch {
    return null;
  }
}

/**
 * Reads the table into `sink`. Repeated task ids are found after the whole table was read (see
 * unique-ids.ts), so a table with a repeated id and another bad row further on is reported at the
 * other row; either way nothing is stored.
 */
export async function produceTable(job: TableJob, sink: TaskSink & { flush(): void }, hooks: ProduceHooks = {}): Promise<TableSummary> {
  const hash = crypto.createHash('sha256');
  const fingerprints = new IdFingerprints();
  const times = new TimeCheck();
  const rows = await readRows(job, sink, fingerprints, hooks, hash, times);
  sink.flush();
  const suspects = fingerprints.shared();
  // Some ids may repeat: read again, comparing just those exactly (throws at the first repeat).
  if (suspects.size > 0) await readRows(job, DISCARD, new ExactIds(suspects));
  return { rows, contentHash: hash.digest('hex'), timeFindings: times.findings() };
}

const DISCARD: TaskSink = { pushValues() {} };

function readRows(job: TableJob, sink: TaskSink, ids: IdCheck, hooks: ProduceHooks = {}, hash?: crypto.Hash, times?: TimeCheck): Promise<number> {
  return job.format === 'csv' ? produceCsv(job, sink, ids, hooks, hash, times) : produceJsonl(job, sink, ids, hooks, hash, times);
}

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

/** A problem found in row `row` (1-based, counting the header and blank lines); turned into a line number later. */
class RowProblem {
  constructor(
    readonly row: number,
    readonly field: string | undefined,
    readonly reason: string,
  ) {}
}

/**
 * CSV through papaparse, chunk by chunk: at a million rows it is several times faster than a
 * record-at-a-time parser, because it scans with indexOf.
 */
async function produceCsv(job: TableJob, sink: TaskSink, ids: IdCheck, hooks: ProduceHooks, hash?: crypto.Hash, times?: TimeCheck): Promise<number> {
  const compression = compressionOf(readHead(job.path, 4));
  const head = await decompressedHead(job.path, compression, 65536);
  const delimiter = sniffDelimiter(firstLine(head.toString('utf8')));
  const papa = await loadPapaparse(); // before the file is opened: nothing may flow while it loads
  const bytes = openDecompressed(job.path, hooks.onBytes, hash && ((chunk) => hash.update(chunk)));
  const source = bytes.pipe(lineText());
  bytes.on('error', (error) => source.destroy(error));
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
    papa.parse<string[]>(source as unknown as File, {
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
              if (missing) throw new RowProblem(rowNumber, undefined, `not a task table: the header has ${missing}`);
              rows = new TaskRows(job.display, map.index, (field) => map.header[field] ?? field, sink, ids, times);
              width = row.length;
              continue;
            }
            if (row.length !== width) throw new RowProblem(rowNumber, undefined, `expected ${width} fields, found ${row.length}`);
            try {
              rows.add(rowNumber, row);
            } catch (error) {
              if (error instanceof TraceError) throw new RowProblem(rowNumber, error.field, error.reason);
              throw error;
            }
          }
          if (syntax) throw new RowProblem(rowNumber + 1, undefined, syntax.message);
          const wait = hooks.backpressure?.();
          if (wait) {
            // The stream too: papaparse's pause stops parsing only, and its queue would take in
            // the rest of the file meanwhile (the whole file, as strings, when the writer is the slower).
            source.pause();
            parser.pause();
            wait.then(() => {
              source.resume();
              parser.resume();
            }, reject);
          }
        } catch (error) {
          if (error instanceof RowProblem) problem = error;
          else reject(error);
          parser.abort();
        }
      },
      complete: () => resolve(),
      error: (error: Error) => reject(error),
    });
  }).finally(() => {
    bytes.destroy();
    source.destroy();
  });

  if (problem !== null) {
    const { row, field, reason } = problem as RowProblem;
    const line = quoted ? await lineOfRow(job.path, delimiter, row) : row;
    throw new TraceError(job.display, reason, line, field);
  }
  if (rows === null) throw new TraceError(job.display, 'empty file: no header row');
  return (rows as TaskRows).count;
}

/**
 * The line on which row `row` starts, for files whose quoted fields may span lines. Only called to
 * report an error, so it may re-read the file.
 */
async function lineOfRow(file: string, delimiter: string, row: number): Promise<number> {
  const papa = await loadPapaparse();
  const source = openDecompressed(file);
  source.setEncoding('utf8');
  let line = 1;
  let seen = 0;
  return new Promise<number>((resolve) => {
    papa.parse<string[]>(source as unknown as File, {
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

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);


/** JSON Lines: one object per line, keys named like CSV headers. */
async function produceJsonl(job: TableJob, sink: TaskSink, ids: IdCheck, hooks: ProduceHooks, hash?: crypto.Hash, times?: TimeCheck): Promise<number> {
  const source = openDecompressed(job.path, hooks.onBytes, hash && ((chunk) => hash.update(chunk)));
  // Objects may differ in their keys: each distinct key is mapped to a field once.
  const fieldOfKey = new Map<string, TaskField | null>();
  const headers: Partial<Record<TaskField, string>> = {};
  const rows = new TaskRows(job.display, Object.fromEntries(TABLE_FIELDS.map((f, i) => [f, i])), (field) => headers[field] ?? field, sink, ids, times);
  const row: Cell[] = new Array(TABLE_FIELDS.length);
  try {
    for await (const [text, line] of lines(source as AsyncIterable<Buffer>)) {
      if (text.trim() === '') continue;
      let object: unknown;
      try {
        object = JSON.parse(text);
      } catch (error) {
        throw new TraceError(job.display, `not valid JSON (${(error as Error).message})`, line);
      }
      if (!isObject(object)) throw new TraceError(job.display, 'expected a JSON object (one task per line)', line);
      row.fill(undefined);
      let nameKey: string | undefined;
      for (const key in object) {
        let field = fieldOfKey.get(key);
        if (field === undefined) {
          field = fieldOfHeader(key) ?? null;
          fieldOfKey.set(key, field);
        }
        if (field === null) continue;
        const at = TABLE_FIELDS.indexOf(field);
        if (row[at] === undefined) {
          row[at] = object[key];
          headers[field] ??= key;
        }
        if (field === 'name') nameKey ??= key;
      }
      if (row[0] === undefined && nameKey !== undefined) row[0] = object[nameKey]; // no id: the name identifies the task
      rows.add(line, row);
      if ((rows.count & 1023) === 0) {
        const wait = hooks.backpressure?.();
        if (wait) await wait;
      }
    }
  } catch (error) {
    if (error instanceof TraceError) throw error;
    throw new TraceError(job.display, (error as Error).message);
  } finally {
    source.destroy();
  }
  if (rows.count === 0) throw new TraceError(job.display, 'empty file: no task objects');
  return rows.count;
}

/** papaparse, loaded when a CSV is parsed (not by every command that knows the importers). */
async function loadPapaparse(): Promise<typeof Papa> {
  return (await import('papaparse')).default;
}

