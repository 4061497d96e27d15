/**
 * A progress bar over an input sizes it once (issue 13 point 2: a session folder was walked and
 * every file stat'ed for each chunk read, which made its ingest quadratic). Counted, not timed.
 * test/commands/ingest-folder.test.ts counts the same without a bar, through the CLI.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { inputProgress } from '../../src/cli/progress.js';
import { tempDir } from '../helpers/cli.js';

const work = tempDir();
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  delete (process.stderr as { isTTY?: boolean }).isTTY;
});

/** Pretends that stderr is (true) or is not a terminal, outside CI. */
function stderrIsTerminal(terminal: boolean): void {
  Object.defineProperty(process.stderr, 'isTTY', { value: terminal, configurable: true, writable: true });
  vi.stubEnv('CI', '');
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true); // the bar is drawn nowhere
}

describe('inputProgress', () => {
  it('sizes a folder once, however many chunks are read: a file opened and fstat-ed once each, no stat by path', () => {
    const folder = path.join(work, 'session');
    const files = 40;
    for (let i = 0; i < files; i++) {
      fs.mkdirSync(path.join(folder, `task.${i}`), { recursive: true });
      fs.writeFileSync(path.join(folder, `task.${i}`, 'task.prof'), 'x'.repeat(1000));
    }
    stderrIsTerminal(true);
    const stat = vi.spyOn(fs, 'statSync');
    const fstat = vi.spyOn(fs, 'fstatSync');
    const open = vi.spyOn(fs, 'openSync');
    const readdir = vi.spyOn(fs, 'readdirSync');
    const { progress, onBytes } = inputProgress({ kind: 'dir', path: folder, display: folder, explicit: true }, 'reading');
    expect(onBytes).toBeTypeOf('function');
    for (let chunk = 1; chunk <= 500; chunk++) onBytes?.(chunk * 80);
    progress.stop();
    expect(stat).not.toHaveBeenCalled();
    expect(fstat).toHaveBeenCalledTimes(files);
    expect(open).toHaveBeenCalledTimes(files);
    expect(readdir).toHaveBeenCalledTimes(files + 1);
  });

  it('sizes nothing and counts no bytes when no bar is shown', () => {
    stderrIsTerminal(false);
    const stat = vi.spyOn(fs, 'statSync');
    const { onBytes } = inputProgress({ kind: 'file', path: path.join(work, 'absent.csv'), display: 'absent.csv', explicit: true }, 'reading');
    expect(onBytes).toBeUndefined();
    expect(stat).not.toHaveBeenCalled();
  });
});
