/**
 * Flags shared by the analysis commands: grouping, incomplete tasks, and the two events (or
 * states) that bound a span.
 */
import * as Flags from '@oclif/core/flags';
import { InputError } from '../errors.js';
import type { Endpoint } from '../analysis/event-spans.js';
import { GROUP_BY } from '../analysis/intervals.js';

/** `--by`: what tasks are grouped by. The one definition every command takes, each with its own description. */
const by = Flags.option({ options: GROUP_BY });

/** `--by` with a default (type): the grouping is always known. */
export function byFlag(description = 'Group tasks by their type, their stage instance (pipeline + stage) or their pipeline') {
  return by({ description, default: 'type' });
}

/** `--by` without a default: no grouping unless asked, or one the command works out. */
export function optionalByFlag(description: string) {
  return by({ description });
}

export const includeIncompleteFlag = Flags.boolean({
  description: "Include tasks that started and never ended, clipped at the run's last event time (default: excluded, with a warning)",
});

export const endpointFlags = {
  from: Flags.string({ description: 'Event that starts each task\'s span (e.g. exec_start, schedule_ok)', helpValue: 'EVENT', exclusive: ['from-state'] }),
  'from-state': Flags.string({ description: 'State that starts each task\'s span (e.g. AGENT_SCHEDULING): the first event carrying it', helpValue: 'STATE', exclusive: ['from'] }),
  to: Flags.string({ description: 'Event that ends each task\'s span (e.g. exec_stop)', helpValue: 'EVENT', exclusive: ['to-state'] }),
  'to-state': Flags.string({ description: 'State that ends each task\'s span: the first event carrying it after the start', helpValue: 'STATE', exclusive: ['to'] }),
  'all-spans': Flags.boolean({ description: 'Every span of a task, not only its first: after each TO, the next FROM opens another (a Dask task fetching two inputs has two transfer spans)' }),
};

/**
 * The two ends given on the command line; null when none is (the caller decides whether that is
 * allowed). One end without the other is a usage error.
 */
export function endpointsFromFlags(flags: { from?: string; to?: string; 'from-state'?: string; 'to-state'?: string }): { from: Endpoint; to: Endpoint } | null {
  const from = endpoint(flags.from, flags['from-state']);
  const to = endpoint(flags.to, flags['to-state']);
  if (from === null && to === null) return null;
  if (from === null) throw new InputError('give where each span starts: --from EVENT or --from-state STATE');
  if (to === null) throw new InputError('give where each span ends: --to EVENT or --to-state STATE');
  return { from, to };
}

function endpoint(event: string | undefined, state: string | undefined): Endpoint | null {
  if (event !== undefined) {
    if (event.trim() === '') throw new InputError('an event name must not be empty');
    return { event };
  }
  if (state !== undefined) {
    if (state.trim() === '') throw new InputError('a state name must not be empty');
    return { state };
  }
  return null;
}
