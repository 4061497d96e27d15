/**
 * Text from traces made safe for a terminal. Task types, run ids, labels, rule names and file
 * names come from untrusted input: a raw ESC can set the terminal's title or colours, a newline
 * breaks a table's columns, a bidirectional override reverses what is read. Such characters are
 * shown escaped, as a programmer would write them, so nothing is hidden and nothing acts.
 * JSON output stays exact: only human-readable text goes through here.
 */

/** C0 controls, DEL, C1 controls; the bidirectional embeddings, overrides and isolates. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
/**
 * What a document (the HTML report) must not hold raw: UNSAFE without tab, line feed and carriage
 * return, which its own markup uses as white space; with the BMP noncharacters, which HTML forbids too.
 */
const UNSAFE_IN_DOCUMENT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\ufdd0-\ufdef\ufffe\uffff]/g;

/** One line of text safe to print: control characters escaped (`\n`, `\x1b`, `\u202e`), lone surrogates U+FFFD. */
export function printable(text: string): string {
  return text.replace(UNSAFE, escapeCharacter).replace(LONE_SURROGATE, '\ufffd');
}

/**
 * A whole document safe to write (the HTML report): every control character but tab, line feed and
 * carriage return escaped as `printable` escapes it, so that a name reads the same in the report as
 * on the terminal (`bad\x00name`); lone surrogates U+FFFD. Line breaks and indentation stay.
 */
export function printableDocument(text: string): string {
  return text.replace(UNSAFE_IN_DOCUMENT, escapeCharacter).replace(LONE_SURROGATE, '\ufffd');
}

/** The bold on and off that `emphasize` (text/terminal.ts) writes: the only escapes asyncscope itself prints. */
const OWN_STYLE = /(\u001b\[(?:1|22)m)/;

/**
 * Lines of text safe to print: each line as `printable` makes it, the line breaks and asyncscope's
 * own bold kept. What every command prints to the terminal goes through here (BaseCommand.print).
 */
export function printableLines(text: string): string {
  return text
    .split('\n')
    .map((line) =>
      line
        .split(OWN_STYLE)
        .map((part, i) => (i % 2 === 1 ? part : printable(part)))
        .join(''),
    )
    .join('\n');
}

function escapeCharacter(c: string): string {
  const code = c.charCodeAt(0);
  return NAMED[c] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`);
}
