/**
 * An HTML template tag that escapes by default: in html`<td>${name}</td>` the name is escaped,
 * so a report cannot forget to escape a value taken from a trace. Only fragments already built
 * by this tag (or sanitized SVG, marked with `trusted`) are inserted as they are.
 */
import { escapeHtml } from './escape.js';

/** A piece of HTML that is already safe to insert. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** What a template may interpolate: text (escaped), numbers, safe HTML, lists of these, or nothing. */
export type Interpolation = string | number | Html | null | undefined | false | readonly Interpolation[];

/**
 * @example html`<p>${'<b>'}</p>`.value // => '<p>&lt;b&gt;</p>'
 */
export function html(strings: TemplateStringsArray, ...values: Interpolation[]): Html {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += piece(values[i]) + strings[i + 1];
  return new Html(out);
}

/** Markup produced by this program itself (a sanitized SVG, a constant), inserted unescaped. */
export function trusted(markup: string): Html {
  return new Html(markup);
}

function piece(value: Interpolation): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(piece).join('');
  if (typeof value === 'number') return escapeHtml(String(value));
  return escapeHtml(value as string);
}
