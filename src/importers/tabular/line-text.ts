/**
 * Bytes to text in pieces of whole lines of at most about PIECE_BYTES each, for the CSV parser.
 *
 * papaparse keeps the unfinished last line of a chunk and prepends it to the next chunk: with
 * chunks that end mid-line, every chunk becomes a concatenated string that its first `indexOf`
 * copies into a flat one. With the file's 1 MB reads that was two fresh megabyte strings per
 * megabyte of CSV (the decoded chunk and its flattened copy), allocated outside the young
 * generation: page faults and garbage collection in the parser thread, a fifth of its time at 10^6
 * rows (profiled). Pieces that end at a line break leave papaparse nothing to prepend, and pieces
 * of 64 kB are young-generation strings whose rows die before the next collection.
 *
 * The text is the same as `utf8Text` gives (common/streams.ts): ASCII pieces decoded as Latin-1,
 * the others by one streaming UTF-8 decoder. A piece never splits a character (a line break byte
 * is never part of a multi-byte sequence), so the pieces decode as the whole would. A quoted field
 * may hold line breaks: a piece may then end inside a row, which papaparse handles as before.
 */
import { isAscii } from 'node:buffer';
import { Transform } from 'node:stream';

const PIECE_BYTES = 64 * 1024;
const LF = 10;

/** Empty text is not passed on (a piece of only part of a character). */
function push(stream: Transform, text: string): void {
  if (text.length > 0) stream.push(text);
}

export function lineText(pieceBytes = PIECE_BYTES): Transform {
  /** Bytes after the last line break seen: the start of a line that continues in the next chunk. */
  let tail: Buffer | null = null;
  let decoder: InstanceType<typeof TextDecoder> | null = null;
  let pieces = 0;
  const decode = (bytes: Buffer): string => {
    pieces++;
    if (decoder === null && isAscii(bytes)) return bytes.toString('latin1');
    // Only the very first bytes of the stream may lose a byte order mark, as one decoder of the whole would do.
    decoder ??= new TextDecoder('utf-8', { ignoreBOM: pieces > 1 });
    return decoder.decode(bytes, { stream: true });
  };
  return new Transform({
    readableObjectMode: true,
    transform(chunk: Buffer, _encoding, callback) {
      let at = 0;
      if (tail !== null) {
        const firstBreak = chunk.indexOf(LF);
        if (firstBreak === -1) {
          tail = Buffer.concat([tail, chunk]);
          callback();
          return;
        }
        // The line that spans two chunks: a small copy of its two parts.
        push(this, decode(Buffer.concat([tail, chunk.subarray(0, firstBreak + 1)])));
        tail = null;
        at = firstBreak + 1;
      }
      while (at < chunk.length) {
        const limit = at + pieceBytes;
        let end = limit >= chunk.length ? chunk.length : chunk.lastIndexOf(LF, limit - 1) + 1;
        if (end === chunk.length && chunk[end - 1] !== LF) end = chunk.lastIndexOf(LF) + 1; // the chunk's last line may go on
        if (end <= at) end = limit < chunk.length ? chunk.indexOf(LF, limit) + 1 : 0; // a line longer than a piece
        if (end <= at) {
          tail = Buffer.from(chunk.subarray(at)); // copied: the chunk itself can go
          break;
        }
        push(this, decode(chunk.subarray(at, end)));
        at = end;
      }
      callback();
    },
    flush(callback) {
      if (tail !== null) push(this, decode(tail));
      push(this, decoder?.decode() ?? '');
      callback();
    },
  });
}
