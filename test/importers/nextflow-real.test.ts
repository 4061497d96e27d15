/**
 * The Nextflow importer on four real traces (../shared/traces/nextflow, read in place): the
 * figures of their expected.json (made by expected.py from the files alone).
 *
 * Nextflow's default fields have no start or complete: the importer takes end = submit + duration
 * and start = end - realtime, which is expected.py's `makespan_exec_this_run_s`; the span from the
 * first submission to the last end is its `makespan_this_run_s`. CACHED rows did not run in this
 * run, so they are neither executed nor in the makespan.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { readNextflow } from '../../src/importers/nextflow/index.js';
import { countTasks } from '../../src/run/task-counts.js';
import { describeWithShared, sharedTrace } from '../helpers/shared-traces.js';

interface Expected {
  tasks: number;
  executed_this_run: number;
  makespan_this_run_s: number;
  makespan_exec_this_run_s: number;
  per_status: Record<string, number>;
  per_name: Record<string, number>;
}

const SAMPLES = [
  { folder: 'nfcore_chipseq_jianhong', file: 'execution_trace.txt', tasks: 275, executed: 275, failed: 17, cached: 0, makespan: 1906.777, fromSubmit: 1985.525 },
  { folder: 'openproblems', file: 'execution_trace.txt', tasks: 217, executed: 217, failed: 8, cached: 0, makespan: 4164.846, fromSubmit: 4176.246 },
  { folder: 'mandolin_cached', file: 'pipeline_trace.txt', tasks: 43, executed: 37, failed: 0, cached: 6, makespan: 21592.229, fromSubmit: 21593.239 },
  { folder: 'scisoseq_cached_failed', file: 'execution_trace.txt', tasks: 8, executed: 2, failed: 1, cached: 6, makespan: 295.0, fromSubmit: 443.431 },
] as const;

describeWithShared('Nextflow importer on real traces (../shared/traces/nextflow)', () => {
  const dir = sharedTrace('nextflow');
  // Read when a test runs: without the shared traces the suite is collected, and skipped.
  const expectedOf = (folder: string) => (JSON.parse(fs.readFileSync(path.join(dir, 'expected.json'), 'utf8')) as Record<string, Expected>)[folder];

  for (const sample of SAMPLES) {
    it(`${sample.folder}: ${sample.tasks} tasks, ${sample.executed} executed, ${sample.failed} failed, ${sample.cached} cached, makespan ${sample.makespan} s`, async () => {
      const file = path.join(dir, sample.folder, sample.file);
      const run = await readNextflow({ path: file, display: file, kind: 'file', explicit: true }, {});
      const figures = expectedOf(sample.folder);
      const counts = countTasks(run.tasks);
      // The figures stated above are expected.json's, checked here so that neither drifts.
      expect([figures.tasks, figures.executed_this_run, figures.makespan_exec_this_run_s, figures.makespan_this_run_s]).toEqual([sample.tasks, sample.executed, sample.makespan, sample.fromSubmit]);
      expect(counts.tasks).toBe(sample.tasks);
      expect(counts.executed).toBe(sample.executed);
      expect(counts.makespanS).toBeCloseTo(sample.makespan, 3);
      expect(run.tasks.outcome.filter((o) => o === 'failed')).toHaveLength(sample.failed);
      expect(run.tasks.outcome.filter((o) => o === 'cached')).toHaveLength(sample.cached);
      expect(run.tasks.outcome.filter((o) => o === 'done')).toHaveLength(figures.per_status.COMPLETED);

      // Queue time included: from the first submission (event `submit`) of this run's tasks to the last end.
      let firstSubmit = Infinity;
      let lastEnd = -Infinity;
      for (let k = 0; k < run.events.length; k++) {
        if (run.events.event[k] === 'submit') firstSubmit = Math.min(firstSubmit, run.events.time[k]);
        if (run.events.event[k] === 'end') lastEnd = Math.max(lastEnd, run.events.time[k]);
      }
      expect(lastEnd - firstSubmit).toBeCloseTo(sample.fromSubmit, 3);

      // Types: the process, i.e. the name without its tag.
      const perType: Record<string, number> = {};
      for (const type of run.tasks.type) perType[type] = (perType[type] ?? 0) + 1;
      expect(perType).toEqual(figures.per_name);
      expect(run.warnings.some((w) => w.includes('no start and complete fields'))).toBe(true);
      expect(run.warnings.some((w) => w.includes('read as UTC'))).toBe(true);
    });
  }
});
