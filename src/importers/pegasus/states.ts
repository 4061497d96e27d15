/**
 * Job states as Pegasus records them (monitord, from DAGMan's and HTCondor's logs, into `jobstate`)
 * and what they mean here.
 *
 * One job instance (a submission of a job; retries are further instances) goes through
 * [PRE_SCRIPT_STARTED, PRE_SCRIPT_TERMINATED, PRE_SCRIPT_SUCCESS|FAILED], SUBMIT, EXECUTE,
 * [JOB_HELD, JOB_RELEASED, JOB_EVICTED, EXECUTE, ...], JOB_TERMINATED|JOB_ABORTED,
 * JOB_SUCCESS|JOB_FAILURE, [POST_SCRIPT_STARTED, POST_SCRIPT_TERMINATED, POST_SCRIPT_SUCCESS|FAILED].
 */
import type { Outcome } from '../../run/outcome.js';

/** Events named after the lifecycle; every other state keeps its own name, in lower case. */
const EVENT_NAMES: Record<string, string> = {
  SUBMIT: 'submit',
  PRE_SCRIPT_STARTED: 'pre_start',
  PRE_SCRIPT_TERMINATED: 'pre_end',
  POST_SCRIPT_STARTED: 'post_start',
  POST_SCRIPT_TERMINATED: 'post_end',
};

const eventNames = new Map<string, string>();

/** `EXECUTE` is `start` once (the first), `JOB_TERMINATED`/`JOB_ABORTED` `end` once (the last). */
export function eventName(state: string): string {
  let name = eventNames.get(state);
  if (name === undefined) {
    name = EVENT_NAMES[state] ?? state.toLowerCase();
    // Remembered (a million jobs make seven million lower-case copies of a dozen states otherwise), within bounds.
    if (eventNames.size < 4096) eventNames.set(state, name);
  }
  return name;
}

export function isExecute(state: string): boolean {
  return state === 'EXECUTE';
}

export function isTermination(state: string): boolean {
  return state === 'JOB_TERMINATED' || state === 'JOB_ABORTED';
}

/**
 * The outcome of a job's last instance, from its states: the post script's verdict when it ran
 * (DAGMan takes it as the job's result, and so does pegasus-statistics through the instance's
 * exit code), else the job's; then how far it got. `exitcode` (job_instance.exitcode) decides
 * when the states say nothing final.
 */
export function instanceOutcome(states: { has(state: string): boolean }, exitcode: number | null): Outcome {
  if (states.has('POST_SCRIPT_FAILED') || states.has('POST_SCRIPT_FAILURE')) return 'failed';
  if (states.has('POST_SCRIPT_SUCCESS')) return 'done';
  if (states.has('POST_SCRIPT_STARTED')) return 'running';
  if (states.has('JOB_FAILURE') || states.has('PRE_SCRIPT_FAILED') || states.has('PRE_SCRIPT_FAILURE')) return 'failed';
  if (states.has('JOB_SUCCESS')) return 'done';
  if (states.has('JOB_ABORTED')) return 'cancelled';
  if (exitcode !== null) return exitcode === 0 ? 'done' : 'failed';
  if (states.has('EXECUTE') || states.has('JOB_TERMINATED')) return 'running';
  return 'pending';
}

/** The states `instanceOutcome` asks about, a bit each. */
const OUTCOME_BITS = new Map(
  ['POST_SCRIPT_FAILED', 'POST_SCRIPT_FAILURE', 'POST_SCRIPT_SUCCESS', 'POST_SCRIPT_STARTED', 'JOB_FAILURE', 'PRE_SCRIPT_FAILED', 'PRE_SCRIPT_FAILURE', 'JOB_SUCCESS', 'JOB_ABORTED', 'EXECUTE', 'JOB_TERMINATED'].map((state, i) => [state, 1 << i]),
);

/**
 * The states an instance went through, as far as `instanceOutcome` asks (it asks about no
 * other). Reused from job to job: a bit mask where a Set reused so (its clear and seven adds per
 * job) took 1 to 2.6 of the reader's CPU s at 10^6 jobs in the thread profiles.
 */
export class SeenStates {
  private bits = 0;

  clear(): void {
    this.bits = 0;
  }

  add(state: string): void {
    this.bits |= OUTCOME_BITS.get(state) ?? 0;
  }

  has(state: string): boolean {
    return (this.bits & (OUTCOME_BITS.get(state) ?? 0)) !== 0;
  }
}
