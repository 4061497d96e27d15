/**
 * Text widths for vega's layout in Node. Without a canvas, vega guesses 0.8 em for every
 * character, about half as much again as sans-serif text takes: labels get cut short and legends
 * spaced wide. This measures with the advance widths of Helvetica (its AFM metrics, in 1/1000 em,
 * for printable ASCII) and 0.6 em for any other character, widened by 10% (15% more for bold), so
 * that the system font the browser picks (Helvetica, Arial, Roboto, DejaVu Sans, Segoe UI) fits
 * in the space laid out.
 */

// prettier-ignore
const HELVETICA = [
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // space to /
  556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, // 0 to ?
  1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, // @ to O
  667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, // P to _
  333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, // ` to o
  556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, // p to ~
];
const OTHER = 600;
const SAFETY = 1.1;
const BOLD = 1.15;

/** Width in pixels of `text` set in `fontSize` px sans-serif. */
export function textWidth(text: string, fontSize: number, bold = false): number {
  let units = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    units += code >= 32 && code <= 126 ? HELVETICA[code - 32] : OTHER;
  }
  return (units / 1000) * fontSize * SAFETY * (bold ? BOLD : 1);
}

/** The text item fields vega passes to its width function. */
interface TextItem {
  fontSize?: number | string;
  fontWeight?: number | string;
  limit?: number;
}

/**
 * vega's `textMetrics.width(item, text)`: the width of a text item, at most its `limit` (vega cuts
 * longer text to fit the limit, with an ellipsis).
 */
export function vegaTextWidth(item: TextItem, text: unknown): number {
  const value = text === null || text === undefined ? '' : (Array.isArray(text) ? text.join(' ') : String(text)).trim();
  const size = item.fontSize !== undefined && item.fontSize !== null ? Number(item.fontSize) || 0 : 11;
  const weight = item.fontWeight;
  const bold = weight === 'bold' || (typeof weight === 'number' && weight >= 600) || (typeof weight === 'string' && Number(weight) >= 600);
  const width = textWidth(value, size, bold);
  const limit = Number(item.limit);
  return limit > 0 ? Math.min(width, limit) : width;
}
