/**
 * JSON Lines task tables: one JSON object per line, with the same field names as CSV headers.
 */
import { TraceError } from '../../errors.js';
import type { ParsedRun } from '../../store/records.js';
import { firstLine } from '../detect.js';
import { finalizeRun, mergeCapacity } from '../normalize.js';
import { lines, openDecompressed } from '../streams.js';
import type { ImportOptions, Importer, Sample, TraceInput } from '../types.js';
import { capacityWarning, runIdFromFile } from './common.js';
import { fieldOfHeader, mapColumns, missingColumns, type TaskField } from './fields.js';
import { TaskRows, type Cell } from './task-rows.js';

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
  read: readJsonl,
};

/** Fields in the order of the small per-line row handed to TaskRows. */
const FIELDS: TaskField[] = ['id', 'name', 'type', 'stage', 'pipeline', 'state', 'node', 'cores', 'gpus', 'start', 'end', 'duration'];

async function readJsonl(input: TraceInput, options: ImportOptions): Promise<ParsedRun> {
  const source = openDecompressed(input.path, options.onBytes);
  // Objects may differ in their keys: each distinct key is mapped to a field once.
  const fieldOfKey = new Map<string, TaskField | null>();
  const headers: Partial<Record<TaskField, string>> = {};
  const rows = new TaskRows(input.display, Object.fromEntries(FIELDS.map((f, i) => [f, i])), (field) => headers[field] ?? field);
  const row: Cell[] = new Array(FIELDS.length);
  let count = 0;
  try {
    for await (const [text, line] of lines(source as AsyncIterable<Buffer>)) {
      if (text.trim() === '') continue;
      let object: unknown;
      try {
        object = JSON.parse(text);
      } catch (error) {
        throw new TraceError(input.display, `not valid JSON (${(error as Error).message})`, line);
      }
      if (!isObject(object)) throw new TraceError(input.display, 'expected a JSON object (one task per line)', line);
      row.fill(undefined);
      let nameKey: string | undefined;
      for (const key in object) {
        let field = fieldOfKey.get(key);
        if (field === undefined) {
          field = fieldOfHeader(key) ?? null;
          fieldOfKey.set(key, field);
        }
        if (field === null) continue;
        const at = FIELDS.indexOf(field);
        if (row[at] === undefined) {
          row[at] = object[key];
          headers[field] ??= key;
        }
        if (field === 'name') nameKey ??= key;
      }
      if (row[0] === undefined && nameKey !== undefined) row[0] = object[nameKey]; // no id: the name identifies the task
      rows.add(line, row);
      count++;
    }
  } catch (error) {
    if (error instanceof TraceError) throw error;
    throw new TraceError(input.display, (error as Error).message);
  } finally {
    source.destroy();
  }
  if (count === 0) throw new TraceError(input.display, 'empty file: no task objects');

  const warnings: string[] = [];
  const capacity = mergeCapacity(undefined, options.capacity);
  capacityWarning(capacity, warnings);
  return finalizeRun({ id: runIdFromFile(input.path), format: 'jsonl', source: input.path, capacity, tasks: rows.tasks, warnings });
}
