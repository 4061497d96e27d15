/**
 * The earliest start of a CSV in no start order, found ahead of the parse (first-start.ts), and
 * the ingest that uses it (in the parser thread of the CLI): the same stored times as the rows in
 * order, whatever the hint said.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { decimalAt, firstStartIfUnsorted } from '../../../src/importers/tabular/first-start.js';
import { parseTime } from '../../../src/importers/common/time.js';
import { seededRandom } from '../../../src/util/seeded-random.js';
import { cli, tempDir } from '../../helpers/cli.js';

const work = tempDir();
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** 5,000 tasks (about 200 kB, more than the 64 kB head), task i starting at 1000 + i + a fraction. */
function rows(count = 5000): string[] {
  return Array.from({ length: count }, (_, i) => `task.${i},sim,${(1000 + i + 0.25).toFixed(2)},${(1010 + i).toFixed(2)},node${i % 4}`);
}

function shuffled<T>(items: T[], seed = 7): T[] {
  const next = seededRandom(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

function write(name: string, lines: string[], eol = '\n'): string {
  const file = path.join(work, name);
  fs.writeFileSync(file, lines.join(eol) + eol);
  return file;
}

const HEADER = 'id,type,start,end,node';

describe('firstStartIfUnsorted', () => {
  it('finds the earliest start of shuffled rows, wherever that row is', () => {
    const lines = shuffled(rows());
    expect(firstStartIfUnsorted(write('shuffled.csv', [HEADER, ...lines]), ',')).toBe(1000.25);
    // The earliest row last, the rest in reverse order.
    expect(firstStartIfUnsorted(write('reversed.csv', [HEADER, ...rows().reverse()]), ',')).toBe(1000.25);
  });

  it('says nothing for rows in start order (the writer then needs no shift), a small file, or no start column', () => {
    expect(firstStartIfUnsorted(write('sorted.csv', [HEADER, ...rows()]), ',')).toBeNull();
    expect(firstStartIfUnsorted(write('small.csv', [HEADER, ...shuffled(rows(100))]), ',')).toBeNull();
    expect(firstStartIfUnsorted(write('no-start.csv', ['id,type,end', ...rows().map((r) => r.split(',').slice(0, 2).concat('5').join(','))]), ',')).toBeNull();
  });

  it('gives up on a quote anywhere (a quoted field may hold the delimiter or a line break)', () => {
    const lines = shuffled(rows());
    lines[4000] = lines[4000].replace('sim', '"sim, quoted"');
    expect(firstStartIfUnsorted(write('quoted.csv', [HEADER, ...lines]), ',')).toBeNull();
  });

  it('reads the start in any column, with CRLF line ends, ISO times, another delimiter and blank starts', () => {
    const lines = shuffled(rows()).map((row) => {
      const [id, type, start, end, node] = row.split(',');
      return [start, id, type, end, node].join(';');
    });
    expect(firstStartIfUnsorted(write('first-column.csv', ['start;id;type;end;node', ...lines], '\r\n'), ';')).toBe(1000.25);
    const iso = shuffled(rows()).map((row, i) => {
      const [id, type, start] = row.split(',');
      const when = new Date(Number(start) * 1000).toISOString();
      return i % 10 === 0 ? `${id},${type},,` : `${id},${type},${when},${when}`;
    });
    const earliest = Math.min(...iso.map((line) => Date.parse(line.split(',')[2]) / 1000).filter((t) => !Number.isNaN(t)));
    expect(firstStartIfUnsorted(write('iso.csv', ['id,type,start,end', ...iso]), ',')).toBe(earliest);
  });
});

describe('decimalAt (the scan reads plain decimals from the bytes)', () => {
  const read = (text: string) => {
    const bytes = Buffer.from(`,${text},`);
    return decimalAt(bytes, 1, bytes.length - 1);
  };

  it('gives the double parseTime gives for the same text, on 100,000 random decimals of up to 17 digits', () => {
    const next = seededRandom(11);
    for (let n = 0; n < 100_000; n++) {
      const digits = 1 + Math.floor(next() * 17);
      let text = '';
      for (let k = 0; k < digits; k++) text += String(Math.floor(next() * 10));
      const point = Math.floor(next() * (digits + 2)) - 1; // -1: no point; digits: a point at the end
      if (point >= 0) text = `${text.slice(0, point)}.${text.slice(point)}`;
      const value = read(text);
      if (!Number.isNaN(value)) expect(value, text).toBe(parseTime(text));
      else expect(BigInt(text.replace('.', '')) > BigInt(Number.MAX_SAFE_INTEGER), text).toBe(true); // left to parseTime
    }
  });

  it('reads epoch times, leading zeros and a bare point as Number() does; anything else is left to parseTime (NaN)', () => {
    for (const text of ['1700000001.313537', '1700933064.020031', '0', '007', '5.', '.5', '1.500000', '0.0000000000000000000001', '9007199254740991']) {
      expect(read(text), text).toBe(Number(text));
    }
    for (const text of ['', '.', '-1', '+1', '1e5', ' 1', '1 ', '1.2.3', '2024-01-01T00:00:00Z', '9007199254740993', '0.00000000000000000000001']) {
      expect(read(text), text).toBeNaN();
    }
  });
});

describe('ingest of a CSV in no start order (parser thread)', () => {
  it('stores the same times as the same rows in start order: time zero is the earliest start', async () => {
    const sorted = write('in-order.csv', [HEADER, ...rows()]);
    const unsorted = write('no-order.csv', [HEADER, ...shuffled(rows())]);
    const stored = async (file: string) => {
      const db = path.join(work, `${path.basename(file)}.db`);
      const result = await cli(['ingest', file, '--db', db, '--cores', '4'], { env: { ASYNCSCOPE_PARSE_WORKER: 'always' } });
      expect(result.code, result.stderr).toBe(0);
      const sqlite = new Database(db, { readonly: true });
      try {
        const run = sqlite.prepare('SELECT epoch, makespan_s FROM runs').get();
        const tasks = sqlite.prepare('SELECT uid, start_s, end_s FROM tasks ORDER BY uid').all();
        return { run, tasks };
      } finally {
        sqlite.close();
      }
    };
    const a = await stored(sorted);
    const b = await stored(unsorted);
    expect(b.run).toEqual({ epoch: 1000.25, makespan_s: 5009 - 0.25 });
    expect(b).toEqual(a);
    expect((b.tasks as { uid: string; start_s: number }[]).find((t) => t.uid === 'task.0')?.start_s).toBe(0);
  });
});
