/**
 * The candidate runs named on the command line: RUN (an id, or a label whose runs are repeats),
 * or with --repeats N the latest N runs carrying the label.
 */
import { InputError } from '../errors.js';
import type { RunSelector } from './selectors.js';

export function selectorFromArgs(run: string | undefined, repeats: number | undefined): RunSelector | null {
  if (run === undefined) {
    if (repeats !== undefined) throw new InputError('--repeats N takes the latest N runs of a label: name the label (RUN)');
    return null;
  }
  if (run.trim() === '') throw new InputError('the run must not be empty: give a run id or label');
  return repeats === undefined ? { kind: 'ref', ref: run } : { kind: 'latest', label: run, count: repeats };
}
