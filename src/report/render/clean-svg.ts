/**
 * Vega's SVG made fit to sit inline in an HTML page, many charts to a page:
 * - smaller: the accessibility attributes vega writes for every mark (the chart gets one label
 *   instead; its numbers are in the table beside it), class names, empty background paths, and
 *   coordinates to 0.01 px;
 * - ids (clip paths, gradients) prefixed with the chart's id, so charts never take each other's;
 * - checked: only the elements and attributes vega draws charts with, no event handler, no link
 *   but to an id inside the chart or, for marks that render/links.ts made links, inside the page. Vega escapes text (a task name shows as text); this check is a
 *   second line of defence, and it fails loudly rather than let markup through.
 */

const DROPPED_ATTRIBUTES = / (?:class|role|aria-[a-z]+|pointer-events)="[^"]*"/g;
const GEOMETRY = / (d|transform|x|y|x1|x2|y1|y2|width|height|points)="([^"]*)"/g;
const LONG_DECIMAL = /(\d+\.\d\d)\d+/g;

const ELEMENTS = new Set(['svg', 'g', 'path', 'rect', 'line', 'text', 'tspan', 'defs', 'clipPath', 'linearGradient', 'radialGradient', 'stop', 'circle', 'title', 'a']);
/** The one link a chart may hold: `<a href="#id">` to an anchor in the page. */
const PAGE_ANCHOR = /^#[a-z][a-z0-9-]*$/;
const ATTRIBUTE = /^(?:xmlns(?::xlink)?|version|width|height|viewBox|x|y|dx|dy|x1|x2|y1|y2|r|cx|cy|d|transform|fill|fill-opacity|stroke|stroke-width|stroke-opacity|stroke-dasharray|stroke-dashoffset|stroke-linecap|stroke-linejoin|stroke-miterlimit|opacity|font-family|font-size|font-weight|font-style|font-variant|text-anchor|dominant-baseline|letter-spacing|display|clip-path|id|offset|stop-color|stop-opacity|gradientUnits|gradientTransform|spreadMethod|fx|fy|aria-label|role|focusable|preserveAspectRatio|paint-order|mix-blend-mode)$/;
const NAMESPACES = new Set(['http://www.w3.org/2000/svg', 'http://www.w3.org/1999/xlink']);

/**
 * @param id prefix for the SVG's ids (letters, digits and dashes)
 * @param label the chart's accessible name, already escaped for an attribute
 */
export function cleanSvg(svg: string, id: string, label: string): string {
  if (!/^[a-z][a-z0-9-]*$/.test(id)) throw new Error(`cleanSvg: unusable id ${JSON.stringify(id)}`);
  // Tags only: text between them is a trace's words (vega escapes < > & there, so every < opens a tag).
  let out = svg.replace(/<[^>]*>/g, (tag) =>
    tag
      .replace(DROPPED_ATTRIBUTES, '')
      .replace(GEOMETRY, (_, name: string, value: string) => ` ${name}="${value.replace(LONG_DECIMAL, '$1')}"`)
      .replace(/ id="([^"]+)"/g, (_, name: string) => ` id="${id}-${name}"`)
      .replace(/url\(#([^)]+)\)/g, (_, name: string) => `url(#${id}-${name})`),
  );
  out = out
    .replace(/<path d="M0,0h0v0h0Z"\/>/g, '')
    .replace(/<path d="" display="none"\/>/g, '')
    .replace(/^<svg /, `<svg role="img" aria-label="${label}" focusable="false" `);
  checkSvg(out);
  return out;
}

/** Throws unless every tag is one of the drawing elements with known attributes (see above). */
export function checkSvg(svg: string): void {
  const tags = svg.match(/<[^>]*>/g) ?? [];
  for (const tag of tags) {
    const match = /^<\/?([A-Za-z][A-Za-z0-9]*)((?:\s+[A-Za-z][A-Za-z0-9:-]*="[^"<>]*")*)\s*\/?>$/.exec(tag);
    if (!match) throw new Error(`unexpected markup in a chart: ${tag.slice(0, 80)}`);
    if (!ELEMENTS.has(match[1])) throw new Error(`unexpected element in a chart: <${match[1]}>`);
    for (const attribute of match[2].matchAll(/([A-Za-z][A-Za-z0-9:-]*)="([^"]*)"/g)) {
      const [, name, value] = attribute;
      if (match[1] === 'a' || name === 'href') {
        if (match[1] !== 'a' || name !== 'href' || !PAGE_ANCHOR.test(value)) throw new Error(`unexpected link in a chart: ${tag.slice(0, 80)}`);
        continue;
      }
      if (!ATTRIBUTE.test(name)) throw new Error(`unexpected attribute in a chart: ${name}`);
      if (name.startsWith('xmlns') && !NAMESPACES.has(value)) throw new Error(`unexpected namespace in a chart: ${value}`);
      if (name !== 'aria-label' && value.includes('url(') && !/^url\(#[A-Za-z0-9_-]+\)$/.test(value)) {
        throw new Error(`unexpected reference in a chart: ${value}`);
      }
    }
  }
}
