/**
 * JSON Lines task tables: one JSON object per line, with the same field names as CSV headers.
 * Streamed into the database as they are parsed (produce.ts).
 */
import { firstLine } from '../common/streams.js';
import type { Importer, Sample } from '../importer.js';
import { mapColumns, missingColumns } from './fields.js';
import { streamTabular } from './stream-table.js';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const jsonlImporter: Importer = {
  format: 'jsonl',
  describe: 'JSON Lines, one task object per line',
  detect(sample: Sample) {
    if (sample.kind !== 'file' || sample.binary) return '';
    const line = firstLine(sample.text).trim();
    if (!line.startsWith('{')) return '';
    let first: unknown;
    try {
      first = JSON.parse(line);
    } catch {
      return ''; // a JSON document spread over lines, not JSON Lines
    }
    if (!isObject(first)) return '';
    const missing = missingColumns(mapColumns(Object.keys(first)));
    return missing === null ? true : `as JSON Lines, its first object has ${missing}`;
  },
  checksTimes: true,
  stream: (input, options, open) => streamTabular('jsonl', input, options, open),
};
