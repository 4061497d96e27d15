/**
 * Writing an export: to a file (whole or not at all, its folder created: files/write.ts;
 * gzip-compressed when the name ends in `.gz`), or to stdout (`-`). Pieces are written as the
 * consumer takes them (backpressure), so memory does not grow with the size of the export.
 */
import fs from 'node:fs';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { produceUserFileAsync } from '../files/write.js';

export interface WriteResult {
  /** Bytes written: the file's size (compressed, for `.gz`), or what went to stdout. */
  bytes: number;
  /** Bytes of text produced, before compression (the same as `bytes` when not compressed). */
  uncompressedBytes: number;
}

export async function writeExport(pieces: Iterable<string>, out: string): Promise<WriteResult> {
  let bytes = 0;
  const counted = Readable.from(
    (function* () {
      for (const piece of pieces) {
        bytes += Buffer.byteLength(piece);
        yield piece;
      }
    })(),
    { objectMode: false },
  );
  if (out === '-') {
    try {
      await pipeline(counted, stdoutWithoutClosing());
    } catch (error) {
      // A reader that stops early (`| head`) is not an error of the export.
      if ((error as NodeJS.ErrnoException).code !== 'EPIPE') throw error;
    }
    return { bytes, uncompressedBytes: bytes };
  }

  await produceUserFileAsync(out, 'export', async (target) => {
    const file = fs.createWriteStream(target);
    if (/\.gz$/i.test(out)) await pipeline(counted, zlib.createGzip(), file);
    else await pipeline(counted, file);
  });
  return { bytes: fs.statSync(out).size, uncompressedBytes: bytes };
}

/**
 * process.stdout as a pipeline destination that is not ended at the end (the process still
 * prints), and that fails instead of waiting forever when the reader has gone (EPIPE).
 */
function stdoutWithoutClosing(): Writable {
  let failure: Error | null = null;
  let waiting: ((error?: Error) => void) | null = null;
  const onError = (error: Error) => {
    failure = error;
    waiting?.(error);
    waiting = null;
  };
  process.stdout.on('error', onError);
  return new Writable({
    write(chunk, _encoding, callback) {
      if (failure) return callback(failure);
      if (process.stdout.write(chunk)) return callback();
      waiting = callback;
      process.stdout.once('drain', () => {
        if (waiting === callback) {
          waiting = null;
          callback();
        }
      });
    },
    final(callback) {
      process.stdout.off('error', onError);
      callback();
    },
    destroy(error, callback) {
      process.stdout.off('error', onError);
      callback(error);
    },
  });
}
