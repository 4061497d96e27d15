/**
 * Messages for JSON that does not parse, shared by the importers of JSON documents.
 */

/**
 * What JSON.parse says, without the echo of the input that V8 may add, and where (a character
 * offset) when it says: `Expected ',' or '}' after property value in JSON at position 42`.
 */
export function jsonSyntaxError(error: Error): { reason: string; position?: number } {
  const message = error.message;
  const at = / in JSON at position (\d+)/.exec(message);
  if (at) return { reason: message.slice(0, at.index), position: Number(at[1]) };
  const token = /^(Unexpected (?:token '.'|end of JSON input|non-whitespace character after JSON))/.exec(message);
  return { reason: token ? token[1] : message.slice(0, 80) };
}

/** 1-based line number of a character offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
