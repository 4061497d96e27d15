/**
 * Bold for the one number that matters in a table, when a person reads a terminal; plain text in
 * pipes, in CI and with NO_COLOR set.
 */
export function emphasize(text: string): string {
  const ci = process.env.CI;
  const inCi = ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
  if (!process.stdout.isTTY || inCi || process.env.NO_COLOR !== undefined) return text;
  return `\u001b[1m${text}\u001b[22m`;
}
