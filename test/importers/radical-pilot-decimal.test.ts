/**
 * Profile times read from their bytes (decimal-bytes.ts) are exactly what `Number()` makes of their
 * text, or left to it (NaN): on every time of the real sessions' profiles, on RADICAL-Pilot's
 * 17-digit form at random, near the middle between two doubles, and on the forms `Number()` reads
 * differently (blanks, exponents, signs, lone dots).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sessionFiles } from '../../src/importers/radical-pilot/archive.js';
import { exactDecimal } from '../../src/importers/radical-pilot/decimal-bytes.js';
import { isProfile } from '../../src/importers/radical-pilot/profiles.js';
import { describeWithShared, HAVE_SHARED_TRACES } from '../helpers/shared-traces.js';
import { RP_DIR } from '../helpers/traces.js';

/** Times the fast path got wrong (at most a few, to show), and how many it read and left to Number(). */
function check(texts: Iterable<string>): { wrong: string[]; exact: number; left: number } {
  const wrong: string[] = [];
  let exact = 0;
  let left = 0;
  for (const text of texts) {
    const bytes = Buffer.from(text, 'latin1');
    const value = exactDecimal(bytes, 0, bytes.length);
    if (Number.isNaN(value)) {
      left++;
      continue;
    }
    exact++;
    if (!Object.is(value, Number(text)) && wrong.length < 5) wrong.push(`${text}: ${value} instead of ${Number(text)}`);
  }
  return { wrong, exact, left };
}

/** A pseudo-random generator of integers below `n` (a fixed seed: the same cases every run). */
function seeded(seed: number): (n: number) => number {
  let state = seed >>> 0;
  return (n) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return Math.floor((state / 2 ** 32) * n);
  };
}

describe('profile times read from their bytes', () => {
  it('equal Number() on 17-digit times of RADICAL-Pilot form, and read nearly all of them', () => {
    const random = seeded(16);
    const texts = function* () {
      for (let i = 0; i < 300_000; i++) yield `${1_600_000_000 + random(200_000_000)}.${String(random(10_000_000)).padStart(7, '0')}`;
    };
    const { wrong, exact, left } = check(texts());
    expect(wrong).toEqual([]);
    expect(left).toBeLessThan(exact / 1000);
  });

  it('equal Number() just below and above the middle between two doubles, or leave it to Number()', () => {
    const random = seeded(17);
    const texts = function* () {
      for (let i = 0; i < 50_000; i++) {
        // A double of RADICAL-Pilot's range, m * 2^e exactly, and the exact decimal of the midpoint (2m + 1) * 2^(e - 1) above it.
        const value = 1_073_741_825 + random(1_000_000_000) + random(1 << 24) / (1 << 24);
        const e = Math.floor(Math.log2(value)) - 52;
        const m = BigInt(value * 2 ** -e);
        const places = 1 - e;
        const scaled = (2n * m + 1n) * 5n ** BigInt(places); // the midpoint times 10^places
        const digits = 8 + random(8); // fraction digits kept: 8 to 15
        const below = scaled / 10n ** BigInt(places - digits);
        for (const cut of [below, below + 1n]) {
          const text = cut.toString();
          yield `${text.slice(0, text.length - digits)}.${text.slice(text.length - digits)}`;
        }
      }
    };
    const { wrong, exact } = check(texts());
    expect(wrong).toEqual([]);
    expect(exact).toBeGreaterThan(50_000);
  });

  it('equal Number() on decimals of every length and sign', () => {
    const random = seeded(18);
    const texts = function* () {
      for (let i = 0; i < 200_000; i++) {
        let text = random(5) === 0 ? '-' : '';
        for (let k = random(17) + 1; k > 0; k--) text += random(10);
        if (random(4) > 0) {
          text += '.';
          for (let k = random(17) + 1; k > 0; k--) text += random(10);
        }
        yield text;
      }
    };
    expect(check(texts()).wrong).toEqual([]);
  });

  it('leaves other forms to Number()', () => {
    for (const text of ['', '-', '.5', '5.', ' 1', '1 ', '+1', '1e5', '0x10', 'Infinity', '1,5', '1.2.3', '12345678901234567.5', '1.1234567890123456'])
      expect(exactDecimal(Buffer.from(text), 0, text.length), text).toBeNaN();
    expect(Object.is(exactDecimal(Buffer.from('-0.0'), 0, 4), -0)).toBe(true);
    const line = Buffer.from('x,1700000001.3135369,y');
    expect(exactDecimal(line, 2, 20)).toBe(1700000001.3135369);
  });
});

describeWithShared('profile times of the sessions in ../shared/traces/radical-pilot', () => {
  for (const name of (HAVE_SHARED_TRACES ? fs.readdirSync(RP_DIR) : []).filter((f) => /\.(tgz|tar\.bz2)$/.test(f)).sort()) {
    it(`${name}: every time equals Number() of its text`, async () => {
      const times: string[] = [];
      const input = { path: path.join(RP_DIR, name), display: name, kind: 'file' as const, explicit: true };
      for await (const file of sessionFiles(input, { wanted: isProfile })) {
        const chunks: Buffer[] = [];
        for await (const chunk of file.content) chunks.push(chunk);
        for (const line of Buffer.concat(chunks).toString('latin1').split('\n')) if (line !== '' && !line.startsWith('#')) times.push(line.slice(0, line.indexOf(',')));
      }
      const { wrong, exact } = check(times);
      expect(wrong).toEqual([]);
      expect(exact).toBeGreaterThan(times.length / 2);
    });
  }
});
