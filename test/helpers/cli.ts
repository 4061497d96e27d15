/**
 * Running the real CLI (bin/run.js, built into dist/) in a child process, as a user would.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = path.join(ROOT, 'bin', 'run.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  input?: string;
  /** Run where file permissions apply even to root (see `permissionsApply`); tests check `permissionsApply()` first. */
  obeyPermissions?: boolean;
}

/** Runs `asyncscope ...args`; never throws on a non-zero exit (tests assert the code). */
export function cli(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  const prefix = options.obeyPermissions ? permissionsApply() : [];
  if (prefix === null) throw new Error('file permissions cannot be made to apply here: check permissionsApply() first');
  const [command, ...rest] = [...prefix, process.execPath, BIN, ...args];
  return runProcess(command, rest, {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, CI: 'true', ...options.env },
    input: options.input ?? '',
  });
}

/**
 * How to run a process that file permissions stop, as they stop a user on a shared file system.
 * Root ignores permission bits, so as root the process runs through `setpriv` without the
 * capabilities that bypass them (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER, dropped from
 * the bounding set): still root, still the owner of the test's files, but a folder of mode 0555
 * is then read-only to it, as to anyone. As any other user, nothing is needed. null when neither
 * works (root without setpriv, or a system that refuses to drop capabilities): the caller skips.
 */
export function permissionsApply(): string[] | null {
  if (process.getuid?.() !== 0) return [];
  const prefix = ['setpriv', '--bounding-set=-dac_override,-dac_read_search,-fowner', '--'];
  const probe = spawnSync(prefix[0], [...prefix.slice(1), 'true']);
  return probe.status === 0 ? prefix : null;
}

/** Runs any program to its end, collecting its output; never throws on a non-zero exit. */
export function runProcess(command: string, args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv; input?: string }): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

/** Runs the CLI and parses its stdout as JSON, failing loudly with stderr when it is not. */
export async function cliJson<T = unknown>(args: readonly string[], options?: Parameters<typeof cli>[1]): Promise<{ code: number; json: T; stderr: string }> {
  const result = await cli([...args, '--json'], options);
  try {
    return { code: result.code, json: JSON.parse(result.stdout) as T, stderr: result.stderr };
  } catch {
    throw new Error(`not JSON (exit ${result.code}):\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
  }
}

/** A fresh temporary folder, removed by the caller's afterAll/afterEach via the returned cleanup. */
export function tempDir(prefix = 'asyncscope-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Writes a file of that name and content into `dir` and returns its path: a test's inputs, one line each. */
export function fileWriter(dir: string): (name: string, content: string) => string {
  return (name, content) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, content);
    return file;
  };
}
