/**
 * Writing files the user names: whole or not at all, the folder created, and every failure one
 * line naming the file, at once (exit 2). The command-line cases of the same failures, including a
 * read-only folder, are in test/commands/unwritable-outputs.test.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { makeUserFolder, produceUserFile, produceUserFileAsync, writeUserFile } from '../../src/files/write.js';
import { tempDir } from '../helpers/cli.js';

const work = tempDir();
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** Files left in a folder besides the ones expected: no temporary file may stay. */
const leftovers = (dir: string) => fs.readdirSync(dir).filter((name) => name.endsWith('.tmp'));

describe('writeUserFile', () => {
  it('writes the content, creating the missing folders, and leaves no temporary file', () => {
    const file = path.join(work, 'a', 'b', 'report.html');
    writeUserFile(file, 'report', '<html>');
    expect(fs.readFileSync(file, 'utf8')).toBe('<html>');
    expect(leftovers(path.dirname(file))).toEqual([]);
  });

  it('replaces a file whole, keeping its permissions, and writes through a symbolic link', () => {
    const file = path.join(work, 'kept.json');
    fs.writeFileSync(file, 'old');
    fs.chmodSync(file, 0o640);
    writeUserFile(file, 'baseline', 'new');
    expect(fs.readFileSync(file, 'utf8')).toBe('new');
    expect(fs.statSync(file).mode & 0o777).toBe(0o640);
    const link = path.join(work, 'link.json');
    fs.symlinkSync(file, link);
    writeUserFile(link, 'baseline', 'through the link');
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(file, 'utf8')).toBe('through the link');
  });

  it('leaves the old file as it was when writing fails half-way', async () => {
    const file = path.join(work, 'export.csv');
    fs.writeFileSync(file, 'complete');
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    await expect(
      produceUserFileAsync(file, 'export', async (target) => {
        fs.writeFileSync(target, 'half');
        throw full;
      }),
    ).rejects.toThrow(new InputError(`${file}: cannot write the export: no space left on the device`));
    expect(fs.readFileSync(file, 'utf8')).toBe('complete');
    expect(leftovers(work)).toEqual([]);
    // Not a file problem: a bug, passed on as it is (exit 3), the old file still intact.
    expect(() => produceUserFile(file, 'export', () => { throw new TypeError('a bug'); })).toThrow(TypeError);
    expect(fs.readFileSync(file, 'utf8')).toBe('complete');
  });

  it('writes a device or a pipe directly', () => {
    expect(() => writeUserFile('/dev/null', 'JUnit report', '<testsuites/>')).not.toThrow();
    expect(fs.statSync('/dev/null').isCharacterDevice()).toBe(true);
  });

  it('fails in one line: a folder as the target, a parent that is a file', () => {
    expect(() => writeUserFile(work, 'report', 'x')).toThrow(new InputError(`${work}: cannot write the report: is a folder`));
    const parent = path.join(work, 'plain-file');
    fs.writeFileSync(parent, '');
    const file = path.join(parent, 'sub', 'b.json');
    expect(() => writeUserFile(file, 'baseline', '{}')).toThrow(new InputError(`${file}: cannot write the baseline: ${parent} is a file, not a folder`));
  });

  it('fails at once under /proc, where recursive mkdir would loop forever', () => {
    const started = Date.now();
    expect(() => writeUserFile('/proc/asyncscope-test/x/y.html', 'report', 'x')).toThrow(
      new InputError('/proc/asyncscope-test/x/y.html: cannot write the report: cannot create the folder /proc/asyncscope-test: the file system does not allow it'),
    );
    expect(() => writeUserFile('/proc/asyncscope-test.html', 'report', 'x')).toThrow(/^\/proc\/asyncscope-test\.html: cannot write the report: /);
    expect(() => makeUserFolder('/proc/nope', 'output folder')).toThrow(
      new InputError('/proc/nope: cannot create the output folder: the file system does not allow it'),
    );
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
