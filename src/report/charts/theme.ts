/**
 * The look shared by every chart: system fonts, quiet axes and grids, titles on the left. A chart
 * module builds only its data and encodings and passes them through `chartSpec`.
 */

/** A vega-lite spec as plain JSON (compiled in render/svg.ts). */
export type VegaLiteSpec = Record<string, unknown>;

/** The system font stack (no web font: the report loads nothing). No quotes: they would be escaped into the SVG. */
export const FONT = 'system-ui, -apple-system, Segoe UI, Roboto, Helvetica Neue, Arial, sans-serif';

/** Width of a full-width chart's plotting area, in pixels (the page is about 1000 px wide). */
export const WIDE = 820;

/** Axis title of every time axis. */
export const TIME_AXIS_TITLE = 'time since the first task started (s)';

const CONFIG = {
  font: FONT,
  aria: false,
  background: 'white',
  padding: { left: 4, right: 12, top: 6, bottom: 4 },
  view: { stroke: null },
  title: { anchor: 'start', fontSize: 14, fontWeight: 600, color: '#1a1a1a', subtitleFontSize: 12, subtitleColor: '#555', offset: 10 },
  axis: {
    labelFontSize: 11,
    titleFontSize: 12,
    titleFontWeight: 500,
    labelColor: '#333',
    titleColor: '#333',
    gridColor: '#e6e6e6',
    domainColor: '#888',
    tickColor: '#888',
    labelLimit: 160,
  },
  legend: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 500, labelColor: '#333', titleColor: '#333', labelLimit: 160, symbolType: 'square' },
};

/** A complete top-level spec: the theme, the title, and the chart's own parts. */
export function chartSpec(title: string, parts: VegaLiteSpec, subtitle?: string): VegaLiteSpec {
  return {
    title: subtitle ? { text: title, subtitle } : { text: title },
    config: CONFIG,
    ...parts,
  };
}
