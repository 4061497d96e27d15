/**
 * Recognising a trace's format from its content (not its name).
 */
import fs from 'node:fs';
import { InputError } from '../errors.js';
import { ForeignDatabase, isDamagedDatabaseError, isSqliteHeader } from '../store/foreign-sqlite.js';
import { isBusyError } from '../store/sqlite-busy.js';
import { compressionOf, decodingFailure, decompressedHead, firstLine, readHead } from './common/streams.js';
import type { Importer, Sample, TraceInput } from './importer.js';

/** How much of a file detection looks at: enough for a CSV header or a JSON object's first keys. */
const SAMPLE_BYTES = 64 * 1024;

export async function sampleInput(input: TraceInput): Promise<Sample> {
  if (input.kind === 'dir') return { kind: 'dir', display: input.display, entries: fs.readdirSync(input.path).sort() };
  const compression = compressionOf(readHead(input.path, 4));
  let corrupt: string | undefined;
  const head = await decompressedHead(input.path, compression, SAMPLE_BYTES, (error) => (corrupt = error.message));
  const tar = head.length >= 262 && head.toString('latin1', 257, 262) === 'ustar';
  const binary = tar || head.includes(0);
  // Nothing, or bytes no format has: the data may be damaged (bunzip2 writes a block out before it
  // finds the block's checksum wrong). Decoding the rest tells; only files about to be refused pay for it.
  if (compression && corrupt === undefined && (head.length === 0 || (binary && !tar))) corrupt = (await decodingFailure(input.path))?.message;
  const { tables: sqliteTables, problem: sqliteProblem } = isSqliteHeader(head) ? sqliteTablesOf(input, compression) : { tables: null, problem: null };
  return { kind: 'file', display: input.display, compression, tar, binary, text: binary ? '' : asText(head), corrupt, sqliteTables, sqliteProblem };
}

/**
 * The tables of an SQLite database (opened read-only), for the importers of Parsl and Pegasus
 * databases; or why there are none: SQLite reads files in place, so a compressed one must be
 * decompressed first, and a damaged one (ForeignDatabase.open says so) is refused here.
 */
function sqliteTablesOf(input: TraceInput, compression: string | null): { tables: string[] | null; problem: string | null } {
  if (compression !== null) return { tables: null, problem: `a ${compression}-compressed SQLite database: decompress it first (databases are read in place)` };
  try {
    const db = ForeignDatabase.open(input.path, input.display);
    try {
      return { tables: db.tables(), problem: null };
    } finally {
      db.close();
    }
  } catch (error) {
    // A damaged database is no format's: said as such, not as "not a recognised trace".
    if (isDamagedDatabaseError(error)) throw error;
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause : (error as Error);
    // Parsl and Pegasus write their database while the workflow runs: a lock is no damage.
    if (isBusyError(cause)) {
      return { tables: null, problem: `an SQLite database another program is writing (${cause.message}): import it when that program is done, or a copy of it` };
    }
    return { tables: null, problem: `an SQLite database whose tables SQLite cannot read (${cause.message}): truncated or damaged?` };
  }
}

function asText(head: Buffer): string {
  const text = head.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** The importer whose format the sample is, or an error saying why none is. */
export function detectFormat(sample: Sample, importers: readonly Importer[]): Importer {
  const reasons: string[] = [];
  for (const importer of importers) {
    const verdict = importer.detect(sample);
    if (verdict === true) return importer;
    if (verdict) reasons.push(verdict);
  }
  throw new InputError(`${sample.display}: not a recognised trace: ${reasons.length > 0 ? reasons.join('; ') : describe(sample)}`);
}

/**
 * `--format` named an importer: refuse an input that is plainly something else, saying what it looks
 * like, rather than let the importer fail deep inside (a CSV read as a tar archive is "truncated or
 * corrupt"). When the named importer's detection says no and no other importer claims the input, the
 * importer still reads it (detection may be stricter than reading), except for RADICAL-Pilot,
 * which reads only folders and tar archives.
 */
export function checkForcedFormat(sample: Sample, forced: Importer, importers: readonly Importer[]): void {
  if (forced.detect(sample) === true) return;
  const other = importers.find((importer) => importer !== forced && importer.detect(sample) === true);
  // Compressed data that is no known format may be an archive cut short: the importer says so.
  if (other === undefined && (forced.format !== 'radical-pilot' || (sample.kind === 'file' && sample.compression !== null))) return;
  const looks = other ? `it looks like ${other.describe} (--format ${other.format}, or leave --format out)` : describe(sample);
  throw new InputError(`${sample.display}: --format ${forced.format} reads ${forced.describe}, and this is not one: ${looks}`);
}

function describe(sample: Sample): string {
  if (sample.kind === 'dir') return 'a folder without RADICAL-Pilot profiles (*.prof)';
  if (sample.corrupt) return sample.corrupt;
  if (sample.tar) return 'a tar archive';
  if (sample.sqliteProblem) return sample.sqliteProblem;
  if (sample.sqliteTables) return `an SQLite database that is no trace this reader knows (tables: ${sample.sqliteTables.slice(0, 8).join(', ') || 'none'})`;
  if (sample.binary) return sample.compression ? `${sample.compression} data that is not text` : 'binary data';
  if (sample.text.trim() === '') return sample.compression ? `${sample.compression} data that decompresses to nothing (truncated, corrupt or empty)` : 'the file is empty';
  return `its first line is ${JSON.stringify(firstLine(sample.text).slice(0, 80))}`;
}
