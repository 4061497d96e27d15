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
