/**
 * Repeated task ids in tables: fingerprints in the first pass, exact comparison in the second.
 * Collisions are forced with a fingerprint function that maps many ids to one value.
 */
import { describe, expect, it } from 'vitest';
import { ExactIds, fingerprint, IdFingerprints } from '../../../src/importers/tabular/unique-ids.js';

describe('task id fingerprints', () => {
  it('are 53-bit integers that differ for near-identical ids', () => {
    const ids = Array.from({ length: 100_000 }, (_, i) => `task.${String(i).padStart(7, '0')}`);
    const values = ids.map(fingerprint);
    for (const v of values.slice(0, 1000)) expect(Number.isSafeInteger(v) && v >= 0).toBe(true);
    expect(new Set(values).size).toBe(ids.length);
    expect(fingerprint('task.1')).toBe(fingerprint('task.1'));
    expect(fingerprint('tâche·1')).not.toBe(fingerprint('tache.1'));
  });

  it('name no suspects when every id differs, and the shared value when two rows repeat an id', () => {
    const first = new IdFingerprints();
    for (const id of ['a', 'b', 'c', 'd']) expect(first.repeatOf(id)).toBeUndefined();
    expect(first.shared()).toEqual(new Set());

    const second = new IdFingerprints();
    for (let i = 0; i < 10_000; i++) second.repeatOf(`t${i}`); // grows past its first buffer
    second.repeatOf('t42');
    expect(second.shared()).toEqual(new Set([fingerprint('t42')]));
  });
});

describe('the exact second pass', () => {
  // Every id whose length is 2 gets the same fingerprint: a collision between different ids.
  const colliding = (id: string) => (id.length === 2 ? 7 : id.length);

  it('does not mistake a shared fingerprint for a repeated id', () => {
    const first = new IdFingerprints(colliding);
    for (const id of ['aa', 'bb', 'ccc']) first.repeatOf(id);
    const suspects = first.shared();
    expect(suspects).toEqual(new Set([7]));
    const exact = new ExactIds(suspects, colliding);
    expect([exact.repeatOf('aa', 2), exact.repeatOf('bb', 3), exact.repeatOf('ccc', 4)]).toEqual([undefined, undefined, undefined]);
  });

  it('gives the first line of a real repeat, and only compares the suspects', () => {
    const exact = new ExactIds(new Set([7]), colliding);
    expect(exact.repeatOf('aa', 2)).toBeUndefined();
    expect(exact.repeatOf('xyz', 3)).toBeUndefined();
    expect(exact.repeatOf('xyz', 4)).toBeUndefined(); // not a suspect: the first pass proved it unique
    expect(exact.repeatOf('bb', 5)).toBeUndefined();
    expect(exact.repeatOf('aa', 9)).toBe(2);
  });
});
