/**
 * The report document as one self-contained HTML file: inline CSS and inline SVG, no script, no
 * external reference of any kind (fonts, images, links), readable offline and printable. Every
 * piece of text goes through the escaping `html` template; only the sanitized chart SVGs are
 * inserted as they are. A Content-Security-Policy forbids scripts and loads, in case anything
 * ever slipped through. Control characters a trace's names hold (U+0000, ESC, C1, bidirectional
 * overrides), which an HTML document must not hold raw, are shown escaped as on the terminal
 * (`\x00`): done once, on the whole page, so that the escaped text, vega's SVG text (which vega
 * escapes for < > & only) and attribute values are all covered.
 */
import type { Block, Cell, ChartBlock, Column, DataTable, Inline, ReportDocument, Section, TextBlock } from '../document-model.js';
import { printableDocument } from '../../text/printable.js';
import { STYLE } from './style.js';
import { html, trusted, type Html } from './template.js';

/** Rows a table shows at most; the rest are counted (the JSON of analyze and compare has them all). */
export const MAX_TABLE_ROWS = 200;

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; font-src 'none'; form-action 'none'; base-uri 'none'";

/** `svgs` maps each chart's id to its rendered, sanitized SVG. */
export function renderPage(document: ReportDocument, svgs: ReadonlyMap<string, string>): string {
  const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${trusted(CSP)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<meta name="generator" content="asyncscope">
<title>${document.title}</title>
<style>${trusted(STYLE)}</style>
</head>
<body>
<div class="page">
<header class="masthead">
<h1>${document.title}</h1>
<p class="subtitle">${document.subtitle}</p>
</header>
${contents(document.sections)}
<main>
${document.sections.map((s) => section(s, 2, svgs))}
</main>
<footer><p>${document.footer}</p></footer>
</div>
</body>
</html>
`;
  return printableDocument(page.value);
}

function contents(sections: Section[]): Html {
  const item = (s: Section): Html => html`<li><a href="#${s.id}">${s.title}</a>${s.subsections.length > 0 ? html`<ol>${s.subsections.map(item)}</ol>` : ''}</li>`;
  return html`<nav class="toc" aria-label="Contents"><h2>Contents</h2><ol>${sections.map(item)}</ol></nav>\n`;
}

function section(s: Section, level: 2 | 3, svgs: ReadonlyMap<string, string>): Html {
  const heading = level === 2 ? html`<h2>${s.title}</h2>` : html`<h3>${s.title}</h3>`;
  return html`<section id="${s.id}">
${heading}
${s.blocks.map((b) => block(b, svgs))}
${s.subsections.map((sub) => section(sub, 3, svgs))}
</section>
`;
}

function block(b: Block, svgs: ReadonlyMap<string, string>): Html {
  switch (b.kind) {
    case 'text':
      return paragraph(b);
    case 'table':
      return table(b.table);
    case 'chart':
      return chart(b, svgs);
    case 'definitions':
      return html`<dl class="definitions">${b.items.map((item) => html`<dt id="${item.id}">${item.term}</dt><dd>${inline(item.text)}</dd>`)}</dl>\n`;
  }
}

function paragraph(b: TextBlock): Html {
  return html`<p${b.tone ? html` class="${b.tone}"` : ''}>${inline(b.parts)}</p>\n`;
}

function inline(parts: Inline[]): Html {
  return html`${parts.map((part) => {
    if (typeof part === 'string') return part;
    if ('strong' in part) return html`<strong>${part.strong}</strong>`;
    if ('code' in part) return html`<code>${part.code}</code>`;
    return html`<a href="#${anchorId(part.anchor)}">${part.text}</a>`;
  })}`;
}

function chart(b: ChartBlock, svgs: ReadonlyMap<string, string>): Html {
  const svg = svgs.get(b.id);
  if (svg === undefined) throw new Error(`chart ${b.id} was not rendered`);
  const picture = html`<div class="svg">${trusted(svg)}</div>`;
  const caption = html`<figcaption>${inline(b.read)}</figcaption>`;
  if (b.layout === 'side') {
    return html`<figure class="chart side" id="${b.id}">
<div class="body">${picture}${table(b.table)}</div>
${caption}
</figure>
`;
  }
  return html`<figure class="chart wide" id="${b.id}">
${picture}
${caption}
${table(b.table)}
</figure>
`;
}

function table(t: DataTable): Html {
  const rows = t.rows.slice(0, t.limit ?? MAX_TABLE_ROWS);
  const more = t.rows.length - rows.length;
  const row = (cells: Cell[], id?: string) => html`<tr${id === undefined ? '' : html` id="${anchorId(id)}"`}>${cells.map((c, i) => cell(c, t.columns[i]))}</tr>`;
  const none = rows.length === 0 ? html`<tr><td class="empty" colspan="${t.columns.length}">${t.empty ?? 'none'}</td></tr>\n` : '';
  return html`<div class="table-wrap"><table>
<caption>${t.caption}</caption>
<thead><tr>${t.columns.map((c) => html`<th scope="col"${c.numeric ? html` class="num"` : ''}>${c.header}</th>`)}</tr></thead>
<tbody>
${rows.map((r, i) => html`${row(r, t.rowIds?.[i])}\n`)}${none}</tbody>
${t.footer ? html`<tfoot>${row(t.footer)}</tfoot>\n` : ''}</table></div>
${more > 0 ? html`<p class="more">and ${more} more rows (the JSON of asyncscope analyze and compare has them all)</p>\n` : ''}`;
}

/** A cell; numbers keep their exact value in data-v (the figure the text rounds). */
function cell(c: Cell, column: Column | undefined): Html {
  const value = c.value === undefined || c.value === null ? '' : html` data-v="${String(c.value)}"`;
  const text = c.link === undefined ? c.text : html`<a href="#${anchorId(c.link)}">${c.text}</a>`;
  return html`<td${column?.numeric ? html` class="num"` : ''}${value}>${text}</td>`;
}

/** Links go only to anchors inside the report, and ids are of one safe shape: never a URL. */
function anchorId(anchor: string): string {
  if (!/^[a-z][a-z0-9-]*$/.test(anchor)) throw new Error(`report anchor ${JSON.stringify(anchor)}: only ids of letters, digits and dashes, inside the report`);
  return anchor;
}
