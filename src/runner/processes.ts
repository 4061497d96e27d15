/**
 * A task's process: started in a process group of its own, so that stopping the task stops
 * everything it started (a shell command's children too), and so that a Ctrl-C at the terminal
 * reaches the runner, which stops the tasks itself, rather than the tasks directly.
 *
 * A task ends when its process exits; whatever it left running in its group is killed then, so
 * that a task never holds its slots past its end. Standard output is discarded; the end of
 * standard error is kept, to say why a task failed.
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import type { Launch } from './command.js';

/** How a task's process ended. */
export interface ProcessExit {
  /** Clock time of the exit (seconds). */
  time: number;
  /** The exit status; 128 + the signal number when a signal ended it (as shells report it). */
  exitCode: number;
  /** The signal that ended it, if one did. */
  signal: string | null;
  /** Why it could not start (`spawn sleepy ENOENT`), if it could not. */
  error: string | null;
}

export interface TaskProcess {
  /** Sends SIGTERM to the task's process group, and SIGKILL if it still runs `graceMs` later. */
  stop(graceMs: number): void;
  /** SIGKILL to the process group now. */
  kill(): void;
  /** The last lines the task wrote to standard error (complete once `closed` resolved). */
  stderrTail(): string;
  /** Resolves once the process has exited and its standard error is closed. */
  readonly closed: Promise<void>;
}

const STDERR_TAIL_CHARS = 2000;
/** How long standard error may stay open after the exit (a grandchild that left the group). */
const CLOSE_WAIT_MS = 1000;

/** Starts a task; `onExit` is called at once when its process exits (or fails to start). */
export function startProcess(launch: Launch, clock: () => number, onExit: (exit: ProcessExit) => void): TaskProcess {
  let exited = false;
  let stderr = '';
  let killTimer: NodeJS.Timeout | undefined;
  let resolveClosed!: () => void;
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));

  const child = spawn(launch.file, launch.args, {
    detached: true, // setsid(): a process group (and session) of its own
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ...launch.env },
  });
  const pid = child.pid;

  const signalGroup = (signal: NodeJS.Signals) => {
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // ESRCH: the group is gone already
    }
  };

  const finish = (exit: ProcessExit) => {
    if (exited) return;
    exited = true;
    clearTimeout(killTimer);
    signalGroup('SIGKILL'); // what the task left behind
    onExit(exit);
    const timer = setTimeout(() => {
      child.stderr?.destroy();
      resolveClosed();
    }, CLOSE_WAIT_MS);
    timer.unref();
  };

  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_TAIL_CHARS);
  });
  child.on('exit', (code, signal) => {
    const time = clock();
    finish({ time, exitCode: code ?? 128 + signalNumber(signal), signal, error: null });
  });
  child.on('error', (error: NodeJS.ErrnoException) => {
    // Failed to start (no such program, not executable): what a shell would report.
    const code = error.code === 'ENOENT' ? 127 : error.code === 'EACCES' ? 126 : 1;
    finish({ time: clock(), exitCode: code, signal: null, error: error.message });
    if (pid === undefined) resolveClosed();
  });
  child.on('close', () => resolveClosed());

  return {
    stop(graceMs) {
      if (exited) return;
      signalGroup('SIGTERM');
      killTimer ??= setTimeout(() => signalGroup('SIGKILL'), graceMs);
    },
    kill() {
      if (!exited) signalGroup('SIGKILL');
    },
    stderrTail: () => stderr,
    closed,
  };
}

function signalNumber(signal: NodeJS.Signals | null): number {
  return signal === null ? 0 : (os.constants.signals[signal] ?? 0);
}
