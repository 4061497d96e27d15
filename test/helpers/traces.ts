/**
 * The real Summit traces (in ../shared/traces/radical-pilot, never copied into the project) and
 * facts about them taken from their README, for tests. Tests that use them run inside
 * `describeWithShared` (helpers/shared-traces.ts).
 */
import path from 'node:path';
import { sharedTrace } from './shared-traces-location.js';

export const RP_DIR = sharedTrace('radical-pilot');

export const SUMMIT = {
  ddmdSync: { id: 're.session.login2.pascuzzi.019224.0001', file: path.join(RP_DIR, 're.session.login2.pascuzzi.019224.0001.tgz'), tasks: 627, makespan: 1660.215 },
  ddmdAsync: { id: 're.session.login2.pascuzzi.019224.0005', file: path.join(RP_DIR, 're.session.login2.pascuzzi.019224.0005.tgz'), tasks: 627, makespan: 1331.514 },
  dg2Sync: { id: 're.session.login5.pascuzzi.019221.0000', file: path.join(RP_DIR, 're.session.login5.pascuzzi.019221.0000.tgz'), tasks: 256, makespan: 1800.123 },
  dg2Async: { id: 're.session.login5.pascuzzi.019221.0001', file: path.join(RP_DIR, 're.session.login5.pascuzzi.019221.0001.tgz'), tasks: 256, makespan: 1332.734 },
} as const;

/** Other RADICAL-Pilot sessions in the shared traces: DG1 on Summit, and RADICAL-Pilot's own sample session (radical.analytics). */
export const SHARED = {
  /** 2,048 multi-rank tasks on 4 nodes of 64 cores and 8 GPUs, none waiting for another. */
  mosto: { id: 'rp.session.mosto.mturilli.019432.0002', file: path.join(RP_DIR, 'rp.session.mosto.mturilli.019432.0002.tar.bz2'), tasks: 2048, makespan: 6525.074 },
  /** DG1 on Summit, synchronous and asynchronous (16 nodes). */
  dg1Sync: { id: 're.session.login1.pascuzzi.019225.0000', file: path.join(RP_DIR, 're.session.login1.pascuzzi.019225.0000.tgz'), tasks: 256, makespan: 1902.617 },
  dg1Async: { id: 're.session.login1.pascuzzi.019225.0001', file: path.join(RP_DIR, 're.session.login1.pascuzzi.019225.0001.tgz'), tasks: 256, makespan: 1909.2 },
} as const;
