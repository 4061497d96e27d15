/**
 * Content hashes that identify a trace independently of its path, so re-ingesting the same trace
 * is recognised. A file hashes its bytes; a folder hashes the sorted list of its files with their
 * relative paths and bytes.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { TraceInput } from '../importer.js';
import { fileChunks } from './streams.js';

export async function contentHash(input: TraceInput): Promise<string> {
  const hash = crypto.createHash('sha256');
  if (input.kind === 'file') {
    await hashFile(hash, input.path, fs.statSync(input.path).size);
  } else {
    let kept = 0;
    for (const file of folderFiles(input)) {
      hash.update(`${file.relative}\0${file.size}\0`);
      const chunks = fileChunks(path.join(input.path, file.relative), file.size);
      for await (const chunk of chunks) hash.update(chunk);
      // Small files are kept for the importer, which reads the folder next (see FolderFile.content).
      if (Array.isArray(chunks) && kept + file.size <= KEEP_MAX_BYTES) {
        file.content = chunks[0];
        kept += file.size;
      }
    }
  }
  return hash.digest('hex');
}

async function hashFile(hash: crypto.Hash, file: string, size: number): Promise<void> {
  for await (const chunk of fileChunks(file, size)) hash.update(chunk);
}

export interface FolderFile {
  /** POSIX-style path relative to the folder. */
  relative: string;
  size: number;
  /**
   * The bytes hashed, until the importer takes them: a session folder holds thousands of small
   * profiles, and opening, stat'ing and reading each a second time cost more than its archive's
   * decompression (2,000 files: 8,000 system calls).
   */
  content?: Buffer;
}

/** Bytes of a folder's files kept between hashing and reading, at most. */
const KEEP_MAX_BYTES = 64 * 1024 * 1024;

const listings = new WeakMap<TraceInput, FolderFile[]>();

/**
 * The files of a folder input (listFiles) with their sizes, walked and stat'ed once per input: the
 * hash, the progress bar and the importer all need them, and a session folder holds a profile per
 * task, in a folder per task (2,000 tasks: 2,000 readdir and 2,000 stat calls a walk).
 */
export function folderFiles(input: TraceInput): FolderFile[] {
  let files = listings.get(input);
  if (!files) {
    files = listFiles(input.path).map((relative) => ({ relative, size: fs.statSync(path.join(input.path, relative)).size }));
    listings.set(input, files);
  }
  return files;
}

/** Files under a folder, recursively, as sorted POSIX-style relative paths. */
export function listFiles(dir: string): string[] {
  const found: string[] = [];
  const walk = (relative: string): void => {
    for (const entry of fs.readdirSync(path.join(dir, relative), { withFileTypes: true })) {
      const child = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile()) found.push(child);
    }
  };
  walk('');
  return found.sort();
}
