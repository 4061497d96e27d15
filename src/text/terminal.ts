/**
 * What output may do on the terminal it goes to: bold for the one number that matters when a
 * person reads a terminal; plain text in pipes, in CI and with NO_COLOR set.
 */

/** Whether CI is set (CI=true, as CI services do); `CI=0` and `CI=false` are not. */
export function isCi(): boolean {
  const ci = process.env.CI;
  return ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
}

/** Bold on a terminal, outside CI and without NO_COLOR; the text as it is otherwise. */
export function emphasize(text: string): string {
  if (!process.stdout.isTTY || isCi() || process.env.NO_COLOR !== undefined) return text;
  return `\u001b[1m${text}\u001b[22m`;
}
