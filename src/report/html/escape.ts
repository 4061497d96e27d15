/**
 * Escaping text for HTML. Everything a trace carries (task names and types, labels, paths) is
 * untrusted: a task named `<script>alert(1)</script>` must show as those characters, never run.
 * Control characters are left to the page as a whole (renderPage escapes them once, SVG included).
 */

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Text safe inside an element and inside a quoted attribute value: & < > " ' become entities.
 *
 * @example escapeHtml('<img src=x onerror=alert(1)>') // => '&lt;img src=x onerror=alert(1)&gt;'
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]);
}
