/**
 * Uids as the profile reader keeps them (profile-events.ts): not as strings but as where their
 * text is (a numbered family and number, bytes in a pool, or a decoded text), so that a million
 * of them move between threads without a copy of a million strings. Each must come back as the
 * profile wrote it, and be found again by its text.
 */
import { describe, expect, it } from 'vitest';
import { ProfileLines } from '../../src/importers/radical-pilot/profile.js';
import { ProfileEvents, ProfileIndex, stateBuffers } from '../../src/importers/radical-pilot/profile-events.js';

const UIDS = [
  'task.000042', // numbered, zero-padded
  'task.7', // numbered, one digit: another family than task.NNNNNN
  'task.000000',
  'pilot.0000',
  'task.16777216', // a number too large for a family's array: hashed
  'task.0000000000', // ten digits: hashed
  'unit.abc', // no number: hashed
  '.5', // nothing before the dot: hashed
  'task.', // no digits: hashed
  'x', // no dot
  't\u00e9.0001', // not ASCII: by text
  '\u{1F600}',
];

function read(uids: string[]): ProfileIndex {
  const events = new ProfileEvents();
  const lines = new ProfileLines('test.prof', events);
  lines.bytes(Buffer.from(['#time,event,comp,thread,uid,state,msg', ...uids.map((uid, k) => `${1000 + k},exec_start,c,t,${uid},,`), ''].join('\n')));
  lines.end();
  return new ProfileIndex(events.finish());
}

describe('uids read from profiles', () => {
  it('come back as written, numbered in the order first seen, and are found by their text', () => {
    const index = read([...UIDS, ...UIDS]); // each twice: the second time found, not new
    expect(index.uidCount).toBe(UIDS.length);
    UIDS.forEach((uid, u) => {
      expect(index.uid(u)).toBe(uid);
      expect(index.uidNumber(uid)).toBe(u);
    });
    expect(index.uidNumber('task.000043')).toBe(-1);
    expect(index.uidNumber('task.42')).toBe(-1); // task.000042's number, other digits: another uid
  });

  it('survive the move to another thread (structured clone, buffers transferred)', () => {
    const events = new ProfileEvents();
    const lines = new ProfileLines('test.prof', events);
    lines.bytes(Buffer.from(['#time,event,comp,thread,uid,state,msg', ...UIDS.map((uid, k) => `${1000 + k},exec_start,c,t,${uid},,`), ''].join('\n')));
    lines.end();
    const state = events.finish();
    const moved = structuredClone(state, { transfer: stateBuffers(state) });
    const index = new ProfileIndex(moved);
    expect(UIDS.map((_, u) => index.uid(u))).toEqual(UIDS);
  });
});
