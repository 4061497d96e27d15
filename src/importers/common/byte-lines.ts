/**
 * Lines of a byte stream handed over as ranges of its chunks, not as strings: for readers that
 * parse an ASCII line from its bytes (sacct/line-bytes.ts) and make strings only of the fields
 * they keep. The lines are those of `eachLine` (streams.ts) over `utf8Text`: split at LF, a CR
 * before it dropped, numbered from 1, a last line without LF included, a leading byte order mark
 * dropped. A line with a byte outside ASCII is given as its UTF-8 text instead (`ascii` false).
 */
import { isAscii } from 'node:buffer';

export interface ByteLine {
  /** A range of `bytes` (ASCII) when `text` is null. */
  bytes: Buffer;
  from: number;
  to: number;
  /** The line decoded as UTF-8 when it is not pure ASCII, else null. */
  text: string | null;
  number: number;
}

/** Calls `handle` with each line of the stream, the same object each time (copy what you keep). */
export async function eachByteLine(stream: AsyncIterable<Buffer>, handle: (line: ByteLine) => void): Promise<void> {
  const line: ByteLine = { bytes: Buffer.alloc(0), from: 0, to: 0, text: null, number: 0 };
  let rest: Buffer | null = null;
  const emit = (bytes: Buffer, from: number, to: number, ascii: boolean): void => {
    if (to > from && bytes[to - 1] === 13) to--;
    if (line.number === 0 && to - from >= 3 && bytes[from] === 0xef && bytes[from + 1] === 0xbb && bytes[from + 2] === 0xbf) from += 3;
    line.number++;
    line.bytes = bytes;
    line.from = from;
    line.to = to;
    line.text = ascii || isAscii(bytes.subarray(from, to)) ? null : bytes.toString('utf8', from, to);
    handle(line);
  };
  for await (const chunk of stream) {
    let from = 0;
    if (rest !== null) {
      // The line cut at the end of the previous chunk, joined with its end.
      const nl = chunk.indexOf(10);
      if (nl < 0) {
        rest = Buffer.concat([rest, chunk]);
        continue;
      }
      const joined: Buffer = Buffer.concat([rest, chunk.subarray(0, nl)]);
      rest = null;
      emit(joined, 0, joined.length, false);
      from = nl + 1;
    }
    // Whole chunks of ASCII (simdutf) skip the check line by line.
    const ascii = isAscii(chunk.subarray(from));
    for (let nl = chunk.indexOf(10, from); nl !== -1; nl = chunk.indexOf(10, from)) {
      emit(chunk, from, nl, ascii);
      from = nl + 1;
    }
    if (from < chunk.length) rest = Buffer.from(chunk.subarray(from));
  }
  if (rest !== null && rest.length > 0) emit(rest, 0, rest.length, false);
}

/** Whether the ASCII range holds only white space (what `String.prototype.trim` removes). */
export function blankBytes(bytes: Buffer, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const b = bytes[i];
    if (b !== 32 && (b < 9 || b > 13)) return false;
  }
  return true;
}
