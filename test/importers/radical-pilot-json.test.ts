/**
 * The streaming reader of session descriptions (json-members.ts) accepts exactly what JSON.parse
 * accepts and gives the same values, however the bytes are cut into chunks; the reader of small
 * documents (JsonDocumentReader, one JSON.parse) gives the handler the same, and the same errors.
 */
import { describe, expect, it } from 'vitest';
import { JsonDocumentReader, JsonMemberReader, JsonSyntaxError, WHOLE_DOCUMENT_MAX_BYTES, type MemberHandler } from '../../src/importers/radical-pilot/json-members.js';

type Reader = { push(chunk: Buffer): void; end(): ReturnType<JsonMemberReader['end']> };
const streamed = (handler: MemberHandler): Reader => new JsonMemberReader('task', handler);
const wholeIfSmall = (handler: MemberHandler): Reader => new JsonDocumentReader('task', handler);

/** Reads `text` in the given chunks; the object it rebuilds from members and elements (or the value). */
function read(text: string, cuts: number[], reader_ = streamed): unknown {
  const bytes = Buffer.from(text, 'utf8');
  const entries: [string, unknown][] = [];
  const reader = reader_({
    member: (key, value) => entries.push([key, value]),
    arrayStart: (key) => entries.push([key, []]),
    element: (value, index) => {
      const list = entries[entries.length - 1][1] as unknown[];
      expect(index).toBe(list.length);
      list.push(value);
    },
  });
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    if (cut > from) reader.push(bytes.subarray(from, cut));
    from = Math.max(from, cut);
  }
  const outline = reader.end();
  if (outline.kind === 'other') return outline.value;
  const object: Record<string, unknown> = {};
  for (const [key, value] of entries) Object.defineProperty(object, key, { value, enumerable: true, configurable: true, writable: true });
  return object;
}

/** Every way of cutting `text` in two (or every seventh, when `few`), and in one-byte chunks. */
function chunkings(text: string, few: boolean): number[][] {
  const n = Buffer.byteLength(text, 'utf8');
  const ways: number[][] = [[]];
  for (let cut = 1; cut < n; cut += few ? 7 : 1) ways.push([cut]);
  ways.push(Array.from({ length: n }, (_, i) => i + 1));
  return ways;
}

function expectSameAsJsonParse(text: string, few = false, reader = streamed): void {
  let expected: unknown;
  let parseError: unknown = null;
  try {
    expected = JSON.parse(text);
  } catch (error) {
    parseError = error;
  }
  for (const cuts of chunkings(text, few)) {
    if (parseError) {
      expect(() => read(text, cuts, reader), `${JSON.stringify(text)} cut at ${cuts.join(',')}`).toThrow(JsonSyntaxError);
    } else {
      expect(read(text, cuts, reader), `${JSON.stringify(text)} cut at ${cuts.join(',')}`).toEqual(expected);
    }
  }
}

const VALID = [
  '{}',
  ' \r\n\t{ } \n',
  '{"task": []}',
  '{"task":[{}]}',
  '{"session": {"_id": "rp.session.x"}, "pilot": [{"uid": "pilot.0000"}], "task": [{"uid": "task.0000", "description": {"cpu_threads": 4}}, {"uid": "task.0001"}]}',
  '{"task": [1, -2.5e3, true, false, null, "text", [], [[]], {"a": {"b": [1, {"c": "}"}]}}]}',
  '{"task": ["a \\" quote", "a backslash \\\\", "\\\\\\"", "\\u0041\\u00e9\\ud83d\\ude00", "brackets {[}]", "", "\\/"]}',
  '{"t\\u0061sk": [{"uid": "escaped key"}], "x": 1}',
  '{"task": [{"uid": "first"}], "task": [{"uid": "second"}]}',
  '{"task": [{"uid": "a list"}], "task": {"not": "a list"}}',
  '{"task": null, "pilot": []}',
  '{"a": 1, "b": -0, "c": 1e-7, "d": "x", "e": true, "f": null, "g": [1, 2], "h": {"i": {}}}',
  '{"__proto__": {"polluted": true}, "task": [{"__proto__": 1}]}',
  '{"caf\u00e9": "\u2603", "task": [{"name": "\u{1F600} \u00fc"}]}',
  '[1, 2, {"task": []}]',
  '"just a string"',
  '42',
  'null',
];

const INVALID = [
  '',
  '   ',
  '{',
  '{"task": [',
  '{"task": [{"uid": 1}',
  '{"task": [{"uid": 1},',
  '{"task": [{"uid": 1},]}',
  '{"task": [,{"uid": 1}]}',
  '{"task": [{"uid": 1} {"uid": 2}]}',
  '{"task": [{]}]}',
  '{"task": [1 2]}',
  '{"task": [01]}',
  '{"task": ["\\x"]}',
  '{"task": ["unterminated]}',
  '{"task": [tru]}',
  '{"a": 1,}',
  '{,}',
  '{"a" 1}',
  '{"a": }',
  '{a: 1}',
  "{'a': 1}",
  '{"a": 1} x',
  '{"a": 1}}',
  '{"a": 1}{"b": 2}',
  '\ufeff{"a": 1}',
  '{"a": [1,]}',
  '{"a": "line\nbreak"}',
  '{"a": NaN}',
  '[1, 2',
  '{"task": [{"uid": "x"}]',
];

describe('streamed session JSON', () => {
  it('gives what JSON.parse gives, for every way of cutting the bytes', () => {
    for (const text of VALID) expectSameAsJsonParse(text);
  });

  it('refuses what JSON.parse refuses, for every way of cutting the bytes', () => {
    for (const text of INVALID) {
      expect(() => JSON.parse(text), text).toThrow();
      expectSameAsJsonParse(text);
    }
  });

  it('agrees with JSON.parse on random documents and on every one-character damage to them', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
    const space = () => pick(['', '', ' ', '\n  ', '\t', '\r\n']);
    const value = (depth: number): string => {
      const kind = depth > 3 ? pick(['s', 'n', 'l']) : pick(['s', 'n', 'l', 'a', 'o', 'o']);
      if (kind === 's') return JSON.stringify(pick(['', 'x', 'a"b', 'c\\d', '}]', '\u00e9\u2603', '\\"\\', 'é\\\\"']));
      if (kind === 'n') return pick(['0', '-1', '3.25', '1e3', '-0.5E-2']);
      if (kind === 'l') return pick(['true', 'false', 'null']);
      const n = Math.floor(random() * 4);
      const items = Array.from({ length: n }, () => (kind === 'a' ? value(depth + 1) : `${JSON.stringify(pick(['task', 'pilot', 'a', 'b\\"']))}${space()}:${space()}${value(depth + 1)}`));
      return kind === 'a' ? `[${space()}${items.join(`${space()},${space()}`)}${space()}]` : `{${space()}${items.join(`${space()},${space()}`)}${space()}}`;
    };
    const documents: string[] = [];
    // 30 documents damaged at every 4th character (60 at every 3rd passed the 60 s limit beside other test files on a loaded machine).
    for (let d = 0; d < 30; d++) {
      const tasks = Array.from({ length: Math.floor(random() * 4) }, () => value(1));
      documents.push(`${space()}{${space()}"pilot"${space()}:${space()}${value(1)},${space()}"task":${space()}[${tasks.join(',')}]${space()},"x":${value(1)}}${space()}`);
    }
    const damage = '{}[]",:\\ a1';
    for (const text of documents) {
      expectSameAsJsonParse(text);
      for (let at = 0; at < text.length; at += 4) {
        expectSameAsJsonParse(text.slice(0, at) + text.slice(at + 1), true); // a character lost
        expectSameAsJsonParse(text.slice(0, at) + damage[at % damage.length] + text.slice(at), true); // one too many
      }
    }
  });
});

describe('elements parsed together', () => {
  // Elements whole in one chunk are parsed with one JSON.parse per batch (json-members.ts:
  // flushElements); what the handler sees, and which error comes first, must not change.
  const elements = (count: number) => Array.from({ length: count }, (_, k) => ({ uid: `task.${String(k).padStart(6, '0')}`, description: { cpu_processes: k % 7, note: 'x'.repeat(k % 300) } }));
  const documentOf = (items: string[]) => `{"pilot": [{"uid": "pilot.0000"}], "task": [\n${items.join(',\n')}\n], "x": 1}`;

  it('hands over every element in order with its index, in batches cut by count and by bytes, whole or in chunks', () => {
    const items = elements(1000);
    const text = documentOf(items.map((item) => JSON.stringify(item)));
    const expected = JSON.parse(text);
    const size = Buffer.byteLength(text);
    for (const cuts of [[], [size >> 1], Array.from({ length: 50 }, (_, k) => Math.floor(((k + 1) * size) / 51))]) expect(read(text, cuts)).toEqual(expected);
  });

  it('names the first bad element as one at a time did, after handing over the ones before it', () => {
    const items = elements(300).map((item) => JSON.stringify(item));
    items[200] = '{"uid": "task.000200", "description": {"cpu_processes": 01}}';
    items[250] = '{"uid": tru}';
    const text = documentOf(items);
    const at = Buffer.byteLength(text.slice(0, text.indexOf(items[200])));
    let expectedMessage = '';
    try {
      JSON.parse(items[200]);
    } catch (error) {
      expectedMessage = `${(error as Error).message}, in the value at byte ${at}`;
    }
    const seen: number[] = [];
    const reader = new JsonMemberReader('task', { member: () => {}, arrayStart: () => {}, element: (_value, index) => seen.push(index) });
    expect(() => reader.push(Buffer.from(text))).toThrow(new JsonSyntaxError(expectedMessage));
    expect(seen).toEqual(Array.from({ length: 200 }, (_, k) => k));
  });

  it("lets the handler's own refusal of an element come before a later element's bad JSON", () => {
    const items = elements(100).map((item) => JSON.stringify(item));
    items[60] = '{"uid": }';
    const reader = new JsonMemberReader('task', {
      member: () => {},
      arrayStart: () => {},
      element: (_value, index) => {
        if (index === 40) throw new Error('element 40 refused');
      },
    });
    expect(() => reader.push(Buffer.from(documentOf(items)))).toThrow('element 40 refused');
  });

  it('hands over the elements before a fault in the outline, then names the fault', () => {
    const items = elements(50).map((item) => JSON.stringify(item));
    const text = documentOf(items).replace(`${items[30]},`, `${items[30]} `);
    const seen: number[] = [];
    const reader = new JsonMemberReader('task', { member: () => {}, arrayStart: () => {}, element: (_value, index) => seen.push(index) });
    expect(() => reader.push(Buffer.from(text))).toThrow(/"," or "\]" after element 30 of "task"/);
    expect(seen).toEqual(Array.from({ length: 31 }, (_, k) => k));
  });
});

describe('small documents read whole (JsonDocumentReader)', () => {
  /** The message the streaming reader gives for `text` whole, or null when it reads it. */
  const streamedError = (text: string): string | null => {
    try {
      read(text, []);
      return null;
    } catch (error) {
      return (error as Error).message;
    }
  };

  it('gives the handler what the streaming reader gives it, however the bytes come', () => {
    for (const text of VALID) expectSameAsJsonParse(text, true, wholeIfSmall);
  });

  it('refuses what JSON.parse refuses with the streaming reader\'s own message', () => {
    for (const text of INVALID) {
      const message = streamedError(text);
      expect(message, text).not.toBeNull();
      for (const cuts of chunkings(text, true)) expect(() => read(text, cuts, wholeIfSmall), text).toThrow(new JsonSyntaxError(message!));
    }
  });

  it('calls the handler only at the end, and not at all for a document JSON.parse refuses', () => {
    const calls: string[] = [];
    const reader = new JsonDocumentReader('task', { member: (key) => calls.push(`member ${key}`), arrayStart: () => calls.push('list'), element: (_value, index) => calls.push(`element ${index}`) });
    reader.push(Buffer.from('{"pilot": [], "task": [{"uid": "a"}, {"uid": "b"}], "x": 1}'));
    expect(calls).toEqual([]);
    expect(reader.end()).toEqual({ kind: 'object' });
    expect(calls).toEqual(['member pilot', 'list', 'element 0', 'element 1', 'member x']);

    const refused: string[] = [];
    const bad = new JsonDocumentReader('task', { member: (key) => refused.push(key), arrayStart: () => refused.push('list'), element: () => refused.push('element') });
    bad.push(Buffer.from('{"pilot": [], "task": [{"uid": "a"} {"uid": "b"}]}'));
    // The streaming reader, given the refused document, hands over what precedes the fault and names it.
    expect(() => bad.end()).toThrow(/after element 0 of "task"/);
    expect(refused).toEqual(['pilot', 'list', 'element']);
  });

  it('streams a document larger than WHOLE_DOCUMENT_MAX_BYTES: elements handed over as they come, a fault named before the end', () => {
    const element = JSON.stringify({ uid: 'task.000000', description: { note: 'x'.repeat(1000) } });
    const count = Math.ceil(WHOLE_DOCUMENT_MAX_BYTES / element.length) + 10;
    const text = `{"task": [${Array(count).fill(element).join(',')}]}`;
    const seen: number[] = [];
    const reader = new JsonDocumentReader('task', { member: () => {}, arrayStart: () => {}, element: (_value, index) => seen.push(index) });
    const bytes = Buffer.from(text);
    const chunk = 1 << 20;
    for (let at = 0; at < bytes.length; at += chunk) reader.push(bytes.subarray(at, at + chunk));
    expect(seen.length).toBeGreaterThan(count - 200); // handed over while pushed, not at the end
    expect(reader.end()).toEqual({ kind: 'object' });
    expect(seen).toEqual(Array.from({ length: count }, (_, k) => k));

    const faulty = Buffer.from(`${text.slice(0, -2)} 1]}`); // a missing comma before the last element
    const refusing = new JsonDocumentReader('task', { member: () => {}, arrayStart: () => {}, element: () => {} });
    expect(() => {
      for (let at = 0; at < faulty.length; at += chunk) refusing.push(faulty.subarray(at, at + chunk));
    }).toThrow(new RegExp(`after element ${count - 1} of "task"`));
  });
});
