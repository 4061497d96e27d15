/**
 * Which stored runs a rule judges. A selector names one target or several; each target is one
 * candidate, judged on its own, whose runs are its repeats.
 *
 *     "nightly"                      a run id, or a label (every run carrying it: its repeats)
 *     { label: nightly }             every run carrying the label
 *     { id: re.session...0001 }      one run
 *     { latest: nightly }            the run carrying the label imported last
 *     { latest: nightly, count: 5 }  the five imported last (refused when there are fewer)
 *     { glob: "dg2-*" }              every label (or run id) matching: one target per label
 *
 * `label` and `latest` may carry a run filter (`check --this-job`: only the runs the current CI job
 * stored), applied before the latest are taken.
 *
 * Globs know `*` (any characters) and `?` (one character).
 */
import { InputError } from '../errors.js';
import { filterText, type RunFilter } from '../run/run-filter.js';
import type { StoredRun } from '../run/stored-run.js';
import type { Store } from '../store/store.js';

export type RunSelector =
  | { kind: 'ref'; ref: string }
  | { kind: 'label'; label: string; filter?: RunFilter }
  | { kind: 'id'; id: string }
  | { kind: 'latest'; label: string; count: number; filter?: RunFilter }
  | { kind: 'glob'; pattern: string };

/** A candidate: the name it is reported under, and its runs (repeats when several). */
export interface Target {
  name: string;
  runs: StoredRun[];
}

export function selectorText(selector: RunSelector): string {
  switch (selector.kind) {
    case 'ref':
      return selector.ref;
    case 'label':
      return `label ${selector.label}`;
    case 'id':
      return `run ${selector.id}`;
    case 'latest':
      return selector.count === 1 ? `latest ${selector.label}` : `latest ${selector.count} ${selector.label}`;
    case 'glob':
      return `glob ${selector.pattern}`;
  }
}

export async function selectTargets(store: Store, selector: RunSelector): Promise<Target[]> {
  switch (selector.kind) {
    case 'ref':
      return [{ name: selector.ref, runs: await store.resolveRuns(selector.ref) }];
    case 'label': {
      const runs = selector.filter ? await store.findRuns(selector.filter, selector.label) : await store.findRunsByLabel(selector.label);
      if (runs.length === 0) throw new InputError(`no run carries the label "${selector.label}"${filtered(selector.filter)} (see asyncscope runs)`);
      return [{ name: selector.label, runs }];
    }
    case 'id': {
      const run = await store.findRunById(selector.id);
      if (!run) throw new InputError(`no run with id "${selector.id}" (see asyncscope runs)`);
      return [{ name: run.id, runs: [run] }];
    }
    case 'latest': {
      // oldest import first
      const runs = selector.filter ? await store.findRuns(selector.filter, selector.label) : await store.findRunsByLabel(selector.label);
      if (runs.length === 0) throw new InputError(`no run carries the label "${selector.label}"${filtered(selector.filter)} (see asyncscope runs)`);
      if (runs.length < selector.count) {
        throw new InputError(`asked for the latest ${selector.count} runs labelled "${selector.label}"${filtered(selector.filter)}, but only ${runs.length} carry it`);
      }
      const latest = runs.slice(-selector.count);
      return [{ name: selector.count === 1 ? latest[0].id : selector.label, runs: latest }];
    }
    case 'glob': {
      const pattern = globPattern(selector.pattern);
      const byLabel = new Map<string, StoredRun[]>();
      for (const run of await store.listRuns()) {
        if (!pattern.test(run.label) && !pattern.test(run.id)) continue;
        const list = byLabel.get(run.label) ?? [];
        list.push(run);
        byLabel.set(run.label, list);
      }
      if (byLabel.size === 0) throw new InputError(`no run id or label matches "${selector.pattern}" (see asyncscope runs)`);
      return [...byLabel].map(([label, runs]) => ({ name: label, runs }));
    }
  }
}

/**
 * A glob as a regular expression matching the whole text.
 *
 * @example globPattern('dg2-*').test('dg2-async') // => true
 */
export function globPattern(glob: string): RegExp {
  const body = [...glob].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[\\^$.|+()[\]{}]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`, 's');
}

function filtered(filter: RunFilter | undefined): string {
  return filter ? ` with ${filterText(filter).join(', ')}` : '';
}
