/**
 * Running the real CLI (bin/run.js, built into dist/) in a child process, as a user would.
 */
import { spawn } from 'node:child_process';
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

/** Runs `asyncscope ...args`; never throws on a non-zero exit (tests assert the code). */
export function cli(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}): Promise<CliResult> {
  return runProcess(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, CI: 'true', ...options.env },
    input: options.input ?? '',
  });
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
