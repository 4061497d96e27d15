/**
 * Turning the paths a user typed into trace inputs: files, folders (a RADICAL-Pilot session or a
 * Snakemake working directory is one input; any other folder is walked) and quoted glob patterns.
 */
import fs from 'node:fs';
import path from 'node:path';
import { folderFiles } from './common/hash.js';
import type { TraceInput } from './importer.js';
import { snakemakeLayout } from './snakemake/index.js';

export interface ExpandedInputs {
  inputs: TraceInput[];
  /** Arguments that named nothing usable, with the reason. */
  problems: { path: string; reason: string }[];
}

/**
 * A RADICAL-Pilot session folder, read as one run: it holds profiles (*.prof) at its top level, its
 * description `<folder>.json`, or a pilot sandbox `pilot.NNNN/` with profiles.
 */
export function isSessionFolder(dir: string): boolean {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return false;
  }
  const own = `${path.basename(dir)}.json`;
  return entries.some(
    (entry) =>
      (entry.isFile() && (entry.name.endsWith('.prof') || entry.name === own)) ||
      (entry.isDirectory() && /^pilot\.\d+$/.test(entry.name) && hasProfiles(path.join(dir, entry.name))),
  );
}

/** A folder that is one trace, not a folder of traces: a RADICAL-Pilot session, a Snakemake working directory. */
export function isTraceFolder(dir: string): boolean {
  return isSessionFolder(dir) || snakemakeLayout(dir) !== null;
}

function hasProfiles(dir: string): boolean {
  try {
    return fs.readdirSync(dir).some((name) => name.endsWith('.prof'));
  } catch {
    return false;
  }
}

export async function expandInputs(args: readonly string[]): Promise<ExpandedInputs> {
  const inputs: TraceInput[] = [];
  const problems: ExpandedInputs['problems'] = [];
  const seen = new Set<string>();

  const add = (display: string, explicit: boolean): void => {
    const absolute = path.resolve(display);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(absolute);
    } catch (error) {
      problems.push({ path: display, reason: (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : (error as Error).message });
      return;
    }
    const real = fs.realpathSync(absolute);
    if (seen.has(real)) return;
    if (stat.isFile()) {
      seen.add(real);
      inputs.push({ path: absolute, display, kind: 'file', explicit });
    } else if (stat.isDirectory()) {
      if (isTraceFolder(absolute)) {
        seen.add(real);
        inputs.push({ path: absolute, display, kind: 'dir', explicit });
        return;
      }
      const before = inputs.length;
      for (const name of fs.readdirSync(absolute).sort()) {
        if (name.startsWith('.')) continue;
        add(path.join(display, name), false);
      }
      if (explicit && inputs.length === before) problems.push({ path: display, reason: 'folder holds no files' });
    }
  };

  for (const arg of args) {
    // glob (with minimatch, a dozen modules) is loaded only for an argument that may be a pattern:
    // one without any of these characters has no magic for it.
    if (fs.existsSync(arg) || !/[*?[\]{}()]/.test(arg)) {
      add(arg, true);
      continue;
    }
    const { glob, hasMagic } = await import('glob');
    if (!hasMagic(arg)) {
      add(arg, true);
      continue;
    }
    const matches = (await glob(arg, { dot: false })).sort();
    if (matches.length === 0) problems.push({ path: arg, reason: 'pattern matched no files' });
    for (const match of matches) add(match, false);
  }
  return { inputs, problems };
}

/** Bytes an input holds (all files of a folder), for progress bars. */
export function inputSize(input: TraceInput): number {
  try {
    if (input.kind === 'file') return fs.statSync(input.path).size;
    return folderFiles(input).reduce((sum, file) => sum + file.size, 0);
  } catch {
    return 0;
  }
}
