/**
 * Where the third-party traces the tests read are (../shared/traces beside the checkout, or
 * ASYNCSCOPE_SHARED_TRACES), and whether they are here. No vitest import: the global setup reads
 * it too. The tests use helpers/shared-traces.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './cli.js';

export const SHARED_TRACES = path.resolve(process.env.ASYNCSCOPE_SHARED_TRACES ?? path.join(ROOT, '..', 'shared', 'traces'));

/** Whether the shared traces are here (their RADICAL-Pilot and WfCommons folders, which most tests use). */
export const HAVE_SHARED_TRACES = ['radical-pilot', 'wfcommons'].every((folder) => fs.existsSync(path.join(SHARED_TRACES, folder)));

/** A file or folder in the shared traces, e.g. `sharedTrace('radical-pilot', 're.session....tgz')`. */
export function sharedTrace(...parts: string[]): string {
  return path.join(SHARED_TRACES, ...parts);
}
