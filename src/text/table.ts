/**
 * Plain-text tables for terminal output: aligned columns, numbers to the right, no box drawing,
 * so they read well in a terminal and in a CI log alike. Every header and cell goes through
 * `printable`: names from traces cannot break a row or reach the terminal as escapes.
 */
import { printable } from './printable.js';

export type Cell = string | number | null | undefined;

export interface Column {
  header: string;
  /** Numbers align right by default, text left. */
  align?: 'left' | 'right';
}

export function renderTable(columns: readonly (Column | string)[], rows: readonly Cell[][]): string {
  const cols: Column[] = columns.map((c) => (typeof c === 'string' ? { header: c } : c));
  const text = rows.map((row) => row.map(cellText));
  const numeric = cols.map((_, i) => rows.every((row) => row[i] === null || row[i] === undefined || typeof row[i] === 'number'));
  const headers = cols.map((c) => printable(c.header));
  const widths = cols.map((_, i) => Math.max(headers[i].length, ...text.map((row) => row[i]?.length ?? 0)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => {
        const right = (cols[i].align ?? (numeric[i] ? 'right' : 'left')) === 'right';
        return right ? cell.padStart(widths[i]) : i === cells.length - 1 ? cell : cell.padEnd(widths[i]);
      })
      .join('  ')
      .trimEnd();
  return [line(headers), ...text.map(line)].join('\n');
}

/** Key: value lines with the keys aligned. */
export function renderFields(fields: readonly [string, Cell][]): string {
  const width = Math.max(...fields.map(([key]) => printable(key).length));
  return fields.map(([key, value]) => `${`${printable(key)}:`.padEnd(width + 1)} ${cellText(value)}`).join('\n');
}

function cellText(cell: Cell): string {
  return cell === null || cell === undefined ? '-' : printable(String(cell));
}
