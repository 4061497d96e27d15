/**
 * Task types a user chooses: `--type-from name|stage|executable|trace|regex:PATTERN` at ingest
 * and in `runs edit`. Analyses group by type and the model calibrates durations by type, so a
 * run whose tasks fall into 1,179 types (one per resource shape) is as useless as one whose
 * tasks fall into one type that mixes simulations and training.
 *
 * - `name`: the task's name without its own number (`sim.44` -> `sim`); without a name, the uid's.
 * - `stage`: the stage's name (RADICAL-EnTK: `Simulation`), else the stage column of the trace.
 * - `executable`: the program the task ran, without its folder (`/usr/bin/sleep` -> `sleep`).
 * - `trace`: the type the trace gave (what the importer chose; undoes a rule).
 * - `regex:PATTERN`: PATTERN (JavaScript syntax) matched against the name (the uid when the task
 *   has none); the type is the first capture group, or the whole match without groups.
 *
 * A task the rule says nothing about (no executable, no stage, no match) keeps the type its trace
 * gave; the caller is told how many.
 */
import path from 'node:path';
import { InputError } from '../errors.js';
import type { Retype, TypeFields } from '../run/task-details.js';
import { typeFromId, typeFromName } from '../run/task-type.js';

export const TYPE_RULES = ['name', 'stage', 'executable', 'trace', 'regex:PATTERN'] as const;

export type TypeRule =
  | { kind: 'name' | 'stage' | 'executable' | 'trace'; text: string }
  | { kind: 'regex'; text: string; pattern: RegExp };

/** More task types than this in a run gets a warning suggesting --type-from. */
export const MANY_TYPES = 36;

/** Reads `--type-from`; exit 2 with the choices for anything else. */
export function parseTypeRule(text: string): TypeRule {
  if (text === 'name' || text === 'stage' || text === 'executable' || text === 'trace') return { kind: text, text };
  if (text.startsWith('regex:')) {
    const source = text.slice('regex:'.length);
    if (source === '') throw new InputError('--type-from regex:PATTERN: the pattern is empty');
    let pattern: RegExp;
    try {
      pattern = new RegExp(source);
    } catch (error) {
      throw new InputError(`--type-from ${text}: not a valid regular expression: ${(error as Error).message}`);
    }
    return { kind: 'regex', text, pattern };
  }
  throw new InputError(`--type-from: expected one of ${TYPE_RULES.join(', ')}, got "${text}"`);
}

/** The type of one task under a rule, or null when the rule says nothing about it. */
export function typeByRule(rule: TypeRule, task: TypeFields): string | null {
  switch (rule.kind) {
    case 'trace':
      return task.traceType;
    case 'name':
      return task.name ? typeFromName(task.name, task.uid) : typeFromId(task.uid);
    case 'stage':
      return task.stageName ?? task.stage;
    case 'executable':
      return task.executable ? path.posix.basename(task.executable) || task.executable : null;
    case 'regex': {
      const match = rule.pattern.exec(task.name ?? task.uid);
      if (!match) return null;
      const type = match.length > 1 ? match.slice(1).find((group) => group !== undefined && group !== '') : match[0];
      return type === undefined || type === '' ? null : type;
    }
  }
}

/**
 * The rule as the store applies it: tasks it says nothing about keep their trace's type, and are
 * counted in `unmatched` (read it after the store ran the rule).
 */
export function retypeBy(rule: TypeRule): Retype & { unmatched: () => number } {
  let unmatched = 0;
  return {
    rule: rule.kind === 'trace' ? null : rule.text,
    typeOf: (task) => {
      const type = typeByRule(rule, task);
      if (type === null) {
        unmatched++;
        return task.traceType;
      }
      return type;
    },
    unmatched: () => unmatched,
  };
}

/** The warning for a run with many types, or null. */
export function manyTypesWarning(runId: string, types: number): string | null {
  if (types <= MANY_TYPES) return null;
  return `run ${runId} has ${types} task types: analyses and the model group by type, so group them with --type-from (asyncscope runs edit ${runId} --type-from executable|name|stage|regex:PATTERN)`;
}
