/**
 * Progress bars for long steps, on stderr, only for a person at a terminal: never when stderr is
 * piped or redirected, and never in CI (CI=true), so logs stay clean.
 */
import { createRequire } from 'node:module';
import type { TraceInput } from '../importers/importer.js';
import { inputSize } from '../importers/inputs.js';
import { isCi } from '../text/terminal.js';

// cli-progress is loaded only when a bar is drawn: a command run from a script never needs it.
const require = createRequire(import.meta.url);

export function progressWanted(): boolean {
  return Boolean(process.stderr.isTTY) && !isCi();
}

export interface Progress {
  update(value: number, label?: string): void;
  stop(): void;
}

const SILENT: Progress = { update() {}, stop() {} };

/** A bar from 0 to `total` (bytes, tasks, ...), or a silent stand-in when progress is not wanted. */
export function startProgress(total: number, label: string, unit: 'bytes' | 'items' = 'items'): Progress {
  if (!progressWanted() || total <= 0) return SILENT;
  const cliProgress = require('cli-progress') as typeof import('cli-progress');
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: ` {bar} {percentage}% | {amount} | {label}`,
      clearOnComplete: true,
      hideCursor: true,
      barsize: 30,
      fps: 10,
    },
    cliProgress.Presets.shades_classic,
  );
  const amount = (value: number) => (unit === 'bytes' ? `${mb(value)}/${mb(total)} MB` : `${value}/${total}`);
  bar.start(total, 0, { label, amount: amount(0) });
  return {
    update(value, newLabel) {
      bar.update(Math.min(value, total), { amount: amount(value), ...(newLabel ? { label: newLabel } : {}) });
    },
    stop() {
      bar.stop();
    },
  };
}

function mb(bytes: number): string {
  return (bytes / 1e6).toFixed(1);
}

/**
 * A bar for the bytes read of one input, and the callback that moves it; none at all when no bar
 * is shown (then importers count no bytes). The input's size is taken once: for a session folder
 * that is a walk and a stat of every file, which once per chunk read made an ingest quadratic.
 */
export function inputProgress(input: TraceInput, label: string): { progress: Progress; onBytes?: (bytes: number) => void } {
  if (!progressWanted()) return { progress: SILENT };
  const total = Math.max(1, inputSize(input));
  const progress = startProgress(100, label);
  return { progress, onBytes: (bytes) => progress.update(Math.round((100 * bytes) / total)) };
}

