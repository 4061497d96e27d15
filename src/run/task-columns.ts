/**
 * The task columns the timeline analyses read: start, end, cores and GPUs, and the text columns
 * tasks are grouped by. A `TaskTable` is one; the store's `loadTaskColumns` gives a lighter one
 * with typed arrays, in which the text columns not asked for are empty.
 */
import type { TaskValue } from './task-fields.js';

/** The text columns of a task that analyses group by. */
export type TextColumn = 'type' | 'stage' | 'pipeline';

type Read = 'start' | 'end' | 'cores' | 'gpus' | TextColumn;

export type TaskColumns = { readonly length: number } & { readonly [N in Read]: ArrayLike<TaskValue<N>> };
