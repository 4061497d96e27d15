/**
 * The candidate runs named on the command line: RUN (an id, or a label whose runs are repeats),
 * or with --repeats N the latest N runs carrying the label. With --history and no RUN, the
 * history's label (its latest run, or its latest N). `filter` keeps only some runs of the label
 * (--this-job: those the current CI job stored).
 */
import { InputError } from '../errors.js';
import type { RunFilter } from '../run/run-filter.js';
import type { RunSelector } from './selectors.js';

export interface CandidateArgs {
  run?: string;
  repeats?: number;
  /** --history LABEL: the label to take the candidate from when RUN is not given. */
  history?: string;
  filter?: RunFilter;
}

export function selectorFromArgs(args: CandidateArgs): RunSelector | null {
  const { repeats, filter } = args;
  let run = args.run;
  if (run === undefined && args.history !== undefined) {
    run = args.history;
    if (repeats === undefined) return { kind: 'latest', label: run, count: 1, filter };
  }
  if (run === undefined) {
    if (repeats !== undefined) throw new InputError('--repeats N takes the latest N runs of a label: name the label (RUN)');
    if (filter) throw new InputError('--this-job takes the runs of a label that this job stored: name the label (RUN)');
    return null;
  }
  if (run.trim() === '') throw new InputError('the run must not be empty: give a run id or label');
  if (repeats !== undefined) return { kind: 'latest', label: run, count: repeats, filter };
  return filter ? { kind: 'label', label: run, filter } : { kind: 'ref', ref: run };
}
