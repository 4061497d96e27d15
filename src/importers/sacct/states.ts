/**
 * Slurm job and step states (slurm.h, job_state_string) and what they mean as an outcome.
 * sacct prints the state verbatim, with a reason for cancelled jobs (`CANCELLED by 0`: by user id
 * 0); the first word is the state.
 */
import type { Outcome } from '../../run/outcome.js';

const OUTCOMES: Record<string, Outcome> = {
  COMPLETED: 'done',
  FAILED: 'failed',
  OUT_OF_MEMORY: 'failed',
  NODE_FAIL: 'failed',
  BOOT_FAIL: 'failed',
  LAUNCH_FAILED: 'failed',
  SPECIAL_EXIT: 'failed',
  RECONFIG_FAIL: 'failed',
  CANCELLED: 'cancelled',
  PREEMPTED: 'cancelled',
  REVOKED: 'cancelled',
  DEADLINE: 'timeout',
  TIMEOUT: 'timeout',
  RUNNING: 'running',
  COMPLETING: 'running',
  SUSPENDED: 'running',
  STOPPED: 'running',
  RESIZING: 'running',
  SIGNALING: 'running',
  STAGE_OUT: 'running',
  CONFIGURING: 'running',
  PENDING: 'pending',
  REQUEUED: 'pending',
  REQUEUE_HOLD: 'pending',
  REQUEUE_FED: 'pending',
  RESV_DEL_HOLD: 'pending',
};

/** `CANCELLED by 0` -> `CANCELLED`. */
export function baseState(state: string): string {
  const space = state.indexOf(' ');
  return space < 0 ? state : state.slice(0, space);
}

/** The outcome of a state; null for a state this reader does not know. */
export function slurmOutcome(state: string | null): Outcome | null {
  if (state === null) return null;
  return OUTCOMES[baseState(state).toUpperCase()] ?? null;
}

/** Outcomes after which a job that depends on this one with `afterok` can never run. */
export function breaksAfterOk(outcome: Outcome | null): boolean {
  return outcome === 'failed' || outcome === 'cancelled' || outcome === 'timeout' || outcome === 'skipped';
}
