/**
 * Reading the events of a Chrome trace one at a time, without holding the file in one string.
 *
 * A trace is either a JSON array of events (`[{...}, {...}]`, whose closing `]` may be missing:
 * the format allows a trace cut short) or an object whose `traceEvents` array holds them
 * (`{"traceEvents": [...], "otherData": {...}}`). Profilers write traces of hundreds of MB, more
 * than one JavaScript string can hold, so the scanner walks the text as it arrives, keeping only
 * its nesting depth and whether it is inside a string, and hands each event object to JSON.parse
 * on its own. Of the other top-level keys only `otherData` (small, free-form metadata) is kept.
 */
import { TraceError } from '../../errors.js';
import { jsonSyntaxError } from '../common/json-errors.js';

const KEPT_KEYS = new Set(['otherData']);
/** A kept top-level value larger than this is dropped rather than held in memory. */
const MAX_KEPT_CHARS = 16 * 1024 * 1024;

const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const COLON = 58;
const NEWLINE = 10;

export interface TraceEnvelope {
  /** `otherData` of the object form, when present. */
  otherData?: unknown;
  /** The file ended inside an event, which was dropped. */
  cutInEvent: boolean;
}

type Capture = 'event' | 'key' | 'value' | null;

/**
 * Feed it the text of a trace in pieces; it calls `onEvent` with each parsed event and the line
 * it starts on. `end()` checks that the trace was complete enough.
 */
export class TraceEventScanner {
  readonly envelope: TraceEnvelope = { cutInEvent: false };
  private form: 'unknown' | 'array' | 'object' | 'done' = 'unknown';
  private depth = 0;
  private inString = false;
  private escaped = false;
  private line = 1;
  /** Depth of the events array's elements' container (1: bare array, 2: traceEvents), 0 while not inside it. */
  private eventsDepth = 0;
  private sawEvents = false;
  // The top-level object: which key we are in, and whether we expect a key, a colon or a value.
  private objectState: 'key' | 'colon' | 'value' | 'inValue' = 'key';
  private key = '';
  private capture: Capture = null;
  private captured = '';
  private captureFrom = 0;
  private captureLine = 0;
  private keepValue = false;

  /**
   * `words` names the document and its elements in messages, for other JSON lists of records read
   * the same way (a Dask task stream).
   */
  constructor(
    private readonly file: string,
    private readonly onEvent: (event: unknown, line: number) => void,
    private readonly words: { document: string; item: string } = { document: 'a Chrome trace', item: 'event' },
  ) {}

  feed(text: string): void {
    const n = text.length;
    this.captureFrom = 0;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === NEWLINE) {
        this.line++;
        continue;
      }
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === BACKSLASH) this.escaped = true;
        else if (c === QUOTE) {
          this.inString = false;
          if (this.capture === 'key') this.endKey(text, i);
        }
        continue;
      }
      if (c === 32 || c === 9 || c === 13) continue;
      switch (this.form) {
        case 'unknown':
          if (c === OPEN_BRACKET) {
            this.form = 'array';
            this.eventsDepth = 1;
            this.sawEvents = true;
          } else if (c === OPEN_BRACE) {
            this.form = 'object';
            this.objectState = 'key';
          } else {
            this.fail(`${this.words.document} is a JSON array or object, not text starting with ${JSON.stringify(text[i])}`);
          }
          this.depth = 1;
          continue;
        case 'done':
          this.fail('unexpected text after the end of the trace');
      }
      if (this.form === 'object' && this.depth === 1) {
        this.topLevelObject(text, i, c);
        continue;
      }
      if (this.depth === this.eventsDepth && this.capture === null) {
        // Between events: a comma, the next event, or the end of the array.
        if (c === OPEN_BRACE) {
          this.startCapture('event', text, i);
          this.depth++;
        } else if (c === CLOSE_BRACKET) {
          this.depth--;
          this.closeEvents();
        } else if (c !== COMMA) {
          this.fail(`expected ${/^[aeiou]/.test(this.words.item) ? 'an' : 'a'} ${this.words.item} object in the ${this.words.item} array, found ${JSON.stringify(text[i])}`);
        }
        continue;
      }
      if (c === QUOTE) {
        this.inString = true;
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        this.depth++;
      } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        this.depth--;
        if (this.capture === 'event' && this.depth === this.eventsDepth) this.endEvent(text, i);
      }
    }
    if (this.capture !== null) this.captured += text.slice(this.captureFrom);
    if (this.capture === 'value' && this.captured.length > MAX_KEPT_CHARS) this.keepValue = false;
    if (!this.keepValue && this.capture === 'value') this.captured = '';
  }

  /** Checks the end of the input; a missing `]` (or `]}`) after the last complete event is allowed. */
  end(): void {
    if (this.form === 'unknown') this.fail('the file is empty');
    if (this.form === 'done') return;
    if (this.eventsDepth > 0) {
      if (this.capture === 'event' || this.inString || this.depth > this.eventsDepth) this.envelope.cutInEvent = true;
      return;
    }
    if (!this.sawEvents) this.fail('the file ends before the trace object closes');
  }

  get hasEvents(): boolean {
    return this.sawEvents;
  }

  private topLevelObject(text: string, i: number, c: number): void {
    switch (this.objectState) {
      case 'key':
        if (c === QUOTE) {
          this.inString = true;
          this.startCapture('key', text, i);
        } else if (c === CLOSE_BRACE) {
          this.depth = 0;
          this.form = 'done';
        } else if (c !== COMMA) {
          this.fail(`expected a key in the trace object, found ${JSON.stringify(text[i])}`);
        }
        return;
      case 'colon':
        if (c !== COLON) this.fail(`expected ":" after the key ${JSON.stringify(this.key)}`);
        this.objectState = 'value';
        return;
      case 'value':
        this.objectState = 'inValue';
        if (this.key === 'traceEvents') {
          if (c !== OPEN_BRACKET) this.fail('"traceEvents" is not a list');
          this.eventsDepth = 2;
          this.sawEvents = true;
          this.depth = 2;
          return;
        }
        this.keepValue = KEPT_KEYS.has(this.key);
        this.startCapture('value', text, i);
        this.inValue(text, i, c);
        return;
      case 'inValue':
        this.inValue(text, i, c);
    }
  }

  /** A character of a top-level value other than traceEvents, at depth 1 of the trace object. */
  private inValue(text: string, i: number, c: number): void {
    if (c === COMMA || c === CLOSE_BRACE) {
      if (this.capture === 'value') this.endValue(text, i);
      this.objectState = 'key';
      if (c === CLOSE_BRACE) {
        this.depth = 0;
        this.form = 'done';
      }
      return;
    }
    if (c === QUOTE) this.inString = true;
    else if (c === OPEN_BRACE || c === OPEN_BRACKET) this.depth++;
  }

  private startCapture(kind: Capture, text: string, i: number): void {
    this.capture = kind;
    this.captured = '';
    this.captureFrom = i;
    this.captureLine = this.line;
  }

  private take(text: string, endInclusive: number): string {
    const whole = this.captured + text.slice(this.captureFrom, endInclusive + 1);
    this.capture = null;
    this.captured = '';
    return whole;
  }

  private endKey(text: string, i: number): void {
    this.key = JSON.parse(this.take(text, i)) as string;
    this.objectState = 'colon';
  }

  private endValue(text: string, i: number): void {
    const raw = this.take(text, i - 1).trim();
    if (this.keepValue && raw.length <= MAX_KEPT_CHARS) {
      try {
        if (this.key === 'otherData') this.envelope.otherData = JSON.parse(raw);
      } catch {
        // otherData is informative only: a malformed one is ignored.
      }
    }
    this.keepValue = false;
  }

  private endEvent(text: string, i: number): void {
    const line = this.captureLine;
    const raw = this.take(text, i);
    let event: unknown;
    try {
      event = JSON.parse(raw);
    } catch (error) {
      throw new TraceError(this.file, `not valid JSON in this ${this.words.item} (${jsonSyntaxError(error as Error).reason})`, line);
    }
    this.onEvent(event, line);
  }

  /** The event array closed: in the array form the trace is done; in the object form, back to its keys. */
  private closeEvents(): void {
    if (this.form === 'array') {
      this.form = 'done';
    } else {
      this.eventsDepth = 0;
      this.objectState = 'inValue';
    }
  }

  private fail(reason: string): never {
    throw new TraceError(this.file, reason, this.line);
  }
}
