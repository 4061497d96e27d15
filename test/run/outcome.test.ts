/** The outcome vocabulary: what systems' state words mean, and counting outcomes over a run. */
import { describe, expect, it } from 'vitest';
import { formatOutcomes, isOutcome, OutcomeCounter, outcomeOfState } from '../../src/run/outcome.js';

describe('outcomeOfState', () => {
  it.each([
    ['DONE', 'done'],
    ['COMPLETED', 'done'],
    ['exec_done', 'done'],
    ['Success', 'done'],
    ['FAILED', 'failed'],
    ['OUT_OF_MEMORY', 'failed'],
    ['NODE_FAIL', 'failed'],
    ['CANCELLED by 0', 'cancelled'],
    ['CANCELED', 'cancelled'],
    ['ABORTED', 'cancelled'],
    ['TIMEOUT', 'timeout'],
    ['CACHED', 'cached'],
    ['memo_done', 'cached'],
    ['dep_fail', 'skipped'],
    ['RUNNING', 'running'],
    ['PENDING', 'pending'],
  ])('reads %s as %s', (state, outcome) => {
    expect(outcomeOfState(state)).toBe(outcome);
  });

  it('leaves words it does not know, and no state, unknown', () => {
    expect(outcomeOfState('AGENT_EXECUTING')).toBeNull();
    expect(outcomeOfState('weird')).toBeNull();
    expect(outcomeOfState('')).toBeNull();
    expect(outcomeOfState(null)).toBeNull();
  });

  it('accepts only its own words as outcomes', () => {
    expect(isOutcome('done')).toBe(true);
    expect(isOutcome('DONE')).toBe(false);
    expect(isOutcome(null)).toBe(false);
  });
});

describe('OutcomeCounter', () => {
  it('counts the outcomes that occur, in the vocabulary order, ignoring unknown ones', () => {
    const counter = new OutcomeCounter();
    for (const outcome of ['failed', 'done', null, 'done', 'cached'] as const) counter.add(outcome);
    const counts = counter.result();
    expect(counts).toEqual({ done: 2, failed: 1, cached: 1 });
    expect(Object.keys(counts)).toEqual(['done', 'failed', 'cached']);
    expect(formatOutcomes(counts)).toBe('done 2, failed 1, cached 1');
    expect(formatOutcomes({})).toBe('');
  });
});
