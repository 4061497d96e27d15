/**
 * RADICAL-Pilot importer: a session folder or archive -> one run.
 *
 * A task's execution interval is its first `exec_start` to its last `exec_stop` (events repeat
 * across component profiles). Resources and final states come from the session description; a
 * session without one (a run killed before it was written) is still read, from profiles alone.
 */
import path from 'node:path';
import { TraceError } from '../../errors.js';
import { EventTable } from '../../run/event-table.js';
import { outcomeOfState, type Outcome } from '../../run/outcome.js';
import type { ParsedRun } from '../../run/parsed-run.js';
import { TaskTable } from '../../run/task-table.js';
import { finalizeRun, mergeCapacity } from '../common/normalize.js';
import { collect } from '../common/streams.js';
import type { ImportOptions, Importer, TraceInput } from '../importer.js';
import { sessionFiles } from './archive.js';
import { nameTask } from './naming.js';
import { readProfile, type ProfileStats } from './profile.js';
import { isSessionJson, parseSession, type SessionDescription, type SessionTask } from './session.js';

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

/** Events of every uid seen in the profiles, before we know which uids are tasks. */
class UidEvents {
  readonly index = new Map<string, number>();
  readonly uids: string[] = [];
  readonly firstExecStart: number[] = [];
  readonly lastExecStop: number[] = [];
  readonly lastState: (string | null)[] = [];
  readonly lastStateTime: number[] = [];
  readonly events = new EventTable();
  /**
   * One copy of each event name and state: a session has a few dozen of them but millions of
   * events, and every line split yields fresh strings.
   */
  private readonly words = new Map<string, string>();

  private word(text: string): string {
    const known = this.words.get(text);
    if (known !== undefined) return known;
    this.words.set(text, text);
    return text;
  }

  add(uid: string, rawEvent: string, rawState: string, time: number): void {
    const event = this.word(rawEvent);
    const state = rawState === '' ? '' : this.word(rawState);
    let i = this.index.get(uid);
    if (i === undefined) {
      i = this.uids.length;
      this.index.set(uid, i);
      this.uids.push(uid);
      this.firstExecStart.push(NaN);
      this.lastExecStop.push(NaN);
      this.lastState.push(null);
      this.lastStateTime.push(-Infinity);
    }
    if (event === 'exec_start' && !(time >= this.firstExecStart[i])) this.firstExecStart[i] = time;
    if (event === 'exec_stop' && !(time <= this.lastExecStop[i])) this.lastExecStop[i] = time;
    if (state !== '' && time >= this.lastStateTime[i]) {
      this.lastState[i] = state;
      this.lastStateTime[i] = time;
    }
    this.events.push(i, event, state === '' ? null : state, time);
  }
}

async function readSession(input: TraceInput, options: ImportOptions): Promise<ParsedRun> {
  const seen = new UidEvents();
  const jsonFiles: { path: string; bytes: Buffer }[] = [];
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
      const stats: ProfileStats = await readProfile(where, file.content, (e) => {
        if (e.uid !== '') seen.add(e.uid, e.event, e.state, e.time);
      });
      malformed += stats.malformed;
      firstMalformed ??= stats.firstMalformed;
    } else if (file.path.endsWith('.json') && file.path.split('/').length <= 2) {
      jsonFiles.push({ path: file.path, bytes: await collect(file.content) });
    }
  }

  const session = findSession(input, jsonFiles);
  if (profiles === 0 && !session) {
    throw new TraceError(input.display, 'no RADICAL-Pilot session here: no profiles (*.prof) and no session description (<sid>.json)');
  }
  const warnings: string[] = [];
  if (!session) warnings.push('no session description (<sid>.json): task resources, final states and capacity are unknown');
  if (profiles === 0) warnings.push('no profiles (*.prof): no task ever appears to have started');
  if (malformed > 0) warnings.push(`${malformed} unreadable profile line(s) skipped, first at ${firstMalformed}`);

  const sessionTasks = session ? withUndescribedTasks(session.tasks, seen, warnings) : tasksFromProfiles(seen);
  const tasks = new TaskTable();
  const taskOfUid = new Int32Array(seen.uids.length).fill(-1);
  const sorted = [...sessionTasks].sort((a, b) => (a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0));
  let reversed = 0;
  for (const task of sorted) {
    const i = seen.index.get(task.uid);
    const start = i === undefined ? NaN : seen.firstExecStart[i];
    let end = i === undefined ? NaN : seen.lastExecStop[i];
    if (Number.isNaN(start)) {
      end = NaN; // an exec_stop without exec_start places nothing in time
    } else if (end < start) {
      reversed++;
      end = NaN;
    }
    const naming = nameTask(task.uid, task.name, task.executable, task.cores, task.gpus);
    const state = task.state ?? (i === undefined ? null : seen.lastState[i]);
    const index = tasks.push({
      uid: task.uid,
      ...naming,
      state,
      outcome: outcomeOf(state, start, end),
      node: task.node,
      cores: task.cores,
      gpus: task.gpus,
      start,
      end,
    });
    if (i !== undefined) taskOfUid[i] = index;
  }
  if (reversed > 0) warnings.push(`${reversed} task(s) have exec_stop before exec_start: stored as incomplete`);

  const events = new EventTable();
  const raw = seen.events;
  for (let k = 0; k < raw.length; k++) {
    const task = taskOfUid[raw.task[k]];
    if (task !== -1) events.push(task, raw.event[k], raw.state[k], raw.time[k]);
  }

  countWarnings(tasks, warnings);
  return finalizeRun({
    id: session?.sid ?? sessionIdFromPath(input, roots),
    format: 'radical-pilot',
    source: input.path,
    capacity: mergeCapacity(session?.capacity, options.capacity),
    tasks,
    events,
    warnings,
  });
}

function findSession(input: TraceInput, files: { path: string; bytes: Buffer }[]): SessionDescription | null {
  // The description is `<sid>.json`; prefer it, but accept any top-level JSON shaped like one.
  const ordered = [...files].sort((a, b) => a.path.split('/').length - b.path.split('/').length);
  for (const file of ordered) {
    let json: unknown;
    try {
      json = JSON.parse(file.bytes.toString('utf8'));
    } catch (error) {
      throw new TraceError(`${input.display}: ${file.path}`, `not valid JSON (${(error as Error).message})`);
    }
    if (isSessionJson(json)) return parseSession(`${input.display}: ${file.path}`, json);
  }
  return null;
}

/**
 * DONE, FAILED and CANCELED are RADICAL-Pilot's final states; a task whose last state is an
 * intermediate one (AGENT_EXECUTING, TMGR_SCHEDULING ...) was still pending or running when the
 * session ended.
 */
function outcomeOf(state: string | null, start: number, end: number): Outcome | null {
  const final = outcomeOfState(state);
  if (final !== null || state === null) return final;
  if (Number.isNaN(start)) return 'pending';
  return Number.isNaN(end) ? 'running' : null;
}

/** Without a session description, the tasks are the uids that went through task execution states. */
function tasksFromProfiles(seen: UidEvents): SessionTask[] {
  const tasks: SessionTask[] = [];
  seen.uids.forEach((uid, i) => {
    const started = !Number.isNaN(seen.firstExecStart[i]);
    if (started || uid.startsWith('task.')) tasks.push(profiledTask(uid));
  });
  return tasks;
}

/** A task known from the profiles only: what it asked for and its final state are unknown. */
function profiledTask(uid: string): SessionTask {
  return { uid, name: null, state: null, executable: null, cores: NaN, gpus: NaN, node: null };
}

/**
 * The description's tasks, plus any uid the profiles show executing that the description lacks
 * (a description written before the last tasks were submitted): such a task ran, so it is kept,
 * with unknown resources, and said.
 */
function withUndescribedTasks(described: SessionTask[], seen: UidEvents, warnings: string[]): SessionTask[] {
  const known = new Set(described.map((task) => task.uid));
  const extra: SessionTask[] = [];
  seen.uids.forEach((uid, i) => {
    if (!known.has(uid) && !Number.isNaN(seen.firstExecStart[i])) extra.push(profiledTask(uid));
  });
  if (extra.length === 0) return described;
  const first = extra.map((task) => task.uid).sort()[0];
  warnings.push(`${extra.length} task(s) executed according to the profiles but are not in the session description (first: ${first}): stored with unknown cores and GPUs`);
  return [...described, ...extra];
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
