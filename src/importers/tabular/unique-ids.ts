/**
 * Telling whether a million task ids are all different without holding a million strings.
 *
 * A Map from each id to its line cost a million-row CSV ingest about one second of five (profiled:
 * hashing the fresh strings, growing the table, and the garbage collector moving a million live
 * strings). Instead, the first pass over a table (`IdFingerprints`) keeps a 53-bit fingerprint of
 * each id in a typed array and sorts them once at the end (about 0.12 s): when no two fingerprints
 * are equal, no two ids are. Only when some are (a real duplicate, or by chance about once in
 * 20,000 files of a million rows) does a second pass over the file (`ExactIds`) compare the ids
 * that share a fingerprint, exactly, and name the line of the repeat. The hash decides only how
 * often the second pass runs, never the answer.
 */
import { createRequire } from 'node:module';
import type MurmurHash3 from 'imurmurhash';

/** One pass's check of the ids of a table, row by row. */
export interface IdCheck {
  /** The line of an earlier row with the same id, when this pass can tell; else undefined. */
  repeatOf(id: string, line: number): number | undefined;
}

export type Fingerprint = (id: string) => number;

// imurmurhash is loaded when the first id is fingerprinted (not by every command that knows the importers).
const require = createRequire(import.meta.url);
let hasher: MurmurHash3 | null = null;

/**
 * 53 bits from two MurmurHash3 values of the id (exact in a double, never NaN). imurmurhash hashes
 * UTF-16 code units, so it needs no encoding of the string first.
 */
export function fingerprint(id: string): number {
  hasher ??= new (require('imurmurhash') as typeof MurmurHash3)();
  const high = hasher.reset(0x9747b28c).hash(id).result();
  const low = hasher.reset(0x5bd1e995).hash(id).result();
  return high * 2 ** 21 + (low >>> 11);
}

/** First pass: records fingerprints, cannot name a repeat. */
export class IdFingerprints implements IdCheck {
  private values = new Float64Array(4096);
  private count = 0;

  constructor(private readonly fingerprintOf: Fingerprint = fingerprint) {}

  repeatOf(id: string): undefined {
    if (this.count === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.count++] = this.fingerprintOf(id);
    return undefined;
  }

  /** Fingerprints that more than one row had (usually none), once the pass is over: the ids for `ExactIds` to compare. */
  shared(): Set<number> {
    const sorted = this.values.subarray(0, this.count).sort(); // numeric, in place, in native code
    const shared = new Set<number>();
    for (let i = 1; i < sorted.length; i++) if (sorted[i] === sorted[i - 1]) shared.add(sorted[i]);
    return shared;
  }
}

/** Second pass: remembers the lines of the few ids whose fingerprint is shared. */
export class ExactIds implements IdCheck {
  private readonly firstLine = new Map<string, number>();

  constructor(
    private readonly suspects: ReadonlySet<number>,
    private readonly fingerprintOf: Fingerprint = fingerprint,
  ) {}

  repeatOf(id: string, line: number): number | undefined {
    if (!this.suspects.has(this.fingerprintOf(id))) return undefined;
    const first = this.firstLine.get(id);
    if (first === undefined) this.firstLine.set(id, line);
    return first;
  }
}
