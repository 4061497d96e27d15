/**
 * Charts to SVG, in Node: vega-lite compiles the spec to Vega, vega renders it headless
 * (`renderer: 'none'`, `toSVG()`), then `cleanSvg` makes the markup fit to sit inline in a page.
 */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { VegaLiteSpec } from '../charts/theme.js';
import type { MarkLinks } from '../document-model.js';
import { escapeHtml } from '../html/escape.js';
import { cleanSvg } from './clean-svg.js';
import { linkMarks } from './links.js';
import { vegaTextWidth } from './text-width.js';

export interface RenderedChart {
  svg: string;
  /** What vega-lite or vega warned about (a sign of a bad spec; the tests expect none). */
  warnings: string[];
}

/**
 * Renders a chart to inline SVG. `id` prefixes the SVG's internal ids (clip paths, gradients)
 * so that many charts can share one page; `label` is its accessible name; `links` makes tagged
 * marks links to anchors in the page (links.ts).
 */
export async function renderSvg(spec: VegaLiteSpec, id: string, label: string, links?: MarkLinks): Promise<RenderedChart> {
  // Layout with sans-serif text widths instead of vega's 0.8 em per character (see text-width.ts).
  (vega as unknown as { textMetrics: { width: typeof vegaTextWidth } }).textMetrics.width = vegaTextWidth;
  const warnings: string[] = [];
  const logger = collectingLogger(warnings);
  const compiled = compile(spec as unknown as TopLevelSpec, { logger }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logger, logLevel: vega.Warn });
  try {
    let svg = await view.toSVG();
    if (links) {
      const linked = linkMarks(svg, links);
      if (linked.missing.length > 0) warnings.push(`warning: ${linked.missing.length} linked mark(s) not drawn (${linked.missing.slice(0, 3).join(', ')})`);
      svg = linked.svg;
    }
    return { svg: cleanSvg(svg, id, escapeHtml(label)), warnings };
  } finally {
    view.finalize();
  }
}

/** A vega logger that keeps warnings and errors instead of printing them (stdout may be the report). */
function collectingLogger(into: string[]): vega.LoggerInterface {
  let level = vega.Warn;
  const keep = (kind: string) => (...args: unknown[]) => {
    into.push(`${kind}: ${args.map(String).join(' ')}`);
    return logger;
  };
  const logger = {
    level(value?: number) {
      if (value === undefined) return level;
      level = value;
      return logger;
    },
    error: keep('error'),
    warn: keep('warning'),
    info: () => logger,
    debug: () => logger,
  } as vega.LoggerInterface;
  return logger;
}
