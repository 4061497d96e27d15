/**
 * The files of a RADICAL-Pilot session, from a folder or streamed out of a (compressed) tar
 * archive without unpacking it to disk.
 */
import fs from 'node:fs';
import path from 'node:path';
import { TraceError } from '../../errors.js';
import { folderFiles, type FolderFile } from '../common/hash.js';
import { fileChunks, openDecompressed } from '../common/streams.js';
import type { TraceInput } from '../importer.js';

export interface SessionFile {
  /** Path relative to the session folder or archive, POSIX style (`sid/pilot.0000/agent.0.prof` in an archive). */
  path: string;
  content: AsyncIterable<Buffer>;
}

export interface SessionFilesOptions {
  /** Sees the count of raw (compressed) bytes read so far. */
  onBytes?: (bytes: number) => void;
  /** Sees the raw bytes of an archive as they are read (to hash it in the same pass). */
  onRaw?: (chunk: Buffer) => void;
  /** Files it refuses are passed over without being read (an archive's are skipped). */
  wanted?: (file: string) => boolean;
  /** A folder's files (folderFiles), when the caller has them already. */
  files?: FolderFile[];
}

/** Files of the session in the order they are stored; each must be read (or skipped) before the next. */
export async function* sessionFiles(input: TraceInput, { onBytes, onRaw, wanted = () => true, files }: SessionFilesOptions = {}): AsyncGenerator<SessionFile> {
  if (input.kind === 'dir') {
    let total = 0;
    for (const file of files ?? folderFiles(input)) {
      const { relative, size, content } = file;
      file.content = undefined; // read once: kept no longer than this
      if (!wanted(relative)) continue;
      const chunks = content ? [content] : fileChunks(path.join(input.path, relative), size);
      try {
        yield { path: relative, content: counting(chunks, onBytes && ((bytes) => onBytes((total += bytes)))) };
      } finally {
        if ('destroy' in chunks) (chunks as fs.ReadStream).destroy();
      }
    }
    return;
  }
  yield* archiveFiles(input, onBytes, onRaw, wanted);
}

async function* archiveFiles(
  input: TraceInput,
  onBytes: ((bytes: number) => void) | undefined,
  onRaw: ((chunk: Buffer) => void) | undefined,
  wanted: (file: string) => boolean,
): AsyncGenerator<SessionFile> {
  const { default: tar } = await import('tar-stream'); // loaded for archives only
  const source = openDecompressed(input.path, onBytes, onRaw);
  const extract = tar.extract();
  source.on('error', (error) => extract.destroy(error));
  source.pipe(extract);
  try {
    for await (const entry of extract) {
      const name = entry.header.name;
      checkEntryName(input.display, name);
      if (entry.header.type !== 'file' && entry.header.type !== 'contiguous-file') {
        entry.resume(); // folders, links and devices carry no trace data; links are never followed
        continue;
      }
      const file = name.replace(/^(\.\/)+/, '');
      if (wanted(file)) yield { path: file, content: corruptionAsTraceError(input.display, entry as AsyncIterable<Buffer>) };
      entry.resume(); // drain whatever the consumer left unread, or the archive stalls
    }
  } catch (error) {
    throw asCorruption(input.display, error);
  } finally {
    source.destroy();
    extract.destroy();
  }
}

/** Archive entries that would land outside the session folder are refused, whole archive included. */
export function checkEntryName(file: string, name: string): void {
  const unsafe = name.startsWith('/') || /^[A-Za-z]:/.test(name) || name.split(/[\\/]/).includes('..');
  if (unsafe) {
    throw new TraceError(file, `archive entry "${name}" points outside the session folder (absolute path or ".."); refusing the archive`);
  }
}

function asCorruption(file: string, error: unknown): TraceError {
  if (error instanceof TraceError) return error;
  return new TraceError(file, `archive is truncated or corrupt (${(error as Error).message})`);
}

/** Reading a member fails when the archive under it is cut short: say that, naming the archive. */
async function* corruptionAsTraceError(file: string, content: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  try {
    yield* content;
  } catch (error) {
    throw asCorruption(file, error);
  }
}

/** The chunks, telling `onChunk` each one's size as it is read. */
async function* counting(chunks: AsyncIterable<Buffer> | Buffer[], onChunk: ((bytes: number) => void) | undefined): AsyncGenerator<Buffer> {
  for await (const chunk of chunks) {
    onChunk?.(chunk.length);
    yield chunk;
  }
}

