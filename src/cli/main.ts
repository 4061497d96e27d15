/**
 * The command line's entry (bin/run.js). It is bundled with the commands (scripts/bundle-cli.mjs) so
 * that oclif, which bin/run.js starts, and the commands it then loads share one copy of oclif.
 */
export { execute } from '@oclif/core/execute';
