/**
 * A run write that watches the task times going through it (time-check.ts), for the importers
 * that stream a run without checking its times themselves: RADICAL-Pilot, Nextflow, Snakemake,
 * Dask, and each run of sacct, Parsl and Pegasus inputs. Task tables check their own, with line
 * numbers (Importer.checksTimes). Everything but `pushValues` goes straight to the write.
 */
import type { PushTask } from '../../run/task-fields.js';
import type { RunWrite } from '../../store/store.js';
import type { TimeCheck } from './time-check.js';

/** `write`, its tasks' start and end watched by `check`; `offset` makes them absolute (the epoch when the importer hands times from time zero). */
export function watchingTimes(write: RunWrite, offset: number, check: TimeCheck): RunWrite {
  // Named parameters rather than a rest array: no array per task at a million tasks.
  const pushValues: PushTask<number> = (uid, name, type, stage, pipeline, state, outcome, node, cores, gpus, start, end, runtime, exitCode, cpuSlots, gpuSlots) => {
    check.observe(uid, null, start + offset, end + offset);
    return write.pushValues(uid, name, type, stage, pipeline, state, outcome, node, cores, gpus, start, end, runtime, exitCode, cpuSlots, gpuSlots);
  };
  const watched: RunWrite = {
    pushValues,
    addEvent: (task, event, state, time) => write.addEvent(task, event, state, time),
    addEdge: (parent, child) => write.addEdge(parent, child),
    addDetails: (task, traceType, executable, stageName, ranks) => write.addDetails(task, traceType, executable, stageName, ranks),
    addParent: (child, parentUid, line) => write.addParent(child, parentUid, line),
    resolveParents: () => write.resolveParents(),
    taskUid: (idx) => write.taskUid(idx),
    commit: (contentHash, warnings) => write.commit(contentHash, warnings),
    rollback: () => write.rollback(),
  };
  if (write.startsFrom) watched.startsFrom = (time) => write.startsFrom!(time);
  return watched;
}
