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
import { TaskRows } from './task-rows.js';

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

async function readJsonl(input: TraceInput, options: ImportOptions): Promise<ParsedRun> {
  const rows = new TaskRows(input.display);
  const source = openDecompressed(input.path, options.onBytes);
  // Objects may differ in their keys; the key -> field mapping is computed once per distinct key.
  const fieldOfKey = new Map<string, TaskField | null>();
  let object: Record<string, unknown> = {};
  const keyOf: Partial<Record<TaskField, string>> = {};
  const cell = (field: TaskField): unknown => {
    const key = keyOf[field];
    return key === undefined ? undefined : object[key];
  };
  const header = (field: TaskField): string => keyOf[field] ?? field;
  let count = 0;
  try {
    for await (const [text, line] of lines(source as AsyncIterable<Buffer>)) {
      if (text.trim() === '') continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (error) {
        throw new TraceError(input.display, `not valid JSON (${(error as Error).message})`, line);
      }
      if (!isObject(parsed)) throw new TraceError(input.display, 'expected a JSON object (one task per line)', line);
      object = parsed;
      for (const field of Object.keys(keyOf) as TaskField[]) delete keyOf[field];
      for (const key of Object.keys(object)) {
        let field = fieldOfKey.get(key);
        if (field === undefined) {
          field = fieldOfHeader(key) ?? null;
          fieldOfKey.set(key, field);
        }
        if (field !== null && keyOf[field] === undefined) keyOf[field] = key;
      }
      if (keyOf.id === undefined && keyOf.name !== undefined) keyOf.id = keyOf.name;
      if (keyOf.id === undefined) throw new TraceError(input.display, 'no task id (id, uid, task_id, ...)', line);
      rows.add(line, cell, header);
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
