/**
 * Reading a JSON object member by member, and one array member of it element by element, from a
 * byte stream: a RADICAL-Pilot session description of a million tasks is one JSON document of
 * hundreds of megabytes (a real session's tasks take 2 to 5 kB each), which `JSON.parse` would
 * hold whole, twice (text and objects).
 *
 * Only the outline is scanned here: the top-level object's keys, commas and colons, the streamed
 * array's brackets and commas, and where each value ends (strings skipped, brackets
 * counted). Each value itself, a task or a member such as `pilot`, is handed to `JSON.parse`, which
 * builds it natively and checks its syntax (the elements that lie whole in one chunk, a batch of them
 * at a time). The outline between values is checked strictly, so a
 * document is accepted exactly when `JSON.parse` would accept it, and gives the same values (a
 * repeated key: its last value wins, as in `JSON.parse`).
 *
 * Why not a streaming parser from npm: measured on a 10^6-task description (225 MB) and on real
 * Summit task objects, stream-json 3.8 reads 8 MB/s, @streamparser/json 13-57 MB/s and jsonparse
 * 24 MB/s, as they build every value token by token in JavaScript; this outline scan with
 * `JSON.parse` per value is several times faster (see docs/benchmark.md).
 */

export class JsonSyntaxError extends Error {}

export interface MemberHandler {
  /** A top-level member (other than an array under the streamed key), parsed. */
  member(key: string, value: unknown): void;
  /** The streamed key's array begins (again, if the key repeats: its earlier elements are void). */
  arrayStart(key: string): void;
  /** One element of the streamed array, parsed; `index` counts from 0. */
  element(value: unknown, index: number): void;
}

/** What the document turned out to be. A top-level value that is not an object is parsed whole. */
export type JsonOutline = { kind: 'object' } | { kind: 'other'; value: unknown };

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** Bytes that matter outside strings: 1 a quote, 2 an opening bracket, 3 a closing one. */
const KIND_QUOTE = 1;
const KIND_OPEN = 2;
const BYTE_KIND = new Uint8Array(256);
BYTE_KIND[QUOTE] = KIND_QUOTE;
BYTE_KIND[OPEN_BRACE] = KIND_OPEN;
BYTE_KIND[OPEN_BRACKET] = KIND_OPEN;
BYTE_KIND[CLOSE_BRACE] = 3;
BYTE_KIND[CLOSE_BRACKET] = 3;

/** Elements parsed together (flushElements): at most so many, and their bytes about so many. */
const BATCH_ELEMENTS = 128;
const BATCH_BYTES = 32 * 1024;

const isSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

const enum At {
  Start,
  /** `{` read: a key or `}`. */
  FirstKey,
  /** `,` read in the object: a key. */
  Key,
  Colon,
  Value,
  AfterValue,
  /** `[` of the streamed array read: an element or `]`. */
  FirstElement,
  /** `,` read in the array: an element. */
  Element,
  AfterElement,
  End,
  /** Not an object: the whole text is collected and parsed at the end. */
  Whole,
}

/** What a value being captured is, while it spans chunks. */
const enum Capture {
  None,
  Key,
  Member,
  Element,
}

export class JsonMemberReader {
  private at = At.Start;
  private capture = Capture.None;
  /** Bytes of the value being captured, from earlier chunks. */
  private pieces: Buffer[] = [];
  private piecesLength = 0;
  /** Scanner state inside the value being captured. */
  private depth = 0;
  private inString = false;
  /** The previous chunk ended inside a string on a backslash. */
  private escaped = false;
  /** The value is a number or literal (ends at a delimiter, not at a bracket or quote). */
  private primitive = false;
  private key = '';
  private elementIndex = 0;
  /** Bytes of the document before the current chunk, for error positions. */
  private offset = 0;
  /** Elements scanned in the current chunk and not yet parsed: their start and end, pair after pair (flushElements). */
  private readonly batch = new Int32Array(2 * BATCH_ELEMENTS);
  private batchCount = 0;
  private batchChunk: Buffer | null = null;
  /** The index of the first element in `batch`. */
  private batchIndex = 0;

  constructor(
    private readonly streamedKey: string,
    private readonly handler: MemberHandler,
  ) {}

  /** Reads the next chunk of the document. */
  push(chunk: Buffer): void {
    let i = 0;
    const n = chunk.length;
    if (this.at === At.Whole) {
      this.keep(chunk);
      this.offset += n;
      return;
    }
    while (i < n) {
      if (this.capture !== Capture.None) {
        const end = this.scanValue(chunk, i);
        if (end === -1) {
          this.keep(i === 0 ? chunk : chunk.subarray(i));
          break;
        }
        this.finishValue(chunk, i, end);
        i = end;
        continue;
      }
      const c = chunk[i];
      if (isSpace(c)) {
        i++;
        continue;
      }
      switch (this.at) {
        case At.Start:
          if (c !== OPEN_BRACE) {
            this.at = At.Whole;
            this.keep(chunk.subarray(i));
            i = n;
            break;
          }
          this.at = At.FirstKey;
          i++;
          break;
        case At.FirstKey:
        case At.Key:
          if (c === CLOSE_BRACE && this.at === At.FirstKey) {
            this.at = At.End;
            i++;
          } else if (c === QUOTE) {
            i = this.startValue(Capture.Key, chunk, i);
          } else {
            this.fail(i, 'a member name in double quotes');
          }
          break;
        case At.Colon:
          if (c !== COLON) this.fail(i, '":" after a member name');
          this.at = At.Value;
          i++;
          break;
        case At.Value:
          if (c === OPEN_BRACKET && this.key === this.streamedKey) {
            this.handler.arrayStart(this.key);
            this.elementIndex = 0;
            this.at = At.FirstElement;
            i++;
          } else {
            i = this.startValue(Capture.Member, chunk, i);
          }
          break;
        case At.AfterValue:
          if (c === COMMA) this.at = At.Key;
          else if (c === CLOSE_BRACE) this.at = At.End;
          else this.fail(i, '"," or "}" after a member');
          i++;
          break;
        case At.FirstElement:
          if (c === CLOSE_BRACKET) {
            this.at = At.AfterValue;
            i++;
          } else {
            i = this.startValue(Capture.Element, chunk, i);
          }
          break;
        case At.Element:
          i = this.startValue(Capture.Element, chunk, i);
          break;
        case At.AfterElement:
          if (c === COMMA) this.at = At.Element;
          else if (c === CLOSE_BRACKET) this.at = At.AfterValue;
          else this.fail(i, `"," or "]" after element ${this.elementIndex - 1} of "${this.streamedKey}"`);
          i++;
          break;
        case At.End:
          this.fail(i, 'nothing after the top-level object');
      }
    }
    this.flushElements(); // the chunk's memory may be reused once it is read
    this.offset += n;
  }

  /** The document is complete: says what it was; throws if it was cut short. */
  end(): JsonOutline {
    this.flushElements();
    if (this.at === At.Whole) {
      const text = Buffer.concat(this.pieces, this.piecesLength).toString('utf8');
      this.pieces = [];
      return { kind: 'other', value: parse(text, this.offset - this.piecesLength) };
    }
    if (this.at === At.Start) throw new JsonSyntaxError('Unexpected end of JSON input (the file is empty)');
    if (this.at !== At.End || this.capture !== Capture.None) {
      throw new JsonSyntaxError(`Unexpected end of JSON input at byte ${this.offset}: the document is cut short`);
    }
    return { kind: 'object' };
  }

  private startValue(kind: Capture, chunk: Buffer, i: number): number {
    this.capture = kind;
    this.pieces = [];
    this.piecesLength = 0;
    const c = chunk[i];
    this.primitive = c !== QUOTE && c !== OPEN_BRACE && c !== OPEN_BRACKET;
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
    if (kind === Capture.Key && c !== QUOTE) this.fail(i, 'a member name in double quotes');
    this.valueStart = this.offset + i;
    return i; // scanValue reads from the value's first byte
  }

  private valueStart = 0;

  /**
   * Scans the value being captured from `from`; returns the index just past its end in `chunk`,
   * or -1 when it goes on in the next chunk. Plain loops over the bytes, with a table for the few
   * that matter outside strings: most strings in a task are short, and a native `indexOf` per string
   * costs more than looking at their bytes (measured: 0.3 s for 225 MB, against 0.45-0.65 s).
   */
  private scanValue(chunk: Buffer, from: number): number {
    const n = chunk.length;
    let i = from;
    if (this.primitive) {
      for (; i < n; i++) {
        const c = chunk[i];
        if (c === COMMA || c === CLOSE_BRACE || c === CLOSE_BRACKET || isSpace(c)) return i;
      }
      return -1;
    }
    let depth = this.depth;
    let inString = this.inString;
    outer: while (i < n) {
      if (inString) {
        if (this.escaped) {
          this.escaped = false;
          i++; // the byte after a backslash that ended the previous chunk
        }
        for (; i < n; i++) {
          const c = chunk[i];
          if (c === QUOTE) break;
          if (c === BACKSLASH) {
            if (i + 1 === n) {
              this.escaped = true;
              i = n;
              break;
            }
            i++;
          }
        }
        if (i >= n) break; // the string goes on in the next chunk
        inString = false;
        i++;
        if (depth === 0) return this.scanned(0, false, i); // a string value
        continue;
      }
      for (; i < n; i++) {
        const kind = BYTE_KIND[chunk[i]];
        if (kind === 0) continue;
        if (kind === KIND_QUOTE) {
          inString = true;
          i++;
          continue outer;
        }
        if (kind === KIND_OPEN) depth++;
        else if (--depth === 0) return this.scanned(0, false, i + 1);
      }
    }
    return this.scanned(depth, inString, -1);
  }

  private scanned(depth: number, inString: boolean, result: number): number {
    this.depth = depth;
    this.inString = inString;
    return result;
  }

  private finishValue(chunk: Buffer, from: number, end: number): void {
    if (this.capture === Capture.Element && this.piecesLength === 0) {
      this.capture = Capture.None;
      this.at = At.AfterElement;
      this.queueElement(chunk, from, end);
      return;
    }
    this.flushElements(); // what came before this value is handled before it
    let bytes: Buffer;
    if (this.piecesLength === 0) {
      bytes = chunk.subarray(from, end);
    } else {
      this.keep(chunk.subarray(from, end));
      bytes = Buffer.concat(this.pieces, this.piecesLength);
    }
    this.pieces = [];
    this.piecesLength = 0;
    const kind = this.capture;
    this.capture = Capture.None;
    const value = parse(bytes.toString('utf8'), this.valueStart);
    switch (kind) {
      case Capture.Key:
        this.key = value as string;
        this.at = At.Colon;
        break;
      case Capture.Member:
        this.handler.member(this.key, value);
        this.at = At.AfterValue;
        break;
      case Capture.Element:
        this.handler.element(value, this.elementIndex++);
        this.at = At.AfterElement;
        break;
    }
  }

  /** An element whole in this chunk, kept to be parsed with the ones after it. */
  private queueElement(chunk: Buffer, from: number, end: number): void {
    if (this.batchCount === 0) {
      this.batchChunk = chunk;
      this.batchIndex = this.elementIndex;
    }
    const k = 2 * this.batchCount++;
    this.batch[k] = from;
    this.batch[k + 1] = end;
    this.elementIndex++;
    if (this.batchCount === BATCH_ELEMENTS || end - this.batch[0] >= BATCH_BYTES) this.flushElements();
  }

  /**
   * Parses the queued elements with one `JSON.parse` of them as an array (the bytes between them are
   * commas and white space, checked by the scan) and hands them over in order. A million elements
   * took 0.48 to 0.55 s so, against 0.78 to 0.87 s one string and one `JSON.parse` each. When the
   * array does not parse, the elements are parsed and handed over one by one, as before, so that the
   * first bad one is named and the ones before it are handed over first.
   */
  private flushElements(): void {
    const count = this.batchCount;
    if (count === 0) return;
    this.batchCount = 0;
    const chunk = this.batchChunk!;
    this.batchChunk = null;
    const bounds = this.batch;
    let values: unknown[] | null = null;
    if (count > 1) {
      try {
        values = JSON.parse(`[${chunk.toString('utf8', bounds[0], bounds[2 * count - 1])}]`) as unknown[];
      } catch {
        values = null;
      }
    }
    for (let k = 0; k < count; k++) {
      const value = values ? values[k] : parse(chunk.toString('utf8', bounds[2 * k], bounds[2 * k + 1]), this.offset + bounds[2 * k]);
      this.handler.element(value, this.batchIndex + k);
    }
  }

  private keep(bytes: Buffer): void {
    // A copy: the chunk's memory may be reused by the stream that lent it.
    const copy = Buffer.from(bytes);
    this.pieces.push(copy);
    this.piecesLength += copy.length;
  }

  private fail(i: number, expected: string): never {
    this.flushElements(); // an element before the fault fails first, as when each was parsed on its own
    throw new JsonSyntaxError(`expected ${expected} at byte ${this.offset + i}`);
  }
}

/** Documents up to this size are read whole by JsonDocumentReader, larger ones streamed. */
export const WHOLE_DOCUMENT_MAX_BYTES = 8 * 1024 * 1024;

/**
 * A JsonMemberReader that reads a small document whole: its chunks are held, and at the end one
 * native `JSON.parse` of them all replaces the outline scan, which a fresh process runs in V8's
 * interpreter before it has compiled it (the DeepDriveMD session's 3.3 MB description: 30 to 40 ms
 * scanned, 9 to 13 ms parsed whole, from the command line; issue 16). The handler sees what the
 * scan would leave it: the members in the object's order (JSON.parse's: integer-like keys first)
 * and, for a repeated key, its last value only, which is all a handler keeps of it anyway. A
 * document that JSON.parse refuses, or one that grows past WHOLE_DOCUMENT_MAX_BYTES, goes through
 * the scan, which says where and why in its own words.
 */
export class JsonDocumentReader {
  private readonly reader: JsonMemberReader;
  /** Copies of the chunks while the document may still be read whole; null once streaming. */
  private held: Buffer[] | null = [];
  private heldBytes = 0;

  constructor(
    private readonly streamedKey: string,
    private readonly handler: MemberHandler,
  ) {
    this.reader = new JsonMemberReader(streamedKey, handler);
  }

  /** As JsonMemberReader.push (which throws only once the document is streamed). */
  push(chunk: Buffer): void {
    if (this.held === null) {
      this.reader.push(chunk);
      return;
    }
    this.held.push(Buffer.from(chunk)); // a copy: the stream that lent the chunk may reuse its memory
    this.heldBytes += chunk.length;
    if (this.heldBytes > WHOLE_DOCUMENT_MAX_BYTES) {
      const held = this.held;
      this.held = null;
      for (const piece of held) this.reader.push(piece);
    }
  }

  /** As JsonMemberReader.end. */
  end(): JsonOutline {
    if (this.held !== null) {
      const whole = Buffer.concat(this.held, this.heldBytes);
      this.held = null;
      const outline = readWhole(whole, this.streamedKey, this.handler);
      if (outline !== null) return outline;
      this.reader.push(whole);
    }
    return this.reader.end();
  }
}

/** The document parsed whole, its members handed to `handler`; null (and no call) if JSON.parse refuses it. */
function readWhole(bytes: Buffer, streamedKey: string, handler: MemberHandler): JsonOutline | null {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { kind: 'other', value };
  for (const [key, member] of Object.entries(value)) {
    if (key === streamedKey && Array.isArray(member)) {
      handler.arrayStart(key);
      for (let index = 0; index < member.length; index++) handler.element(member[index], index);
    } else {
      handler.member(key, member);
    }
  }
  return { kind: 'object' };
}

function parse(text: string, at: number): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new JsonSyntaxError(`${(error as Error).message}, in the value at byte ${at}`);
  }
}
