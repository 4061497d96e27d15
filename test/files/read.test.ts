/**
 * Reading files the user names: the text, or one line naming the file and the problem (exit 2).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { readUserFile } from '../../src/files/read.js';
import { tempDir } from '../helpers/cli.js';

const work = tempDir();
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('readUserFile', () => {
  it('reads the text', () => {
    const file = path.join(work, 'spec.yaml');
    fs.writeFileSync(file, 'stages: []\n');
    expect(readUserFile(file, 'spec file')).toBe('stages: []\n');
  });

  it('names the file and the problem: missing (with advice), a folder, too large', () => {
    const missing = path.join(work, 'nope.json');
    expect(() => readUserFile(missing, 'baseline file', { missing: 'save one with asyncscope baseline save' })).toThrow(
      new InputError(`${missing}: no such baseline file (save one with asyncscope baseline save)`),
    );
    expect(() => readUserFile(path.join(work, 'nope', 'x.yaml'), 'spec file')).toThrow(/x\.yaml: no such spec file$/);
    expect(() => readUserFile(work, 'rules file')).toThrow(new InputError(`${work}: is a folder, not a rules file`));
    const big = path.join(work, 'big.yaml');
    fs.writeFileSync(big, 'x'.repeat(100));
    expect(() => readUserFile(big, 'rules file', { maxBytes: 10 })).toThrow(new InputError(`${big}: 100 bytes is too large for a rules file (at most 10)`));
  });
});
