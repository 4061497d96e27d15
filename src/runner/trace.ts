/**
 * The trace a run leaves: a JSON Lines task table (the tabular importer's format, docs/formats.md),
 * one task per line in spec order, with the optional columns that the runner knows and other
 * systems' tables may lack: `outcome`, `submit`, `exit_code`, `cpu_slots`, `gpu_slots` and `parents`.
 *
 *   {"id":"B1.0","type":"B1","stage":"B1","state":"DONE","outcome":"done","exit_code":0,"submit":1764201234.51,
 *    "start":1764201234.511,"end":1764201235.523,"node":null,"cores":1,"gpus":0,
 *    "cpu_slots":[1],"gpu_slots":[],"parents":["A.0"]}
 *
 * Times are epoch seconds to the microsecond; a task that never started has null times; `node`
 * is `node-K` on a platform of nodes and null on a pooled one (slot indexes are then the pool's).
 */
import type { TaskRecord } from './execute.js';
import type { RunPlan } from './plan.js';

const time = (t: number) => (Number.isNaN(t) ? null : Math.round(t * 1e6) / 1e6);

/** The trace's lines, each ending in a newline. */
export function* traceLines(plan: RunPlan, records: readonly TaskRecord[]): Generator<string> {
  const nodes = plan.platform.kind === 'nodes';
  for (const task of plan.tasks) {
    const record = records[task.index];
    const placement = record.placement;
    yield `${JSON.stringify({
      id: task.id,
      type: task.type,
      stage: task.stage,
      state: record.state,
      outcome: record.outcome,
      exit_code: record.exitCode,
      submit: time(record.submit),
      start: time(record.start),
      end: time(record.end),
      node: placement !== null && nodes ? `node-${placement.node}` : null,
      cores: task.cores,
      gpus: task.gpus,
      cpu_slots: placement?.cpuSlots ?? null,
      gpu_slots: placement?.gpuSlots ?? null,
      parents: task.parents,
    })}\n`;
  }
}
