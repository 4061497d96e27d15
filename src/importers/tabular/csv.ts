/**
 * CSV (and TSV) task tables: one task per row, the first row names the columns (see fields.ts for
 * the names understood). Streamed into the database as they are parsed (produce.ts).
 */
import { firstLine } from '../common/streams.js';
import type { Importer, Sample } from '../importer.js';
import { mapColumns, missingColumns } from './fields.js';
import { sniffDelimiter } from './produce.js';
import { streamTabular } from './stream-table.js';

function splitHeader(line: string): string[] {
  return line.split(sniffDelimiter(line)).map((h) => h.trim().replace(/^"(.*)"$/, '$1'));
}

export const csvImporter: Importer = {
  format: 'csv',
  describe: 'a CSV or TSV table, one task per row, with a header row',
  detect(sample: Sample) {
    if (sample.kind !== 'file' || sample.binary) return '';
    const line = firstLine(sample.text);
    if (/^\s*[[{]/.test(line)) return '';
    const headers = splitHeader(line);
    if (headers.length < 2) return '';
    const missing = missingColumns(mapColumns(headers));
    return missing === null ? true : `as CSV, its header ${JSON.stringify(line.slice(0, 100))} has ${missing}`;
  },
  checksTimes: true,
  stream: (input, options, open) => streamTabular('csv', input, options, open),
};
