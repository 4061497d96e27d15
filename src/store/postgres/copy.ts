/**
 * Writing rows with COPY ... FROM STDIN (text format), the fastest way into PostgreSQL: what
 * `psql \copy` does. Rows are encoded into chunks of about 256 kB of UTF-8; a `CopyIn` either streams
 * them to the server as they fill (one table at a time per connection: the run's tasks, while the
 * importer is still reading) or keeps them until `send` (events and dependencies, which may come
 * interleaved with the tasks).
 */
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { from as copyFrom } from 'pg-copy-streams';
import { InputError } from '../../errors.js';
import type { Connection } from './database.js';

const CHUNK = 256 * 1024;
const EMPTY = Buffer.alloc(0);
/** What COPY's text format must escape, and NUL, which PostgreSQL's text cannot hold: one scan finds both. */
const SPECIAL = /[\\\t\n\r\0]/;
const SPECIAL_ALL = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** A text value in COPY's text format (`\N` for NULL). */
export function copyText(value: string | null): string {
  if (value === null) return '\\N';
  if (!SPECIAL.test(value)) return value;
  if (value.includes('\0')) throw new InputError(`PostgreSQL cannot store the character NUL (U+0000), which the text ${JSON.stringify(value.replace(/\0/g, '\\0').slice(0, 80))} holds`);
  return value.replace(SPECIAL_ALL, (c) => ESCAPES[c]);
}

/** A number in COPY's text format: NaN (unknown) is NULL; JavaScript's shortest form reads back exactly. */
export function copyNumber(value: number | null): string {
  return value === null || value !== value ? '\\N' : String(value);
}

export class CopyIn {
  /**
   * The chunk being filled, as bytes: each row is encoded into it as it comes (a small string, in
   * the cache). Appending rows to one long string and encoding that at the end cost a third more
   * CPU, most of it walking the string's thousands of pieces.
   */
  private buffer = EMPTY;
  private used = 0;
  private readonly chunks: Buffer[] = [];
  private stream: ReturnType<typeof copyFrom> | null = null;
  private finished: Promise<void> | null = null;
  private failure: Error | null = null;
  rows = 0;

  constructor(
    private readonly db: Connection,
    private readonly table: string,
    private readonly columns: readonly string[],
    /** Send chunks as they fill (else: keep them until `send`). */
    private readonly live: boolean,
  ) {}

  private get statement(): string {
    return `COPY ${this.table} (${this.columns.join(', ')}) FROM STDIN`;
  }

  /** Appends one row, already encoded: values joined by tabs. */
  row(line: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 unit (a surrogate pair: 4 bytes for 2 units).
    const room = 3 * line.length + 1;
    if (this.used + room > this.buffer.length) {
      this.flushBuffer();
      if (room > this.buffer.length) this.buffer = Buffer.allocUnsafe(Math.max(2 * CHUNK, room));
    }
    this.used += this.buffer.write(line, this.used);
    this.buffer[this.used++] = 0x0a;
    this.rows++;
    if (this.used >= CHUNK) this.flushBuffer();
  }

  private flushBuffer(): void {
    if (this.used === 0) return;
    const used = this.buffer.subarray(0, this.used);
    this.used = 0;
    if (!this.live) {
      // Kept until `send`: a copy of just the bytes used, and the buffer is filled again.
      this.chunks.push(Buffer.from(used));
      return;
    }
    // The stream keeps the chunk until the socket takes it: the next rows go into a new buffer.
    const chunk = used;
    this.buffer = Buffer.allocUnsafe(this.buffer.length);
    if (this.stream === null) {
      const stream = this.db.query(copyFrom(this.statement));
      this.stream = stream;
      this.finished = new Promise<void>((resolve) => {
        stream.on('finish', () => resolve());
        stream.on('error', (error: Error) => {
          this.failure ??= error;
          resolve();
        });
      });
    }
    // The stream buffers what the socket cannot take yet: the writer's calls are synchronous.
    if (this.failure === null) this.stream.write(chunk);
  }

  /** Sends all rows (a live copy: the rest of them) and waits until the server has them. */
  async send(): Promise<void> {
    this.flushBuffer();
    if (this.live) {
      if (this.stream !== null) {
        if (this.failure === null) this.stream.end();
        await this.finished;
      }
    } else if (this.chunks.length > 0) {
      const chunks = this.chunks.splice(0);
      await pipeline(Readable.from(chunks), this.db.query(copyFrom(this.statement)));
    }
    if (this.failure) throw this.failure;
  }

  /** Abandons the copy: a COPY under way is failed (the server discards its rows). */
  async abort(): Promise<void> {
    this.used = 0;
    this.chunks.length = 0;
    if (this.stream !== null && this.failure === null) {
      this.stream.destroy(new Error('ingest abandoned'));
      await this.finished;
    }
    this.stream = null;
  }
}
