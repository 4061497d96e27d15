/**
 * The report as plain data, before any HTML: sections of blocks (text, tables, charts). The
 * section builders fill it from the analyses and the model; `html/page.ts` turns it into one
 * HTML file. Keeping the two apart means the numbers can be checked without parsing HTML and the
 * HTML can be changed without touching a number.
 */
import type { VegaLiteSpec } from './charts/theme.js';

/** Inline text: plain, strong, code, or a link to an anchor inside the report (never outside it). */
export type Inline = string | { strong: string } | { code: string } | { anchor: string; text: string };

/** A table cell: the text shown and, for numbers, the exact figure behind it (kept in `data-v`). */
export interface Cell {
  text: string;
  value?: number | null;
  /** An anchor inside the report that the cell links to (never a URL). */
  link?: string;
}

export interface Column {
  header: string;
  /** Right-aligned, tabular figures. */
  numeric?: boolean;
}

export interface DataTable {
  caption: string;
  columns: Column[];
  rows: Cell[][];
  /** Shown as the only row when there are no rows. */
  empty?: string;
  /** A closing row (totals), set apart. */
  footer?: Cell[];
  /** Anchors of the rows (links point at them), one per row. */
  rowIds?: string[];
  /** Rows shown at most (default MAX_TABLE_ROWS); a table that links point into shows them all. */
  limit?: number;
}

export interface TextBlock {
  kind: 'text';
  parts: Inline[];
  /** `headline`: the one sentence that matters, set large; `note`: a limitation. */
  tone?: 'headline' | 'note';
}

export interface TableBlock {
  kind: 'table';
  table: DataTable;
}

export interface ChartBlock {
  kind: 'chart';
  id: string;
  /** Also the chart's own title inside the SVG. */
  title: string;
  /** One or two sentences on how to read it. */
  read: Inline[];
  spec: VegaLiteSpec;
  /** The numbers the chart shows. */
  table: DataTable;
  /** `wide`: table under the chart; `side`: table beside it. */
  layout: 'wide' | 'side';
  /** Marks that link to anchors inside the report (render/links.ts), by the key in their description. */
  links?: MarkLinks;
}

/** For each mark key (a vega `description`), the anchor inside the report it links to and a tooltip. */
export type MarkLinks = Record<string, { anchor: string; title: string }>;

/** Terms and their definitions (the definitions section). */
export interface DefinitionsBlock {
  kind: 'definitions';
  items: { id: string; term: string; text: Inline[] }[];
}

export type Block = TextBlock | TableBlock | ChartBlock | DefinitionsBlock;

export interface Section {
  id: string;
  title: string;
  blocks: Block[];
  subsections: Section[];
}

export interface ReportDocument {
  title: string;
  /** Under the title: what the report covers. */
  subtitle: string;
  sections: Section[];
  /** The footer line: when and by what the report was made. */
  footer: string;
}

/** A text cell. */
export function textCell(text: string | null | undefined): Cell {
  return { text: text ?? '-' };
}

/** A number cell: `format` gives the text (null -> `-`), the exact value is kept beside it. */
export function numberCell(value: number | null | undefined, format: (v: number) => string | null): Cell {
  if (value === null || value === undefined || Number.isNaN(value)) return { text: '-', value: null };
  return { text: format(value) ?? '-', value };
}

/** Every chart of a report, in document order. */
export function chartsOf(document: ReportDocument): ChartBlock[] {
  const out: ChartBlock[] = [];
  const visit = (section: Section) => {
    for (const block of section.blocks) if (block.kind === 'chart') out.push(block);
    section.subsections.forEach(visit);
  };
  document.sections.forEach(visit);
  return out;
}
