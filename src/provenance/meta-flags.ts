/**
 * `--meta KEY=VALUE` (repeatable): a provenance field (commit, commit_title, branch, ci, job_url,
 * host) or a free pair. `KEY=` (an empty value) removes the key (`runs edit`) or leaves the field
 * to detection (`ingest`).
 */
import { InputError } from '../errors.js';
import { MAX_VALUE_LENGTH, SETTABLE_FIELDS, type Clues, type SettableField } from '../run/provenance.js';
import { isSecretKey, redactUrl, REDACTED } from './redact.js';

export const META_KEY = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;
/** Free pairs a run may carry at most. */
export const MAX_META_PAIRS = 64;

export interface MetaFlags {
  /** Provenance fields set by the user; null removes the field. */
  fields: Partial<Record<SettableField, string | null>>;
  /** Free pairs; null removes the key. */
  meta: Record<string, string | null>;
  /** What the user should know (a value taken for a credential). */
  warnings: string[];
}

export function parseMetaFlags(values: readonly string[]): MetaFlags {
  const out: MetaFlags = { fields: {}, meta: {}, warnings: [] };
  for (const text of values) {
    const eq = text.indexOf('=');
    if (eq <= 0) throw new InputError(`--meta ${JSON.stringify(text)}: expected KEY=VALUE (KEY= removes the key)`);
    const key = text.slice(0, eq).trim();
    let value: string | null = text.slice(eq + 1);
    if (!META_KEY.test(key)) {
      throw new InputError(`--meta ${JSON.stringify(key)}: a key is a letter, then up to 63 letters, digits, _ . or -`);
    }
    if (key === 'asyncscope_version') throw new InputError('--meta asyncscope_version: the version that stored a run is recorded by asyncscope, not set');
    if (/[\u0000-\u001f\u007f]/.test(value)) throw new InputError(`--meta ${key}: the value holds a control character (a line break?)`);
    if (value.length > MAX_VALUE_LENGTH) throw new InputError(`--meta ${key}: the value is ${value.length} characters long; at most ${MAX_VALUE_LENGTH}`);
    if (value === '') value = null;
    else if (isSecretKey(key)) {
      out.warnings.push(`--meta ${key}: looks like a credential: stored as ${REDACTED}`);
      value = REDACTED;
    } else value = redactUrl(value);
    if ((SETTABLE_FIELDS as readonly string[]).includes(key)) out.fields[key as SettableField] = value;
    else out.meta[key] = value;
  }
  if (Object.keys(out.meta).length > MAX_META_PAIRS) throw new InputError(`--meta: at most ${MAX_META_PAIRS} free pairs per run`);
  return out;
}

/** The fields the user set (not removed), as clues that win over detection. */
export function explicitClues(flags: MetaFlags): Clues {
  const clues: Clues = {};
  for (const [key, value] of Object.entries(flags.fields)) if (value !== null && value !== undefined) clues[key as SettableField] = value;
  return clues;
}
