/**
 * printable: what trace text may become on a terminal. Control characters and bidirectional
 * overrides are shown escaped, never acted on; ordinary Unicode is kept.
 */
import { describe, expect, it } from 'vitest';
import { printable, printableDocument, printableLines } from '../../src/text/printable.js';
import { renderFields, renderTable } from '../../src/text/table.js';

const HOSTILE = '\u001b[31mRED\u001b]0;pwned\u0007';

describe('printable', () => {
  it('escapes terminal escapes, line breaks, C1 controls and bidi overrides, as a programmer writes them', () => {
    expect(printable(HOSTILE)).toBe('\\x1b[31mRED\\x1b]0;pwned\\x07');
    expect(printable('a\nb\r\tc\u007f\u0085\u009b')).toBe('a\\nb\\r\\tc\\x7f\\x85\\x9b');
    expect(printable('abc\u202eevil\u2066')).toBe('abc\\u202eevil\\u2066');
  });

  it('keeps ordinary text and Unicode, and turns lone surrogates into U+FFFD', () => {
    expect(printable('é 🚀 日本 a<b> "q" 100%')).toBe('é 🚀 日本 a<b> "q" 100%');
    expect(printable('x\ud800y')).toBe('x\ufffdy');
  });

  it('keeps the line breaks and asyncscope\'s own bold in multi-line text, nothing else', () => {
    expect(printableLines(`one\n\u001b[1mtwo\u001b[22m ${HOSTILE}\n`)).toBe(`one\n\u001b[1mtwo\u001b[22m \\x1b[31mRED\\x1b]0;pwned\\x07\n`);
  });
});

describe('printableDocument', () => {
  it('escapes what an HTML document must not hold raw, as printable does, and keeps its white space', () => {
    expect(printableDocument(`<p>\n\tbad\u0000name${HOSTILE}\r\n</p>`)).toBe('<p>\n\tbad\\x00name\\x1b[31mRED\\x1b]0;pwned\\x07\r\n</p>');
    expect(printableDocument('\u000b\u000c\u007f\u0085\u009f\u202e\ufdd0\uffff x\ud800')).toBe('\\x0b\\x0c\\x7f\\x85\\x9f\\u202e\\ufdd0\\uffff x\ufffd');
    expect(printableDocument('é 🚀 日本 &amp; "q"')).toBe('é 🚀 日本 &amp; "q"');
  });
});

describe('tables escape every cell, so no command can forget', () => {
  it('keeps a row on one line and its columns aligned whatever a name holds', () => {
    const table = renderTable(['TYPE', 'TASKS'], [[HOSTILE, 1], ['two\nlines', 22]]);
    const lines = table.split('\n');
    expect(lines).toHaveLength(3);
    expect(table).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/); // line breaks only between rows
    expect(lines[1]).toMatch(/^\\x1b\[31mRED\\x1b\]0;pwned\\x07 +1$/);
    expect(lines[2].indexOf('22') + 2).toBe(lines[1].length); // the numbers still align on the right
    expect(renderFields([['label', 'a\u001b]0;x\u0007b']])).toBe('label: a\\x1b]0;x\\x07b');
  });
});
