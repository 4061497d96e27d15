import type { GroupBy } from '../../analysis/intervals.js';

/** What the groups of a `--by` grouping are called in headings and tables. */
export function groupNoun(by: GroupBy): string {
  return by === 'type' ? 'task type' : by === 'stage' ? 'stage' : 'pipeline';
}
