/**
 * A task's normalized outcome (see the importer contract): what happened to it, whatever the
 * system calls its final state. Cached and skipped tasks have no start or end.
 */
export type Outcome = 'done' | 'failed' | 'cancelled' | 'timeout' | 'cached' | 'skipped' | 'running' | 'pending';
