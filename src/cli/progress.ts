/**
 * Progress bars for long steps, on stderr, only for a person at a terminal: never when stderr is
 * piped or redirected, and never in CI (CI=true), so logs stay clean.
 */
import cliProgress from 'cli-progress';
import { isCi } from '../text/terminal.js';

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
