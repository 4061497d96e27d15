/**
 * The fast path of the sacct text reader (lines read from their bytes, line-bytes.ts) against the
 * reader it stands in for (parseLine over the lines as strings): the same records line by line on
 * every real sample and on hostile lines, the same lines out of the byte splitter as out of
 * eachLine, and the same stored run either way.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { blankBytes, eachByteLine, type ByteLine } from '../../../src/importers/common/byte-lines.js';
import { eachLine, utf8Text } from '../../../src/importers/common/streams.js';
import { sacctImporter } from '../../../src/importers/sacct/index.js';
import { SacctLineReader } from '../../../src/importers/sacct/line-bytes.js';
import { parseHeader, parseLine } from '../../../src/importers/sacct/text.js';
import type { SacctRecord } from '../../../src/importers/sacct/record.js';
import { generateRun } from '../../../src/synthetic/workflow.js';
import { writeSacct } from '../../../src/synthetic/hpc-writers.js';
import { ROOT, tempDir } from '../../helpers/cli.js';
import { importWith, storedEdges, storedEvents, storedTasks } from '../../helpers/importer-run.js';

const DIR = path.join(ROOT, 'traces', 'sacct');
const SAMPLES = fs.readdirSync(DIR).filter((name) => name.endsWith('.sacct.txt'));
const work = tempDir();
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));
afterEach(() => {
  delete process.env.ASYNCSCOPE_SACCT_LINES;
});

/** Lines of a buffer as eachByteLine gives them, copied; fed in chunks of `chunk` bytes. */
async function byteLines(bytes: Buffer, chunk = 1 << 20): Promise<{ text: string; ascii: boolean; number: number; bytes: Buffer }[]> {
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += chunk) chunks.push(bytes.subarray(at, at + chunk));
  const lines: { text: string; ascii: boolean; number: number; bytes: Buffer }[] = [];
  await eachByteLine(Readable.from(chunks), (line: ByteLine) => {
    const own = Buffer.from(line.bytes.subarray(line.from, line.to));
    lines.push({ text: line.text ?? own.toString('latin1'), ascii: line.text === null, number: line.number, bytes: own });
  });
  return lines;
}

/**
 * Each data line of `content` read both ways: the fast record must equal parseLine's whenever the
 * fast path gives one, and be null whenever parseLine throws. Returns how many lines took it.
 */
async function compareLines(content: Buffer, stepsAsTasks = false): Promise<{ fast: number; lines: number; fastLines: number[] }> {
  const lines = (await byteLines(content)).filter((line) => line.text.trim() !== '');
  const header = parseHeader(lines[0].text, 'x', lines[0].number);
  const reader = new SacctLineReader(header);
  const fastLines: number[] = [];
  for (const line of lines.slice(1)) {
    let slow: SacctRecord | Error;
    try {
      slow = parseLine(header, line.text, 'x', line.number, !stepsAsTasks);
    } catch (error) {
      slow = error as Error;
    }
    const record = line.ascii ? reader.read(line.bytes, 0, line.bytes.length, line.number, !stepsAsTasks) : null;
    if (record === null) continue;
    fastLines.push(line.number);
    expect(slow, `line ${line.number}: ${line.text}`).not.toBeInstanceOf(Error);
    expect(record, `line ${line.number}: ${line.text}`).toEqual(slow);
  }
  return { fast: fastLines.length, lines: lines.length - 1, fastLines };
}

describe('sacct lines read from their bytes', () => {
  for (const name of SAMPLES) {
    it(`${name}: the same record as parseLine on every line it reads (jobs, and each step a task)`, async () => {
      const content = fs.readFileSync(path.join(DIR, name));
      const byJobs = await compareLines(content);
      await compareLines(content, true);
      // Outputs with Start and End go through the fast path nearly whole (pending ranges do not).
      const header = parseHeader(content.toString('utf8').split('\n')[0], name, 1);
      if (header.column.start >= 0 && header.column.end >= 0) expect(byJobs.fast).toBeGreaterThan(byJobs.lines / 2);
      else expect(byJobs.fast).toBe(0);
    });
  }

  it('the generated trace of the benchmark: every line read from its bytes, as parseLine reads it', async () => {
    const file = path.join(work, 'gen.sacct');
    writeSacct(generateRun({ tasks: 300, seed: 3, tasksPerPipeline: 100 }), file);
    const { fast, lines } = await compareLines(fs.readFileSync(file));
    expect(lines).toBe(900);
    expect(fast).toBe(lines);
  });

  it('leaves every unusual line to parseLine, and reads the usual ones as it does', async () => {
    const head = 'JobID|JobIDRaw|JobName|State|Submit|Eligible|Start|End|AllocCPUS|AllocTRES|ReqTRES|NodeList|SubmitLine';
    const lines = [
      head,
      '10|10|a|COMPLETED|2026-01-01T00:00:00|2026-01-01T00:00:00|2026-01-01T00:00:01|2026-01-01T00:00:09|4|cpu=4,gres/gpu:a100=2,gres/gpu=2|cpu=4|n1|sbatch -d afterok:9 a.sh',
      '10.batch|10.batch|batch|CANCELLED by 0|2026-01-01T00:00:01|2026-01-01T00:00:01|2026-01-01T00:00:01|2026-01-01T00:00:09|4|cpu=4||n1|',
      '10.0|10.0|x|COMPLETED|||2026-01-01T00:00:02|2026-01-01T00:00:03|||||',
      '11_3|14|arr|RUNNING|2026-01-01T00:00:00|Unknown|2026-01-01 00:00:05|Unknown||cpu=1|cpu=1|None assigned|',
      '11_3.extern|14.extern|extern|RUNNING||||Unknown|||||',
      '12+1|13|het|PENDING|1767225600|None|None|None||||(null)|',
      '12+1.0|13.0|het|PENDING|||||||||',
      '15_[1-3%2]|15|arr|PENDING|2026-01-01T00:00:00|Unknown|Unknown|Unknown||||None assigned|sbatch -a 1-3%2 x.sh',
      '16|16|frac|COMPLETED|2026-01-01T00:00:00.250|2026-01-01T00:00:00|2026-01-01T00:00:01|2026-01-01T00:00:02|0004||||',
      '17|17|empty||||||||||',
      '18|18|tres|COMPLETED|||2026-01-01T00:00:01|2026-01-01T00:00:02||||n[1-2]|',
      '19|19|reqtres|COMPLETED|||2026-01-01T00:00:01|2026-01-01T00:00:02|||cpu=3,gres/gpu=1|n1|',
      '20|20|nine|COMPLETED|||2026-01-01T00:00:01|2026-01-01T00:00:02|9.5|||n1|',
      // parseLine throws on each of these: the fast path must not read them
      '21|21|late|COMPLETED|||2026-01-01T25:00:00|2026-01-01T25:00:01|1||||',
      '22|22|back|COMPLETED|||2026-01-01T00:00:09|2026-01-01T00:00:01|1||||',
      '23|23|cpus|COMPLETED|||2026-01-01T00:00:01|2026-01-01T00:00:02|-1||||',
      '24|24|gpus|COMPLETED|||2026-01-01T00:00:01|2026-01-01T00:00:02|1|gres/gpu=lots|||',
      'x25|25|id|COMPLETED|||2026-01-01T00:00:01|2026-01-01T00:00:02|1||||',
      '26.|26|id|COMPLETED|||2026-01-01T00:00:01|2026-01-01T00:00:02|1||||',
      '27|27|few|COMPLETED',
      '28|28|pipe|COMPLETED|||2026-01-01T00:00:01|2026-01-01T00:00:02|1||||srun sh -c "a | b"',
      '29|29|date|COMPLETED|||2026-13-01T00:00:01|2026-13-01T00:00:02|1||||',
      '1234567890123456|1|long|COMPLETED|||2026-01-01T00:00:01|2026-01-01T00:00:02|1||||',
    ];
    const content = Buffer.from(`${lines.join('\r\n')}\r\n`);
    // Lines 2 to 14 are usual but for the pending range (line 9); lines 15 on are not.
    const usual = [2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14];
    expect((await compareLines(content)).fastLines).toEqual(usual);
    expect((await compareLines(content, true)).fastLines).toEqual(usual);
  });

  it('reads a trailing "|" (sacct -p) as parseLine does', async () => {
    const content = Buffer.from('JobID|State|Start|End|\n5|COMPLETED|2026-01-01T00:00:01|2026-01-01T00:00:02|\n5.batch|FAILED|2026-01-01T00:00:01|2026-01-01T00:00:02|\n');
    expect((await compareLines(content)).fast).toBe(2);
  });
});

describe('eachByteLine', () => {
  it('gives the lines eachLine gives (CRLF, a byte order mark, UTF-8, no last newline), whatever the chunks', async () => {
    const content = Buffer.from('\ufeffJobID|JobName\r\n1|caf\u00e9\r\n\r\n   \n2|b\n3|\u4e2d\u6587\r');
    const expected: [string, number][] = [];
    await eachLine(Readable.from([content]).pipe(utf8Text()), (line, number) => void expected.push([line, number]));
    for (const chunk of [1, 2, 3, 5, 64]) {
      const lines = await byteLines(content, chunk);
      expect(lines.map((line) => [line.ascii ? line.text : line.text, line.number])).toEqual(expected);
      expect(lines.map((line) => line.ascii)).toEqual(expected.map(([text]) => /^[\x00-\x7f]*$/.test(text)));
    }
  });

  it('finds blank lines as trim() does', () => {
    for (const text of ['', ' ', '\t \x0b\x0c', ' a ', 'x']) expect(blankBytes(Buffer.from(text), 0, text.length)).toBe(text.trim() === '');
  });
});

describe('sacct text read from bytes or as strings', () => {
  for (const name of [...SAMPLES, 'generated']) {
    it(`${name}: the same stored run`, async () => {
      let file = path.join(DIR, name);
      if (name === 'generated') {
        file = path.join(work, 'stored.sacct');
        writeSacct(generateRun({ tasks: 200, seed: 5, tasksPerPipeline: 100 }), file);
      }
      const stored = async () => {
        const imported = await importWith(sacctImporter, file, { capacity: { cores: 64, gpus: 8, nodes: 2 } });
        return { run: { ...imported.run, importedAt: null }, warnings: imported.warnings, tasks: await storedTasks(imported), events: await storedEvents(imported), edges: await storedEdges(imported) };
      };
      const fromBytes = await stored();
      process.env.ASYNCSCOPE_SACCT_LINES = 'strings';
      const fromStrings = await stored();
      expect(fromBytes).toEqual(fromStrings);
      expect(fromBytes.tasks.length).toBeGreaterThan(0);
    });
  }
});
