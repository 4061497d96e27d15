/**
 * The third-party traces the tests read: the Summit RADICAL-Pilot sessions, WfCommons instances
 * and the other samples in ../shared/traces beside the checkout. The project never ships copies
 * of them (they are other people's data), so a fresh clone has none of them:
 *
 * - outside CI, the tests that need them are reported as skipped, with the reason;
 * - under CI=true (where ../shared is always present) their absence fails the suite at once, so
 *   that CI can never pass by silently skipping the tests that matter most.
 *
 * ASYNCSCOPE_SHARED_TRACES points elsewhere (another checkout's traces).
 */
import { beforeAll, describe } from 'vitest';
import { HAVE_SHARED_TRACES, SHARED_TRACES } from './shared-traces-location.js';

export { HAVE_SHARED_TRACES, SHARED_TRACES, sharedTrace } from './shared-traces-location.js';

const REASON = `needs the third-party traces in ${SHARED_TRACES}, which this checkout does not have`;

if (!HAVE_SHARED_TRACES && process.env.CI === 'true') {
  throw new Error(`CI=true but ${SHARED_TRACES} (radical-pilot/, wfcommons/) is missing: CI must run the tests that read the shared traces`);
}

type Suite = (name: string, body: () => void) => void;

/** `describe` (and `describeWithShared.concurrent`), skipped with the reason when the shared traces are not here. */
export const describeWithShared: Suite & { concurrent: Suite } = HAVE_SHARED_TRACES
  ? Object.assign((name: string, body: () => void) => describe(name, body), { concurrent: (name: string, body: () => void) => describe.concurrent(name, body) })
  : Object.assign(skippedSuite, { concurrent: skippedSuite });

/** A file's `beforeAll` that builds a store from the shared traces: not run when they are not here (its tests are skipped). */
export const beforeAllWithShared: typeof beforeAll = HAVE_SHARED_TRACES ? beforeAll : () => undefined;

// The reason goes into the name, which is how vitest's reporters show why a test was skipped.
function skippedSuite(name: string, body: () => void): void {
  describe.skip(`${name} [skipped: ${REASON}]`, body);
}
