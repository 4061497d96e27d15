/**
 * RADICAL-Pilot importer: a session folder or archive -> one run.
 *
 * A task's execution interval is its first `exec_start` to its last `exec_stop` (events repeat
 * across component profiles). Resources and final states come from the session description; a
 * session without one (a run killed before it was written) is still read, from profiles alone.
 */
import path from 'node:path';
import { TraceError } from '../../errors.js';
import { EdgeTable } from '../../run/edge-table.js';
import { EventTable } from '../../run/event-table.js';
import { outcomeOfState, type Outcome } from '../../run/outcome.js';
import type { ParsedRun } from '../../run/parsed-run.js';
import { TaskTable } from '../../run/task-table.js';
import { mergeCapacity } from '../common/normalize.js';
import type { ImportOptions, Importer, TraceInput } from '../importer.js';
import { sessionFiles } from './archive.js';
import { nameTask } from './naming.js';
import { readProfile, type ProfileStats } from './profile.js';
import { ProfileEvents } from './profile-events.js';
import { readDescriptionFile, type DescribedTasks, type DescriptionFile, type SessionDescription } from './session.js';

export const radicalPilotImporter: Importer = {
  format: 'radical-pilot',
  describe: 'a RADICAL-Pilot session folder, or a .tgz / .tar.gz / .tar.bz2 archive of one',
  detect(sample) {
    if (sample.kind === 'dir') return true; // expandInputs only passes folders that are sessions
    if (sample.tar) return true;
    return '';
  },
  read: readSession,
};

async function readSession(input: TraceInput, options: ImportOptions): Promise<ParsedRun> {
  const seen = new ProfileEvents();
  const jsonFiles: { path: string; read: DescriptionFile }[] = [];
  const roots = new Set<string>();
  let profiles = 0;
  let malformed = 0;
  let firstMalformed: string | null = null;

  for await (const file of sessionFiles(input, options.onBytes)) {
    const slash = file.path.indexOf('/');
    roots.add(slash === -1 ? '' : file.path.slice(0, slash));
    const where = `${input.display}: ${file.path}`;
    if (file.path.endsWith('.prof')) {
      profiles++;
      const stats: ProfileStats = await readProfile(where, file.content, seen);
      malformed += stats.malformed;
      firstMalformed ??= stats.firstMalformed;
    } else if (file.path.endsWith('.json') && file.path.split('/').length <= 2) {
      jsonFiles.push({ path: file.path, read: await readDescriptionFile(where, file.content) });
    }
  }

  const session = findSession(jsonFiles);
  if (profiles === 0 && !session) {
    throw new TraceError(input.display, 'no RADICAL-Pilot session here: no profiles (*.prof) and no session description (<sid>.json)');
  }
  const warnings: string[] = [];
  if (!session) warnings.push('no session description (<sid>.json): task resources, final states and capacity are unknown');
  if (profiles === 0) warnings.push('no profiles (*.prof): no task ever appears to have started');
  if (malformed > 0) warnings.push(`${malformed} unreadable profile line(s) skipped, first at ${firstMalformed}`);

  const tasks = sessionTasks(session, seen, warnings);
  const { table, epoch, reversed } = taskTable(tasks, seen);
  if (reversed > 0) warnings.push(`${reversed} task(s) have exec_stop before exec_start: stored as incomplete`);
  countWarnings(table, warnings);
  return {
    id: session?.sid ?? sessionIdFromPath(input, roots),
    format: 'radical-pilot',
    source: input.path,
    workflow: null,
    capacity: mergeCapacity(session?.capacity, options.capacity),
    epoch,
    scheduled: true,
    tasks: table,
    events: orderedEvents(seen, tasks.taskOfUid, table.length, epoch),
    edges: new EdgeTable(),
    warnings,
  };
}

/**
 * The description is `<sid>.json`; prefer it (the shallowest), but accept any top-level JSON
 * shaped like one. A JSON file that comes first in that order and is broken is an error.
 */
function findSession(files: { path: string; read: DescriptionFile }[]): SessionDescription | null {
  const depth = (file: string) => file.split('/').length;
  const ordered = [...files].sort((a, b) => depth(a.path) - depth(b.path));
  for (const { read } of ordered) {
    if (read.kind === 'session') return read.description;
    if (read.kind === 'bad-session' || read.kind === 'invalid-json') throw read.error;
  }
  return null;
}

/**
 * The run's tasks, before they are put in uid order: the description's, then the uids the
 * profiles show executing that it lacks (a description written before the last tasks were
 * submitted: such a task ran, so it is kept, with unknown resources, and said). Without a
 * description, the tasks are the uids that went through task execution states.
 */
interface SessionTasks {
  described: DescribedTasks | null;
  /** For each described task, its uid's number in the profiles (-1 when they never name it). */
  describedUid: Int32Array;
  /** Uids (profile numbers) of the tasks known from the profiles only. */
  profiled: number[];
  /** For each profile uid, the index of its task in the stored run, or -1 (filled by taskTable). */
  taskOfUid: Int32Array;
}

function sessionTasks(session: SessionDescription | null, seen: ProfileEvents, warnings: string[]): SessionTasks {
  const uids = seen.uids.length;
  const profiled: number[] = [];
  const result: SessionTasks = { described: session?.tasks ?? null, describedUid: new Int32Array(0), profiled, taskOfUid: new Int32Array(uids).fill(-1) };
  if (!session) {
    for (let u = 0; u < uids; u++) if (!Number.isNaN(seen.firstExecStart[u]) || seen.uids[u].startsWith('task.')) profiled.push(u);
    return result;
  }
  const described = session.tasks;
  const isDescribed = new Uint8Array(uids);
  result.describedUid = new Int32Array(described.length);
  for (let k = 0; k < described.length; k++) {
    const u = seen.uidIndex.get(described.uid[k]) ?? -1;
    result.describedUid[k] = u;
    if (u !== -1) isDescribed[u] = 1;
  }
  for (let u = 0; u < uids; u++) if (!isDescribed[u] && !Number.isNaN(seen.firstExecStart[u])) profiled.push(u);
  if (profiled.length > 0) {
    let first = seen.uids[profiled[0]];
    for (const u of profiled) if (seen.uids[u] < first) first = seen.uids[u];
    warnings.push(
      `${profiled.length} task(s) executed according to the profiles but are not in the session description (first: ${first}): stored with unknown cores and GPUs`,
    );
  }
  return result;
}

/**
 * The tasks in uid order, with their execution interval (first exec_start to last exec_stop),
 * times from time zero: the first start (without any, the first event of a task; else none).
 */
function taskTable(tasks: SessionTasks, seen: ProfileEvents): { table: TaskTable; epoch: number | null; reversed: number } {
  const described = tasks.described;
  const count = (described?.length ?? 0) + tasks.profiled.length;
  const describedCount = described?.length ?? 0;
  const uidOf = (k: number) => (k < describedCount ? described!.uid[k] : seen.uids[tasks.profiled[k - describedCount]]);
  const profileUid = (k: number) => (k < describedCount ? tasks.describedUid[k] : tasks.profiled[k - describedCount]);
  const order = uidOrder(count, uidOf);

  const start = new Float64Array(count);
  const end = new Float64Array(count);
  let reversed = 0;
  let epoch = Infinity;
  for (let i = 0; i < count; i++) {
    const u = profileUid(order[i]);
    let s = u === -1 ? NaN : seen.firstExecStart[u];
    let e = u === -1 ? NaN : seen.lastExecStop[u];
    if (Number.isNaN(s)) {
      e = NaN; // an exec_stop without exec_start places nothing in time
    } else if (e < s) {
      reversed++;
      e = NaN;
    }
    start[i] = s;
    end[i] = e;
    if (s < epoch) epoch = s;
    if (u !== -1) tasks.taskOfUid[u] = i;
  }
  if (epoch === Infinity) epoch = firstTaskEvent(seen, tasks.taskOfUid);
  const zero = epoch === Infinity || epoch === 0 ? 0 : epoch;

  const table = new TaskTable();
  for (let i = 0; i < count; i++) {
    const k = order[i];
    const s = start[i] - zero;
    const e = end[i] - zero;
    if (k < describedCount) {
      const d = described!;
      const state = d.state[k] ?? (tasks.describedUid[k] === -1 ? null : seen.lastState(tasks.describedUid[k]));
      table.pushValues(d.uid[k], d.name[k], d.type[k], d.stage[k], d.pipeline[k], state, d.node[k], d.cores[k], d.gpus[k], s, e, NaN);
    } else {
      const u = tasks.profiled[k - describedCount];
      const uid = seen.uids[u];
      const naming = nameTask(uid, null, null, NaN, NaN); // known from the profiles only: resources unknown
      table.pushValues(uid, naming.name, naming.type, naming.stage, naming.pipeline, seen.lastState(u), null, NaN, NaN, s, e, NaN);
    }
  }
  return { table, epoch: epoch === Infinity ? null : epoch, reversed };
}

/**
 * Task positions in uid order (string order, a stable sort: a uid described twice keeps its two
 * tasks in description order, and its events go to the later). Real descriptions list tasks in
 * submission order; large generated ones often already in uid order, checked first.
 */
function uidOrder(count: number, uidOf: (k: number) => string): number[] {
  const uids = new Array<string>(count);
  for (let k = 0; k < count; k++) uids[k] = uidOf(k);
  const order = Array.from({ length: count }, (_, k) => k);
  let sorted = true;
  for (let k = 1; k < count && sorted; k++) sorted = uids[k - 1] <= uids[k];
  if (!sorted) order.sort((a, b) => (uids[a] < uids[b] ? -1 : uids[a] > uids[b] ? 1 : 0));
  return order;
}

/** The earliest event of any task (time zero of a run where no task started), or Infinity. */
function firstTaskEvent(seen: ProfileEvents, taskOfUid: Int32Array): number {
  let first = Infinity;
  for (let j = 0; j < seen.length; j++) {
    if (taskOfUid[seen.eventUid[j]] !== -1 && seen.eventTime[j] < first) first = seen.eventTime[j];
  }
  return first;
}

/**
 * The tasks' events, grouped by task, by time within a task (ties in the order read), from time
 * zero, with exact repeats removed: profiles of different components record the same event. A
 * repeat may follow a different event of the same instant (profile A: start, advance; profile B:
 * start, advance), so each event is compared with all kept events of its instant.
 */
function orderedEvents(seen: ProfileEvents, taskOfUid: Int32Array, taskCount: number, epoch: number | null): EventTable {
  const n = seen.length;
  const zero = epoch === null || epoch === 0 ? 0 : epoch;
  // Counting sort by task, keeping the order read within a task.
  const bucketStart = new Uint32Array(taskCount + 1);
  for (let j = 0; j < n; j++) {
    const task = taskOfUid[seen.eventUid[j]];
    if (task !== -1) bucketStart[task + 1]++;
  }
  for (let t = 1; t <= taskCount; t++) bucketStart[t] += bucketStart[t - 1];
  const order = new Uint32Array(bucketStart[taskCount]);
  const fill = bucketStart.slice(0, taskCount);
  for (let j = 0; j < n; j++) {
    const task = taskOfUid[seen.eventUid[j]];
    if (task !== -1) order[fill[task]++] = j;
  }
  const time = new Float64Array(n);
  for (let j = 0; j < n; j++) time[j] = seen.eventTime[j] - zero;

  const events = new EventTable();
  const pairs = seen.eventPair;
  const sameInstant: number[] = [];
  const byTime = (a: number, b: number) => time[a] - time[b] || a - b;
  for (let t = 0; t < taskCount; t++) {
    const from = bucketStart[t];
    const to = bucketStart[t + 1];
    sortBucket(order, from, to, time, byTime);
    sameInstant.length = 0;
    for (let k = from; k < to; k++) {
      const j = order[k];
      if (sameInstant.length > 0 && time[j] !== time[sameInstant[0]]) sameInstant.length = 0;
      let repeat = false;
      for (const kept of sameInstant) if (pairs[kept] === pairs[j]) repeat = true;
      if (repeat) continue;
      events.push(t, seen.pairEvent[pairs[j]], seen.pairState[pairs[j]], time[j]);
      sameInstant.push(j);
    }
  }
  return events;
}

/** Sorts `order[from, to)` by time, then by position read: insertion sort for the few events of most tasks. */
function sortBucket(order: Uint32Array, from: number, to: number, time: Float64Array, byTime: (a: number, b: number) => number): void {
  if (to - from > 32) {
    const bucket = Array.from(order.subarray(from, to)).sort(byTime);
    order.set(bucket, from);
    return;
  }
  for (let k = from + 1; k < to; k++) {
    const j = order[k];
    let m = k - 1;
    while (m >= from && (time[order[m]] > time[j] || (time[order[m]] === time[j] && order[m] > j))) {
      order[m + 1] = order[m];
      m--;
    }
    order[m + 1] = j;
  }
}

function countWarnings(tasks: TaskTable, warnings: string[]): void {
  let neverStarted = 0;
  let incomplete = 0;
  for (let i = 0; i < tasks.length; i++) {
    if (Number.isNaN(tasks.start[i])) neverStarted++;
    else if (Number.isNaN(tasks.end[i])) incomplete++;
  }
  if (neverStarted > 0) warnings.push(`${neverStarted} task(s) never started`);
  if (incomplete > 0) warnings.push(`${incomplete} task(s) started but never stopped (incomplete)`);
}

/** The session id: the archive's (or folder's) single top folder, else its name without extensions. */
function sessionIdFromPath(input: TraceInput, roots: Set<string>): string {
  if (input.kind === 'file' && roots.size === 1) {
    const [root] = roots;
    if (root !== '') return root;
  }
  return path.basename(input.path).replace(/\.(tgz|tbz2?|tar\.gz|tar\.bz2|tar)$/i, '');
}
