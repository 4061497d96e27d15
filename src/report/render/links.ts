/**
 * Links on chart marks. Vega's SVG has no links of its own (it follows `href` with script), so a
 * chart that links its marks tags them instead: the mark has `aria: true` and a `description`
 * holding a key, which vega writes into each mark path's aria-label. Here each tagged path is
 * wrapped in `<a href="#anchor">` with a `<title>` (the browser's tooltip). Anchors are ids inside
 * the page; cleanSvg then checks that no other link got through.
 */
import type { MarkLinks } from '../document-model.js';
import { escapeHtml } from '../html/escape.js';

const ANCHOR = /^[a-z][a-z0-9-]*$/;

export interface Linked {
  svg: string;
  /** Keys of `links` no mark carried (a point the chart did not draw). */
  missing: string[];
}

export function linkMarks(svg: string, links: MarkLinks): Linked {
  const placed = new Set<string>();
  const out = svg.replace(/<path aria-label="([^"]*)"([^>]*?)\/>/g, (tag, key: string) => {
    const link = Object.hasOwn(links, key) ? links[key] : undefined;
    if (link === undefined) return tag;
    if (!ANCHOR.test(link.anchor)) throw new Error(`chart link to ${JSON.stringify(link.anchor)}: only anchors inside the report`);
    placed.add(key);
    return `<a href="#${link.anchor}"><title>${escapeHtml(link.title)}</title>${tag}</a>`;
  });
  return { svg: out, missing: Object.keys(links).filter((k) => !placed.has(k)) };
}
