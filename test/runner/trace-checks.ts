/**
 * Checks of a runner trace, made from the trace alone (the JSON Lines the runner writes), as
 * anyone reading the file could make them: slots never oversubscribed, dependencies and barriers
 * respected.
 */
import { expect } from 'vitest';

export interface TraceRow {
  id: string;
  type: string;
  stage: string | null;
  state: 'DONE' | 'FAILED' | 'CANCELED';
  outcome: 'done' | 'failed' | 'cancelled' | 'skipped';
  exit_code: number | null;
  submit: number | null;
  start: number | null;
  end: number | null;
  node: string | null;
  cores: number;
  gpus: number;
  cpu_slots: number[] | null;
  gpu_slots: number[] | null;
  parents: string[];
}

export function parseTrace(text: string): TraceRow[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as TraceRow);
}

const ran = (row: TraceRow) => row.start !== null && row.end !== null;

/**
 * At every instant, per node: the cores and GPUs held sum to at most the node's, and no slot index
 * is held by two tasks. A task holds exactly as many slots as it asks, all below the node's size.
 * Returns the most cores held at once (over all nodes), to show the check had something to check.
 */
export function checkSlots(rows: TraceRow[], coresPerNode: number, gpusPerNode: number): { maxCores: number; maxGpus: number } {
  type Step = { time: number; kind: 0 | 1; row: TraceRow }; // 0 = end first at equal times: a slot freed may be taken at once
  const steps: Step[] = [];
  for (const row of rows.filter(ran)) {
    expect(row.cpu_slots, row.id).toHaveLength(row.cores);
    expect(row.gpu_slots, row.id).toHaveLength(row.gpus);
    for (const slot of row.cpu_slots!) expect(slot).toBeLessThan(coresPerNode);
    for (const slot of row.gpu_slots!) expect(slot).toBeLessThan(gpusPerNode);
    expect(row.end!).toBeGreaterThanOrEqual(row.start!);
    steps.push({ time: row.start!, kind: 1, row }, { time: row.end!, kind: 0, row });
  }
  steps.sort((a, b) => a.time - b.time || a.kind - b.kind);
  const held = new Map<string, string>(); // node/cpu/3 -> task id
  const used = new Map<string, { cores: number; gpus: number }>();
  let maxCores = 0;
  let maxGpus = 0;
  let totalCores = 0;
  let totalGpus = 0;
  for (const { kind, row } of steps) {
    const node = row.node ?? 'pool';
    const u = used.get(node) ?? { cores: 0, gpus: 0 };
    const sign = kind === 1 ? 1 : -1;
    u.cores += sign * row.cores;
    u.gpus += sign * row.gpus;
    totalCores += sign * row.cores;
    totalGpus += sign * row.gpus;
    used.set(node, u);
    expect(u.cores, `cores held on ${node} when ${row.id} starts`).toBeLessThanOrEqual(coresPerNode);
    expect(u.gpus, `GPUs held on ${node} when ${row.id} starts`).toBeLessThanOrEqual(gpusPerNode);
    maxCores = Math.max(maxCores, totalCores);
    maxGpus = Math.max(maxGpus, totalGpus);
    for (const [kindName, slots] of [['cpu', row.cpu_slots!], ['gpu', row.gpu_slots!]] as const) {
      for (const slot of slots) {
        const key = `${node}/${kindName}/${slot}`;
        if (kind === 1) {
          expect(held.get(key), `${kindName} slot ${slot} of ${node} taken by ${row.id}`).toBeUndefined();
          held.set(key, row.id);
        } else {
          held.delete(key);
        }
      }
    }
  }
  return { maxCores, maxGpus };
}

/** Every task that ran started after all its parents had ended. */
export function checkDependencies(rows: TraceRow[]): void {
  const byId = new Map(rows.map((row) => [row.id, row]));
  for (const row of rows.filter(ran)) {
    for (const parent of row.parents) {
      const p = byId.get(parent)!;
      expect(p.end, `${parent} (parent of ${row.id}) ended`).not.toBeNull();
      expect(row.start!, `${row.id} starts after its parent ${parent} ended`).toBeGreaterThanOrEqual(p.end!);
    }
  }
}

/** No task of level k + 1 started before every task of level k had ended. */
export function checkBarriers(rows: TraceRow[], levelOf: (row: TraceRow) => number): number {
  const levels = new Map<number, TraceRow[]>();
  for (const row of rows.filter(ran)) levels.set(levelOf(row), [...(levels.get(levelOf(row)) ?? []), row]);
  const count = Math.max(...levels.keys()) + 1;
  for (let k = 1; k < count; k++) {
    const lastEnd = Math.max(...(levels.get(k - 1) ?? []).map((row) => row.end!));
    const firstStart = Math.min(...(levels.get(k) ?? []).map((row) => row.start!));
    expect(firstStart, `level ${k} starts after level ${k - 1} ended`).toBeGreaterThanOrEqual(lastEnd);
  }
  return count;
}
