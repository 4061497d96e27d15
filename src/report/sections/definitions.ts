/**
 * Definitions: short, in the words of docs/metrics.md and docs/model.md, linking only to anchors
 * inside the report (a report is read offline and shared as one file).
 */
import type { Section } from '../document-model.js';

export function definitionsSection(): Section {
  return {
    id: 'definitions',
    title: 'Definitions',
    blocks: [
      {
        kind: 'definitions',
        items: [
          { id: 'def-time', term: 'Time', text: ["Seconds from the run's time zero, the first task start. A task runs on the half-open interval [start, end): one ending at t and one starting at t never run together."] },
          { id: 'def-makespan', term: 'Makespan', text: ['Last task end minus first task start, over the executed tasks.'] },
          { id: 'def-busy', term: 'Busy and idle', text: ['Busy: the length of the union of the task intervals (concurrent tasks are counted once). Idle: makespan minus busy.'] },
          {
            id: 'def-utilization',
            term: 'Utilization',
            text: ["Core-seconds (GPU-seconds) the tasks held divided by the machine's cores (GPUs) times the makespan. Over time: cores (GPUs) in use as a share of the machine, in bins."],
          },
          { id: 'def-concurrency', term: 'Concurrency', text: ['The number of tasks running at each moment; its maximum and its time-weighted mean over the makespan.'] },
          {
            id: 'def-overlap',
            term: 'Overlap',
            text: ['How long two groups ran at the same time (the intersection of the unions of their intervals); as a share, divided by the busy time of the shorter group.'],
          },
          {
            id: 'def-asynchronicity',
            term: 'async_fraction and doa',
            text: [
              'async_fraction: the share of the busy time with two or more groups running. doa (degree of asynchronicity): the time-weighted mean number of groups running, over the busy time; 1.0 for a run that executes its groups strictly one at a time, as a synchronous run does.',
            ],
          },
          {
            id: 'def-bins',
            term: 'Bins',
            text: ['Time series are exact step functions resampled to equal bins over the makespan (at most 2,000 points per chart): the time-weighted mean in each bin, and the peak, so that short bursts stay visible.'],
          },
          {
            id: 'def-lanes',
            term: 'Lanes',
            text: ['In a timeline, each task of a group takes the lowest lane free when it starts, so a group uses as many lanes as it had tasks running at once. Runs of more than 2,000 tasks show one bar per group instead.'],
          },
          {
            id: 'def-predictions',
            term: 'Predictions',
            text: [
              'The performance model predicts four makespans. All but async_ideal come from one discrete-event simulator that places each task on the first node with enough free cores and GPUs.',
            ],
          },
          { id: 'def-sequential', term: 'sequential', text: ['Every stage alone on the machine, one after another.'] },
          {
            id: 'def-sync',
            term: 'sync',
            text: ['Level by level: the stages of one level of the dependency graph run together, with a barrier after each level (the synchronous baseline).'],
          },
          { id: 'def-async-ideal', term: 'async_ideal', text: ['The critical path, each stage as long as it takes alone on the machine: a lower bound that ignores competition for resources.'] },
          { id: 'def-async', term: 'async', text: ['No barriers: each task starts when the stages it depends on are done and it fits on a node.'] },
          {
            id: 'def-calibration',
            term: 'Calibration',
            text: [
              "The model takes the synchronous run's task durations by type and resources, and its launch overhead: the median gap between the end of a stage and the start of the next dependent stage. Both predictions of a comparison use this calibration.",
            ],
          },
          { id: 'def-improvement', term: 'Improvement', text: ['1 - async makespan / sync makespan: the share of the synchronous makespan that asynchronous execution saved.'] },
          { id: 'def-error', term: 'Error', text: ['(predicted - measured) / measured; for the improvement, the difference in percentage points (pp).'] },
          {
            id: 'def-critical-path',
            term: 'Critical path',
            text: [
              "The chain of tasks that set a run's makespan, walked back from the last task to end: each task's start is explained by what it waited for last, the end of a task it depends on or the end of the task that freed the CPUs or GPUs it lacked. Its running times and the gaps between them add up to the makespan.",
            ],
          },
          {
            id: 'def-waits',
            term: 'Waits',
            text: [
              "A task's time from time zero to its start, split into dependencies (until they ended), then staging (data moving), CPUs and GPUs (it did not fit on the free resources) and launch (ready and fitting, not yet started). Blocked anyway: of the dependency wait, the time it would not have fitted either.",
            ],
          },
          {
            id: 'def-whatif',
            term: 'What if',
            text: ["The model's makespans of the calibrated asynchronous structure on other resources; node-hours = nodes x makespan / 3600."],
          },
          {
            id: 'def-sweep',
            term: 'Sweep',
            text: [
              "A family of workflows with the same stages and machine, from a chain of levels (every stage waits for the whole level before it) to the workflow's own dependencies, each simulated level by level and asynchronously: the improvement against the degree of asynchronicity (doa) of the asynchronous execution.",
            ],
          },
        ],
      },
    ],
    subsections: [],
  };
}
