/**
 * Reading the report's HTML back in tests: sections, figures and tables by their ids, and each
 * table cell's text and exact value (data-v). The report is made by asyncscope, so these small
 * patterns fit it; they are not a general HTML parser.
 */

export interface ParsedTable {
  caption: string;
  rows: { text: string[]; value: (number | null)[] }[];
  footer: { text: string[]; value: (number | null)[] } | null;
}

/** The HTML of `<section id="ID">` up to the end of its own heading's blocks (subsections included for top-level ones). */
export function section(html: string, id: string): string {
  const start = html.indexOf(`<section id="${id}">`);
  if (start < 0) throw new Error(`no section ${id}`);
  let depth = 0;
  const tag = /<section\b|<\/section>/g;
  tag.lastIndex = start;
  for (let m = tag.exec(html); m; m = tag.exec(html)) {
    depth += m[0] === '</section>' ? -1 : 1;
    if (depth === 0) return html.slice(start, m.index + m[0].length);
  }
  throw new Error(`section ${id} is not closed`);
}

/** The HTML of `<figure ... id="ID">`. */
export function figure(html: string, id: string): string {
  const match = new RegExp(`<figure class="chart[^"]*" id="${id}">([\\s\\S]*?)</figure>`).exec(html);
  if (!match) throw new Error(`no figure ${id}`);
  return match[0];
}

/** Decodes the few entities the report writes. */
export function decode(text: string): string {
  return text
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

function parseRow(row: string): { text: string[]; value: (number | null)[] } {
  const cells = [...row.matchAll(/<td([^>]*)>([\s\S]*?)<\/td>/g)];
  return {
    text: cells.map((c) => decode(c[2])),
    value: cells.map((c) => {
      const v = /data-v="([^"]*)"/.exec(c[1]);
      return v ? Number(v[1]) : null;
    }),
  };
}

/** Every table in a fragment, in order. */
export function tables(fragment: string): ParsedTable[] {
  return [...fragment.matchAll(/<table>([\s\S]*?)<\/table>/g)].map((m) => {
    const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(m[1])?.[1] ?? '';
    const foot = /<tfoot>([\s\S]*?)<\/tfoot>/.exec(m[1])?.[1];
    return {
      caption: decode(/<caption>([\s\S]*?)<\/caption>/.exec(m[1])?.[1] ?? ''),
      rows: [...body.matchAll(/<tr(?: [^>]*)?>([\s\S]*?)<\/tr>/g)].map((r) => parseRow(r[1])),
      footer: foot ? parseRow(foot) : null,
    };
  });
}

/** The row whose first cell reads `name`. */
export function row(table: ParsedTable, name: string): { text: string[]; value: (number | null)[] } {
  const found = table.rows.find((r) => r.text[0] === name);
  if (!found) throw new Error(`no row ${name} in table "${table.caption}" (rows: ${table.rows.map((r) => r.text[0]).join(', ')})`);
  return found;
}

/** Every URL-looking reference (http:, https:, //host, src=, href=, url()) that is not an XML namespace or a link inside the page. */
export function externalReferences(html: string): string[] {
  const found: string[] = [];
  for (const m of html.matchAll(/(\w[\w:-]*)="([^"]*)"/g)) {
    const [, name, value] = m;
    if (name.startsWith('xmlns')) continue;
    if (name === 'href' && value.startsWith('#')) continue;
    if (/^(src|href|srcset|action|formaction|poster|data|xlink:href)$/i.test(name)) found.push(`${name}="${value}"`);
    else if (/url\((?!#)/i.test(value)) found.push(`${name}="${value}"`);
  }
  for (const m of html.matchAll(/https?:\/\/[^\s"'<>)]*/g)) {
    const before = html.slice(Math.max(0, m.index - 20), m.index);
    if (!/xmlns(:\w+)?="$/.test(before)) found.push(m[0]);
  }
  for (const m of html.matchAll(/@import|url\((?!#)[^)]*\)/gi)) found.push(m[0]);
  return found;
}
