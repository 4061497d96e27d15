/**
 * Reading a (possibly compressed) text file line by line with a plain callback: lines are split
 * chunk by chunk, not awaited one by one (a trace of a million rows would await a million times).
 */
import { TraceError } from '../../errors.js';
import { openDecompressed, utf8Text } from './streams.js';

export interface EachLineOptions {
  /** Raw (compressed) bytes read so far, for progress bars. */
  onBytes?: (bytes: number) => void;
  /** Each raw chunk, to hash the file in the same pass. */
  onRaw?: (chunk: Buffer) => void;
}

/**
 * Calls `onLine` with each line (LF or CRLF, without its end) and its 1-based number; stops early
 * when it returns false. Errors other than TraceErrors are reported against `display`.
 */
export async function eachLine(file: string, display: string, options: EachLineOptions, onLine: (text: string, line: number) => boolean | void): Promise<void> {
  const source = openDecompressed(file, options.onBytes, options.onRaw);
  const text = source.pipe(utf8Text());
  source.on('error', (error) => text.destroy(error));
  try {
    let rest = '';
    let line = 0;
    for await (const chunk of text as AsyncIterable<string>) {
      const all = rest + chunk;
      let from = 0;
      for (let nl = all.indexOf('\n'); nl !== -1; nl = all.indexOf('\n', from)) {
        if (onLine(all.slice(from, nl > from && all.charCodeAt(nl - 1) === 13 ? nl - 1 : nl), ++line) === false) return;
        from = nl + 1;
      }
      rest = all.slice(from);
    }
    if (rest !== '') onLine(rest.endsWith('\r') ? rest.slice(0, -1) : rest, ++line);
  } catch (error) {
    if (error instanceof TraceError) throw error;
    throw new TraceError(display, (error as Error).message);
  } finally {
    source.destroy();
    text.destroy();
  }
}
