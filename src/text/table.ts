/**
 * Plain-text tables for terminal output: aligned columns, numbers to the right, no box drawing,
 * so they read well in a terminal and in a CI log alike.
 */

export type Cell = string | number | null | undefined;

export interface Column {
  header: string;
  /** Numbers align right by default, text left. */
  align?: 'left' | 'right';
}

export function renderTable(columns: readonly (Column | string)[], rows: readonly Cell[][]): string {
  const cols: Column[] = columns.map((c) => (typeof c === 'string' ? { header: c } : c));
  const text = rows.map((row) => row.map((cell) => (cell === null || cell === undefined ? '-' : String(cell))));
  const numeric = cols.map((_, i) => rows.every((row) => row[i] === null || row[i] === undefined || typeof row[i] === 'number'));
  const widths = cols.map((col, i) => Math.max(col.header.length, ...text.map((row) => row[i]?.length ?? 0)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => {
        const right = (cols[i].align ?? (numeric[i] ? 'right' : 'left')) === 'right';
        return right ? cell.padStart(widths[i]) : i === cells.length - 1 ? cell : cell.padEnd(widths[i]);
      })
      .join('  ')
      .trimEnd();
  return [line(cols.map((c) => c.header)), ...text.map(line)].join('\n');
}

/** Key: value lines with the keys aligned. */
export function renderFields(fields: readonly [string, Cell][]): string {
  const width = Math.max(...fields.map(([key]) => key.length));
  return fields.map(([key, value]) => `${`${key}:`.padEnd(width + 1)} ${value === null || value === undefined ? '-' : value}`).join('\n');
}
