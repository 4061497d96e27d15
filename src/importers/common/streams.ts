/**
 * Byte and line streams over inputs: transparent gzip/bzip2 decompression, progress reporting,
 * and splitting into lines without ever holding a whole file in one string.
 */
import fs from 'node:fs';
import { isAscii } from 'node:buffer';
import { Readable, Transform } from 'node:stream';
import zlib from 'node:zlib';
import { bunzip2 } from './bunzip2.js';

export type Compression = 'gzip' | 'bzip2' | null;

export function compressionOf(head: Buffer): Compression {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 3 && head.toString('latin1', 0, 3) === 'BZh') return 'bzip2';
  return null;
}

/** Files up to this size are read in one piece (see fileChunks). */
export const WHOLE_FILE_MAX_BYTES = 1 << 20;

/**
 * A file's bytes as chunks: a small file in one piece, read at once, a large one streamed in 1 MB
 * chunks. A stream allocates a buffer of its chunk size for every read and answers through the
 * event loop several times per file: for the thousands of small profiles of a session folder that
 * was most of the time (fresh memory and garbage, and waiting).
 */
export function fileChunks(file: string, size = fs.statSync(file).size): AsyncIterable<Buffer> | Buffer[] {
  if (size <= WHOLE_FILE_MAX_BYTES) return [readSized(file, size)];
  return fs.createReadStream(file, { highWaterMark: WHOLE_FILE_MAX_BYTES });
}

/**
 * The first `size` bytes of a file whose size is known (readFileSync would stat it again: one
 * system call per file of a folder of thousands). Fewer when it has shrunk since.
 */
function readSized(file: string, size: number): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    return readOpenFile(fd, size);
  } finally {
    fs.closeSync(fd);
  }
}

/** The first `size` bytes of an open file (fewer if it is shorter). */
export function readOpenFile(fd: number, size: number): Buffer {
  const bytes = Buffer.allocUnsafe(size);
  let filled = 0;
  while (filled < size) {
    const read = fs.readSync(fd, bytes, filled, size - filled, filled);
    if (read === 0) break;
    filled += read;
  }
  return filled === size ? bytes : bytes.subarray(0, filled);
}

/** Reads the first `bytes` bytes of a file (fewer if it is shorter). */
export function readHead(file: string, bytes: number): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const read = fs.readSync(fd, buffer, 0, bytes, 0);
    return buffer.subarray(0, read);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The decompressed content of a file as a stream. `onBytes` sees the count of raw (compressed)
 * bytes read so far; `onRaw` sees the raw chunks themselves (to hash the file in the same pass).
 */
export function openDecompressed(file: string, onBytes?: (bytes: number) => void, onRaw?: (chunk: Buffer) => void): Readable {
  const compression = compressionOf(readHead(file, 4));
  const raw = fs.createReadStream(file, { highWaterMark: 1 << 20 });
  const watch = onBytes || onRaw ? rawWatcher(onBytes, onRaw) : null;
  if (compression === null) {
    // The reader reads the file stream itself: destroying it stops the reading.
    if (watch) raw.on('data', (chunk) => watch(chunk as Buffer));
    return raw;
  }
  // Watched as a stage of the pipe, not by a 'data' listener on the file stream: once a reader
  // that stops early has destroyed the decompressor, Node resumes a stream whose pipe is gone when
  // a 'data' listener is left on it, which read (and hashed) the rest of the file for nothing.
  let input: Readable = raw;
  if (watch) {
    const watching = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        watch(chunk);
        done(null, chunk);
      },
    });
    raw.on('error', (error) => watching.destroy(error));
    input = raw.pipe(watching);
  }
  const decompressed = decompressing(compression, input);
  decompressed.once('close', () => raw.destroy());
  return decompressed;
}

/** Calls `onRaw` with each raw chunk and `onBytes` with the count read so far. */
function rawWatcher(onBytes: ((bytes: number) => void) | undefined, onRaw: ((chunk: Buffer) => void) | undefined): (chunk: Buffer) => void {
  let total = 0;
  return (chunk) => {
    onRaw?.(chunk);
    total += chunk.length;
    onBytes?.(total);
  };
}

/** `input` decompressed; its errors come out of the result. */
function decompressing(compression: NonNullable<Compression>, input: Readable): Readable {
  // Large output chunks: fewer callbacks through zlib and the parsers downstream.
  if (compression === 'gzip') {
    const gunzip = zlib.createGunzip({ chunkSize: 256 * 1024 });
    input.on('error', (error) => gunzip.destroy(error));
    return input.pipe(gunzip);
  }
  return bunzip2(input);
}

/**
 * Decompresses the start of a file, up to `bytes` bytes of output, tolerating a cut-off stream.
 * `onFailure` hears of corrupt data met on the way.
 */
export async function decompressedHead(file: string, compression: Compression, bytes: number, onFailure?: (error: Error) => void): Promise<Buffer> {
  if (compression === null) return readHead(file, bytes);
  const chunks: Buffer[] = [];
  let total = 0;
  const stream = openDecompressed(file);
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      total += chunk.length;
      if (total >= bytes) break;
    }
  } catch (error) {
    // A corrupt or truncated file: detection works with what could be read; reading it for real reports the error.
    onFailure?.(error as Error);
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks).subarray(0, bytes);
}

/** The error met decompressing a whole file, or null when it decodes to its end. */
export async function decodingFailure(file: string): Promise<Error | null> {
  const stream = openDecompressed(file);
  try {
    for await (const _chunk of stream as AsyncIterable<Buffer>);
    return null;
  } catch (error) {
    return error as Error;
  } finally {
    stream.destroy();
  }
}

/**
 * Lines of a byte stream (LF or CRLF), decoded as UTF-8, with their 1-based line numbers.
 * Chunks are split as they arrive, so memory stays bounded by the longest line.
 */
export async function* lines(stream: AsyncIterable<Buffer | string>): AsyncGenerator<[string, number]> {
  const decoder = new TextDecoder('utf-8');
  let rest = '';
  let number = 0;
  for await (const chunk of stream) {
    const text = rest + (typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
    let from = 0;
    for (let nl = text.indexOf('\n', from); nl !== -1; nl = text.indexOf('\n', from)) {
      const end = nl > from && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      yield [text.slice(from, end), ++number];
      from = nl + 1;
    }
    rest = text.slice(from);
  }
  rest += decoder.decode();
  if (rest.length > 0) yield [rest.endsWith('\r') ? rest.slice(0, -1) : rest, ++number];
}

/** The first non-blank line of a text sample. */
export function firstLine(text: string): string {
  for (const line of text.split('\n')) {
    const trimmed = line.replace(/\r$/, '');
    if (trimmed.trim() !== '') return trimmed;
  }
  return '';
}

/**
 * The same lines handed to a callback, without a promise per line: for traces of millions of
 * lines, where awaiting each line of the async generator above costs more than reading it.
 */
export async function eachLine(stream: AsyncIterable<string>, handle: (line: string, number: number) => void): Promise<void> {
  let rest = '';
  let number = 0;
  for await (const chunk of stream) {
    const text = rest + chunk;
    let from = 0;
    for (let nl = text.indexOf('\n', from); nl !== -1; nl = text.indexOf('\n', from)) {
      handle(text.slice(from, nl > from && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl), ++number);
      from = nl + 1;
    }
    rest = text.slice(from);
  }
  if (rest.length > 0) handle(rest.endsWith('\r') ? rest.slice(0, -1) : rest, ++number);
}

/** A Readable's content as one Buffer (for small members such as a session's JSON description). */
export async function collect(stream: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}

export { Readable };

/**
 * Bytes to UTF-8 text, as `setEncoding('utf8')` does, but several times faster on ASCII: a chunk
 * of pure ASCII (checked with simdutf through `isAscii`) is decoded as Latin-1, which for ASCII is
 * the same text. From the first chunk that is not pure ASCII on, a streaming TextDecoder takes
 * over, so characters split across chunks are decoded right.
 */
export function utf8Text(): Transform {
  let decoder: InstanceType<typeof TextDecoder> | null = null;
  return new Transform({
    readableObjectMode: true,
    transform(chunk: Buffer, _encoding, callback) {
      if (decoder === null && isAscii(chunk)) {
        callback(null, chunk.toString('latin1'));
        return;
      }
      decoder ??= new TextDecoder('utf-8');
      const text = decoder.decode(chunk, { stream: true });
      callback(null, text.length > 0 ? text : undefined);
    },
    flush(callback) {
      const rest = decoder?.decode() ?? '';
      callback(null, rest.length > 0 ? rest : undefined);
    },
  });
}
