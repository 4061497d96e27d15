/**
 * Text safe to print on one line: control characters (line breaks, terminal escapes) become a
 * space and lone surrogates U+FFFD. Rule, run and group names can come from untrusted traces.
 */
export function printable(text: string): string {
  return text
    .replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ')
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}
