/**
 * The provenance of a run being ingested: the I/O edge of this folder (the environment, the CI
 * event file, git, the host name), feeding the pure rules of ci-environment.ts, git.ts and
 * resolve.ts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ciClues, type Environment } from './ci-environment.js';
import { gitClues, type GitRunner } from './git.js';
import { explicitClues, type MetaFlags } from './meta-flags.js';
import type { Clues, Provenance } from '../run/provenance.js';
import { resolveProvenance } from './resolve.js';

export interface DetectOptions {
  /** false (`--no-provenance`): record only what --meta says, the version and nothing detected. */
  detect: boolean;
  meta: MetaFlags;
  version: string;
  env?: Environment;
  git?: GitRunner;
  hostname?: () => string;
}

/** Detects once per process what does not depend on the trace, and git once per folder. */
export class ProvenanceDetector {
  private readonly ci: Clues;
  private readonly gitByFolder = new Map<string, Clues>();

  constructor(private readonly options: DetectOptions) {
    this.ci = options.detect ? ciClues(options.env ?? process.env, readJsonFile) : {};
  }

  /** The provenance of a run read from `tracePath` (a file or a session folder). */
  forTrace(tracePath: string): Provenance {
    const o = this.options;
    const meta = Object.fromEntries(Object.entries(o.meta.meta).filter((e): e is [string, string] => e[1] !== null));
    return resolveProvenance({
      explicit: explicitClues(o.meta),
      ci: this.ci,
      git: o.detect ? this.gitOf(tracePath) : {},
      meta,
      host: o.detect ? (o.hostname ?? os.hostname)() || null : null,
      version: o.version,
    });
  }

  private gitOf(tracePath: string): Clues {
    const folder = folderOf(tracePath);
    let clues = this.gitByFolder.get(folder);
    if (!clues) this.gitByFolder.set(folder, (clues = gitClues(folder, this.options.git)));
    return clues;
  }
}

function folderOf(tracePath: string): string {
  const resolved = path.resolve(tracePath);
  try {
    return fs.statSync(resolved).isDirectory() ? resolved : path.dirname(resolved);
  } catch {
    return path.dirname(resolved);
  }
}

/** The CI's event payload (a few kB; anything unreadable or huge is ignored). */
function readJsonFile(file: string): unknown {
  try {
    if (fs.statSync(file).size > 16 * 1024 * 1024) return undefined;
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}
