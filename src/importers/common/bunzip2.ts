/**
 * bzip2 decompression as a stream: through the system's `bunzip2` when it is on PATH, else with
 * unbzip2-stream (JavaScript).
 *
 * The JavaScript decoder is slow: on RADICAL-Pilot's sample session (1.4 MB of .tar.bz2, 40 MB of
 * tar) it took 10.8 s of CPU where `bunzip2` takes about 1 s, and it runs on the thread that parses.
 * No maintained native or WebAssembly bzip2 decoder on npm decodes a stream (@foxglove/wasm-bz2
 * and seek-bzip decode a whole buffer, whose output size must be known or all of it held), so a
 * separate process does the work: it also runs on the other core, beside the parser. The raw bytes
 * are still read here and written to its stdin, so that progress and hashing see them as before.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { InputError } from '../../errors.js';

// The JavaScript decoder is loaded only when it is used.
const require = createRequire(import.meta.url);

/**
 * Compressed data that cannot be decoded, whichever decoder met it. It does not know the file (a
 * decoder sees bytes); ingest names the input in front of it (importers/ingest.ts).
 */
export class CorruptDataError extends InputError {
  constructor(compression: 'gzip' | 'bzip2', detail: string) {
    super(`${compression} data is corrupt or cut short (${detail})`);
    this.name = 'CorruptDataError';
  }
}

/** The path of `bunzip2` on PATH, or null (looked up again when PATH changes). */
let found: { pathVariable: string; program: string | null } | null = null;

export function bunzip2Program(): string | null {
  const pathVariable = process.env.PATH ?? '';
  if (found?.pathVariable === pathVariable) return found.program;
  let program: string | null = null;
  for (const dir of pathVariable.split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.join(dir, 'bunzip2');
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      program = candidate;
      break;
    } catch {
      // not here
    }
  }
  found = { pathVariable, program };
  return program;
}

/** The decompressed bytes of `raw` (a bzip2 stream); errors of either end come out of the result. */
export function bunzip2(raw: Readable): Readable {
  const program = bunzip2Program();
  return program ? throughProgram(program, raw) : throughJavaScript(raw);
}

function throughProgram(program: string, raw: Readable): Readable {
  const child = spawn(program, ['-c'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const out = new PassThrough({ highWaterMark: 1 << 20 });
  let stderr = '';
  let done = false;
  const fail = (error: Error) => {
    if (done) return;
    done = true;
    out.destroy(error);
  };
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => (stderr += text));
  child.on('error', fail);
  // A reader that stops early (format detection reads only the start) closes stdin under bunzip2.
  child.stdin.on('error', () => {});
  raw.on('error', (error) => {
    child.kill();
    fail(error);
  });
  raw.pipe(child.stdin);
  child.stdout.pipe(out, { end: false });
  child.on('close', (code, signal) => {
    if (done) return;
    if (code === 0) {
      done = true;
      out.end();
    } else {
      // bunzip2 says what went wrong on its first line ("Compressed file ends unexpectedly;"), then advice.
      const first = stderr.trim().split('\n')[0]?.replace(/^bunzip2:\s*/, '').replace(/[;.]\s*$/, '');
      fail(new CorruptDataError('bzip2', first || (signal ? `bunzip2 stopped by ${signal}` : `bunzip2 exit code ${code}`)));
    }
  });
  out.on('close', () => {
    if (child.exitCode === null && child.signalCode === null) child.kill();
    raw.destroy();
  });
  return out;
}

/**
 * unbzip2-stream is an old-style `through` stream: not async-iterable, and `pipe` forwards no
 * errors. A PassThrough gives every reader the same modern Readable, with the errors of both.
 */
function throughJavaScript(raw: Readable): Readable {
  const unbzip2 = require('unbzip2-stream') as typeof import('unbzip2-stream');
  const decoder = unbzip2();
  const out = new PassThrough();
  raw.on('error', (error) => out.destroy(error));
  decoder.on('error', (error: Error) => out.destroy(new CorruptDataError('bzip2', javaScriptDecoderDetail(error))));
  raw.pipe(decoder).pipe(out);
  out.on('close', () => raw.destroy());
  return out;
}

/**
 * unbzip2-stream's errors in bunzip2's words, so that both decoders say the same: it says "Error in
 * bzip2: crc32 do not match" for a damaged block, "input stream ended prematurely" or fails with a
 * TypeError when the data stops inside a block, and "Boom." (or worse) for bits it cannot decode.
 */
function javaScriptDecoderDetail(error: Error): string {
  const message = String(error?.message ?? error);
  if (/crc32 do not match/i.test(message)) return 'Data integrity error when decompressing';
  if (error instanceof TypeError || /ended prematurely/i.test(message)) return 'Compressed file ends unexpectedly';
  if (/no magic number/i.test(message)) return 'bad magic number';
  return 'Data integrity error when decompressing';
}
