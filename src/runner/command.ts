/**
 * The process a task runs: the spec's `command` with its placeholders filled in, or the built-in
 * load, a sleep of the task's duration.
 *
 * The built-in load is `sleep SECONDS` (coreutils; /bin/sleep or /usr/bin/sleep) rather than a
 * Node.js child: measured on this project's machine, a sleep 0 process costs about 11-23 ms from
 * spawn to exit, a `node -e "setTimeout(...)"` about 220 ms, which would add a fifth of a second to
 * every task of a run scaled down to seconds (docs/runner.md). Node is the fallback where no sleep
 * program exists.
 *
 * Placeholders, in a string (run by /bin/sh, each value shell-quoted) or in each element of an
 * argument list (run as it is, without a shell): {task}, {stage}, {type}, {index}, {duration_s},
 * {cores}, {gpus}, {node}, {cpu_slots}, {gpu_slots}. Other text in braces (`${HOME}`, awk's
 * `{print}`) is left alone. The same values are in the environment as ASYNCSCOPE_TASK, ...
 */
import fs from 'node:fs';
import type { PlannedTask } from './plan.js';
import type { Placement } from './slots.js';

export interface Launch {
  file: string;
  args: string[];
  /** Variables added to the runner's environment. */
  env: Record<string, string>;
}

export const PLACEHOLDERS = ['task', 'stage', 'type', 'index', 'duration_s', 'cores', 'gpus', 'node', 'cpu_slots', 'gpu_slots'] as const;
type Placeholder = (typeof PLACEHOLDERS)[number];

const PLACEHOLDER = new RegExp(`\\{(${PLACEHOLDERS.join('|')})\\}`, 'g');

/** Seconds as a command-line number: at most microseconds, never in exponent notation. */
export function secondsArg(seconds: number): string {
  return String(Number(seconds.toFixed(6)));
}

/** The values of a task's placeholders. */
export function placeholderValues(task: PlannedTask, placement: Placement, nodeName: string): Record<Placeholder, string> {
  return {
    task: task.id,
    stage: task.stage ?? task.id,
    type: task.type,
    index: String(task.indexInStage),
    duration_s: secondsArg(task.durationS),
    cores: String(task.cores),
    gpus: String(task.gpus),
    node: nodeName,
    cpu_slots: placement.cpuSlots.join(','),
    gpu_slots: placement.gpuSlots.join(','),
  };
}

export function taskLaunch(task: PlannedTask, placement: Placement, nodeName: string): Launch {
  const values = placeholderValues(task, placement, nodeName);
  const env: Record<string, string> = {};
  for (const name of PLACEHOLDERS) env[`ASYNCSCOPE_${name.toUpperCase()}`] = values[name];
  const command = task.command;
  if (command === undefined) return { ...sleepLaunch(task.durationS), env };
  if (typeof command === 'string') {
    return { file: '/bin/sh', args: ['-c', command.replace(PLACEHOLDER, (_, name: Placeholder) => shellQuote(values[name]))], env };
  }
  const argv = command.map((arg) => arg.replace(PLACEHOLDER, (_, name: Placeholder) => values[name]));
  return { file: argv[0], args: argv.slice(1), env };
}

/** A word the shell reads as exactly `value`. */
export function shellQuote(value: string): string {
  if (/^[A-Za-z0-9_.,:/@%+=-]+$/.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

let sleepProgram: string | null | undefined;

/** The built-in load: sleep for `seconds`. */
export function sleepLaunch(seconds: number): { file: string; args: string[] } {
  sleepProgram ??= ['/bin/sleep', '/usr/bin/sleep'].find((file) => fs.existsSync(file)) ?? null;
  if (sleepProgram !== null) return { file: sleepProgram, args: [secondsArg(seconds)] };
  return { file: process.execPath, args: ['-e', `setTimeout(() => {}, ${Math.round(seconds * 1000)})`] };
}
