/**
 * Writing a report: to a file (its folder created when missing) or to stdout (`-`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '../errors.js';

/** Writes the HTML and returns its size in bytes. */
export function writeReport(out: string, html: string): number {
  const data = Buffer.from(html, 'utf8');
  if (out === '-') {
    process.stdout.write(data);
    return data.length;
  }
  try {
    fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
    fs.writeFileSync(out, data);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(`${out}: cannot write the report: ${code === 'EISDIR' ? 'is a folder' : (error as Error).message}`);
  }
  return data.length;
}
