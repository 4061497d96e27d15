/**
 * Errors that carry their meaning to the command line.
 *
 * Every part of asyncscope throws one of these for problems a user can fix; the CLI turns them
 * into a one-line message on stderr and the exit code documented in the README:
 *   0 ok, 1 a check failed, 2 bad input or usage.
 * Anything else that escapes is a bug and is reported as an internal error.
 */

export const EXIT_CHECK_FAILED = 1;
export const EXIT_BAD_INPUT = 2;
export const EXIT_INTERNAL = 3;
/** Stopped by Ctrl-C (SIGINT): 128 + 2, as shells report it. */
export const EXIT_INTERRUPTED = 130;

/** Bad input or usage: a file that cannot be read, a malformed trace, an unknown run, a bad flag value. */
export class InputError extends Error {
  readonly exitCode: number = EXIT_BAD_INPUT;
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

/**
 * A problem inside a trace, located as precisely as the format allows, so that the message reads
 * `tasks.csv:17: field "end": "noon" is not a time (epoch seconds or ISO 8601)`.
 */
export class TraceError extends InputError {
  constructor(
    readonly file: string,
    readonly reason: string,
    readonly line?: number,
    readonly field?: string,
  ) {
    super(formatLocation(file, line, field) + reason);
    this.name = 'TraceError';
  }
}

function formatLocation(file: string, line?: number, field?: string): string {
  let where = file;
  if (line !== undefined) where += `:${line}`;
  where += ': ';
  if (field !== undefined) where += `field "${field}": `;
  return where;
}

/** One line, whatever the error: multi-line messages (oclif parse errors) are joined. */
export function oneLine(message: string): string {
  return message
    .split('\n')
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .join('; ');
}
