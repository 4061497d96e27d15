/**
 * Reading fields of an untrusted JSON document with errors that say where the problem is:
 * `task "bowtie2_ID0000003" (workflow.execution.tasks[2]): "runtimeInSeconds" is "12s", not a number`.
 */
import { TraceError } from '../../errors.js';

export type JsonObject = Record<string, unknown>;

export const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Reads fields of one place in a document; `where` names that place in messages. */
export class Fields {
  constructor(
    readonly file: string,
    readonly where: string,
    readonly value: JsonObject,
  ) {}

  fail(reason: string): never {
    throw new TraceError(this.file, `${this.where}: ${reason}`);
  }

  has(key: string): boolean {
    return this.value[key] !== undefined && this.value[key] !== null;
  }

  /** A nested object, or undefined when absent (an error when present but not an object). */
  object(key: string, where = `${this.where}.${key}`): Fields | undefined {
    const value = this.value[key];
    if (value === undefined || value === null) return undefined;
    if (!isObject(value)) this.fail(`"${key}" is ${describe(value)}, not an object`);
    return new Fields(this.file, where, value);
  }

  array(key: string): unknown[] | undefined {
    const value = this.value[key];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value)) this.fail(`"${key}" is ${describe(value)}, not a list`);
    return value;
  }

  string(key: string): string | undefined {
    const value = this.value[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') this.fail(`"${key}" is ${describe(value)}, not a string`);
    return value;
  }

  requiredString(key: string): string {
    const value = this.string(key);
    if (value === undefined || value.trim() === '') this.fail(`"${key}" is missing or empty`);
    return value;
  }

  /** A finite number >= min, or undefined when absent. */
  number(key: string, min = 0): number | undefined {
    const value = this.value[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isFinite(value)) this.fail(`"${key}" is ${describe(value)}, not a number`);
    if (value < min) this.fail(`"${key}" is ${value}, less than ${min}`);
    return value;
  }

  /** A list of strings (task references), empty when absent. */
  strings(key: string): string[] {
    const list = this.array(key) ?? [];
    list.forEach((item, i) => {
      if (typeof item !== 'string') this.fail(`"${key}"[${i}] is ${describe(item)}, not a string`);
    });
    return list as string[];
  }
}

/** A short description of a JSON value for messages: `"12s"`, `null`, `an object`, `a list`. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
