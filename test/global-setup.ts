/**
 * Says once, at the start of a run, why tests are skipped when the third-party traces beside the
 * checkout (../shared/traces) are absent, as on a user's fresh clone. Under CI=true their absence
 * is an error instead (test/helpers/shared-traces.ts).
 */
import { HAVE_SHARED_TRACES, SHARED_TRACES } from './helpers/shared-traces-location.js';

export default function setup(): void {
  if (!HAVE_SHARED_TRACES && process.env.CI === 'true') {
    throw new Error(`CI=true but ${SHARED_TRACES} (radical-pilot/, wfcommons/) is missing: CI must run the tests that read the shared traces`);
  }
  if (!HAVE_SHARED_TRACES) {
    process.stderr.write(`asyncscope tests: ${SHARED_TRACES} is not here, so the tests that read the Summit and WfCommons traces are skipped (CI=true makes this an error)\n`);
  }
}
