/**
 * RADICAL-Pilot importer: a session folder or archive -> one run.
 *
 * A task's execution interval is its first `exec_start` to its last `exec_stop` (events repeat
 * across component profiles). Resources and final states come from the session description; a
 * session without one (a run killed before it was written) is still read, from profiles alone.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { TraceError } from '../../errors.js';
import { EdgeTable } from '../../run/edge-table.js';
import { EventTable } from '../../run/event-table.js';
import { outcomeOfState, type Outcome } from '../../run/outcome.js';
import type { ParsedRun } from '../../run/parsed-run.js';
import { TaskDetails } from '../../run/task-details.js';
import { TaskTable } from '../../run/task-table.js';
import { mergeCapacity } from '../common/normalize.js';
import { contentHash, folderFiles, hashRestOfFile, type FolderFile } from '../common/hash.js';
import type { ImportOptions, Importer, OpenRun, StreamResult, TraceInput } from '../importer.js';
import { sessionFiles } from './archive.js';
import { blockLength } from './columns.js';
import { nameTask } from './naming.js';
import { ProfileIndex } from './profile-events.js';
import { groupEvents, type EventColumns, type GroupedEvents } from './event-groups.js';
import { isDescriptionCandidate, isProfile, profilesWorker, ProfilesReading, readProfilesInWorker, type ProfilesRead, type ProfilesWorker } from './profiles.js';
import { readDescriptionFile, type DescribedTasks, type DescriptionFile, type SessionDescription } from './session.js';

export const radicalPilotImporter: Importer = {
  format: 'radical-pilot',
  describe: 'a RADICAL-Pilot session folder, or a .tgz / .tar.gz / .tar.bz2 archive of one',
  detect(sample) {
    // The signs isSessionFolder looks for (inputs.ts): profiles, the session's description, a pilot sandbox.
    if (sample.kind === 'dir') {
      const own = `${path.basename(path.resolve(sample.display))}.json`;
      return sample.entries.some((name) => name.endsWith('.prof') || name === own || /^pilot\.\d+$/.test(name)) ? true : '';
    }
    if (sample.tar) return true;
    return '';
  },
  read: readSession,
  stream: streamSession,
};

/**
 * Reads the session, then writes it into the run `open` starts: its tasks in uid order and its
 * events, straight from the columns read, with the epoch known (the whole session is read first).
 */
async function streamSession(input: TraceInput, options: ImportOptions, open: OpenRun): Promise<StreamResult> {
  // An archive is hashed as it is read; a folder's hash (paths, sizes and bytes of its files) the pipeline has already.
  const hash = options.contentHash === undefined && input.kind === 'file' ? crypto.createHash('sha256') : null;
  let hashed = 0;
  let reading = true;
  const onRaw = (chunk: Buffer) => {
    if (!reading) return; // a chunk read ahead after the reader stopped: hashRestOfFile hashes it
    hash!.update(chunk);
    hashed += chunk.length;
  };
  const session = await readSessionRun(input, options, hash ? onRaw : undefined);
  // The archive may be read only up to its description (readMembers), and whatever follows its
  // end goes unread: the hash goes on from there to the end of the file.
  reading = false;
  if (hash) await hashRestOfFile(hash, input.path, hashed);
  const digest = options.contentHash ?? (hash ? hash.digest('hex') : await contentHash(input));
  try {
    const writer = await open(session.header, { epoch: session.epoch, contentHash: digest });
    await session.writeTo(writer);
  } finally {
    session.close();
  }
  return { contentHash: digest, warnings: session.warnings };
}

/** Where a session's tasks and events go, in stored order, times from time zero. */
export interface SessionSink {
  pushValues: TaskTable['pushValues'];
  addEvent(task: number, event: string, state: string | null, time: number): void;
  /** What the description says of task `task` besides its row: executable, EnTK stage name, ranks (TaskDetails). */
  addDetails(task: number, traceType: string, executable: string | null, stageName: string | null, ranks: number): void;
}

/** A session read, ready to be written: the run's header, time zero, warnings, and what writes its tasks and events. */
export interface SessionRun {
  header: Omit<ParsedRun, 'epoch' | 'tasks' | 'events' | 'edges' | 'warnings'>;
  /** Epoch seconds of time zero (the first execution start; without any, the first event of a task). */
  epoch: number | null;
  warnings: string[];
  /** Hands every task, then every event, to `sink`. */
  writeTo(sink: SessionSink): Promise<void>;
  /** Ends the profile reader thread, if any; call it once done with the session, written or not. */
  close(): void;
}

/** Reads the session whole (ParsedRun), for the store's saveRun. */
async function readSession(input: TraceInput, options: ImportOptions): Promise<ParsedRun> {
  const session = await readSessionRun(input, options);
  const tasks = new TaskTable();
  const events = new EventTable();
  const details = new TaskDetails();
  try {
    await session.writeTo({
      pushValues: (...task) => tasks.pushValues(...task),
      addEvent: (...event) => events.push(...event),
      addDetails: (task, _traceType, executable, stageName, ranks) => details.push(task, executable, stageName, ranks),
    });
  } finally {
    session.close();
  }
  const run: ParsedRun = { ...session.header, epoch: session.epoch, tasks, events, edges: new EdgeTable(), warnings: session.warnings };
  if (details.length > 0) run.details = details;
  return run;
}

export async function readSessionRun(input: TraceInput, options: ImportOptions, onRaw?: (chunk: Buffer) => void): Promise<SessionRun> {
  // The walk of a folder that hashed it serves the size and the reading.
  const files = input.kind === 'dir' ? folderFiles(input) : undefined;
  const size = () => (files ? files.reduce((sum, file) => sum + file.size, 0) : fs.statSync(input.path).size);
  const script = profilesWorker(size);
  const worker = script === null ? null : readProfilesInWorker(script, input);
  worker?.done.catch(() => {}); // awaited below; a failure of this thread's reading comes first
  try {
    return await readWithProfiles(input, options, onRaw, files, worker);
  } catch (error) {
    worker?.stop();
    throw error;
  }
}

/**
 * readSessionRun, with the profiles read by `worker` (which the session returned keeps, to group
 * the events: its `close` ends it) or, without one, in this thread.
 */
async function readWithProfiles(
  input: TraceInput,
  options: ImportOptions,
  onRaw: ((chunk: Buffer) => void) | undefined,
  files: FolderFile[] | undefined,
  worker: ProfilesWorker | null,
): Promise<SessionRun> {
  // With a worker reading the profiles of an archive, this thread stops at the description (see readMembers).
  let members = await readMembers(input, options, onRaw, files, worker, worker !== null && input.kind === 'file');
  const read: ProfilesRead = worker ? await worker.done : members.profiles!;
  if (members.stoppedAtDepth !== null && passedOver(read.jsonMembers, members, members.stoppedAtDepth)) {
    // The rest of the archive holds a JSON file findSession would weigh first: read it all again
    // (its raw bytes are hashed already, up to where this thread stopped, and to the end in streamSession).
    members = await readMembers(input, options, undefined, files, worker, false);
  }
  const { jsonFiles, roots } = members;
  const { profiles, malformed, firstMalformed } = read;
  const seen = new ProfileIndex(read.state);

  const session = findSession(jsonFiles);
  if (profiles === 0 && !session) {
    throw new TraceError(input.display, 'no RADICAL-Pilot session here: no profiles (*.prof) and no session description (<sid>.json)');
  }
  const warnings: string[] = [];
  if (!session) warnings.push('no session description (<sid>.json): task resources, final states and capacity are unknown');
  if (profiles === 0) warnings.push('no profiles (*.prof): no task ever appears to have started');
  if (malformed > 0) warnings.push(`${malformed} unreadable profile line(s) skipped, first at ${firstMalformed}`);

  const tasks = sessionTasks(session, seen, warnings);
  const timed = placeTasks(tasks, seen);
  if (timed.reversed > 0) warnings.push(`${timed.reversed} task(s) have exec_stop before exec_start: stored as incomplete`);
  if (timed.neverStarted > 0) warnings.push(`${timed.neverStarted} task(s) never started`);
  if (timed.incomplete > 0) warnings.push(`${timed.incomplete} task(s) started but never stopped (incomplete)`);
  return {
    header: {
      id: session?.sid ?? sessionIdFromPath(input, roots),
      format: 'radical-pilot',
      source: input.path,
      workflow: null,
      capacity: mergeCapacity(session?.capacity, options.capacity),
      scheduled: true,
    },
    epoch: timed.epoch,
    warnings,
    async writeTo(sink) {
      const zero = timed.epoch === null || timed.epoch === 0 ? 0 : timed.epoch;
      const columns: EventColumns = { length: seen.length, eventUid: seen.eventUid, eventPair: seen.eventPair, eventTime: seen.eventTime };
      const count = timed.order.length;
      // The reader thread sorts the events while this one writes the tasks (a million tasks: most of a second).
      const grouped = worker ? worker.groupEvents(columns, tasks.taskOfUid, count, zero) : null;
      writeTasks(tasks, timed, seen, sink);
      writeEvents(grouped ? await grouped : groupEvents(columns, tasks.taskOfUid, count, zero), seen, sink);
    },
    close: () => worker?.stop(),
  };
}

/** What readMembers read: the top-level JSON files, the top folders, and (without a worker) the profiles. */
interface SessionMembers {
  jsonFiles: { path: string; read: DescriptionFile }[];
  roots: Set<string>;
  profiles: ProfilesRead | null;
  /** The depth of the description it stopped after, or null when it read to the end. */
  stoppedAtDepth: number | null;
}

/**
 * Reads the members of the session that this thread reads: its top-level JSON files, and its
 * profiles when no worker reads them. With `stopAtDescription`, it stops decompressing once it has
 * read a description: the worker decompresses the whole archive anyway, and at 10^6 tasks the
 * description came second of four members, this thread's decompressing of the 315 MB after it
 * then being the last thing the reading waited for (docs/benchmark.md). Whether it passed over
 * anything that matters is checked against the members the worker met (passedOver).
 */
async function readMembers(
  input: TraceInput,
  options: ImportOptions,
  onRaw: ((chunk: Buffer) => void) | undefined,
  files: FolderFile[] | undefined,
  worker: ProfilesWorker | null,
  stopAtDescription: boolean,
): Promise<SessionMembers> {
  const jsonFiles: { path: string; read: DescriptionFile }[] = [];
  const roots = new Set<string>();
  const profiles = new ProfilesReading();
  const wanted = (file: string) => {
    const slash = file.indexOf('/');
    roots.add(slash === -1 ? '' : file.slice(0, slash));
    return !(worker && isProfile(file));
  };
  for await (const file of sessionFiles(input, { onBytes: options.onBytes, onRaw, wanted, files })) {
    const where = `${input.display}: ${file.path}`;
    if (isProfile(file.path)) {
      await profiles.read(where, file.content);
    } else if (isDescriptionCandidate(file.path)) {
      const read = await readDescriptionFile(where, file.content);
      jsonFiles.push({ path: file.path, read });
      if (stopAtDescription && read.kind === 'session') return { jsonFiles, roots, profiles: null, stoppedAtDepth: depthOf(file.path) };
    }
  }
  return { jsonFiles, roots, profiles: worker ? null : profiles.finish(jsonFiles.map((json) => json.path)), stoppedAtDepth: null };
}

/**
 * Whether the members after the description hold a JSON file that findSession would weigh before
 * it (one less deep): the worker's list of them has more of that depth than this thread read.
 */
function passedOver(allJsonMembers: string[], members: SessionMembers, depth: number): boolean {
  const shallower = (paths: string[]) => paths.filter((file) => depthOf(file) < depth).length;
  return shallower(allJsonMembers) > shallower(members.jsonFiles.map((file) => file.path));
}

const depthOf = (file: string): number => file.split('/').length;

/**
 * The description is `<sid>.json`; prefer it (the shallowest), but accept any top-level JSON
 * shaped like one. A JSON file that comes first in that order and is broken is an error.
 */
function findSession(files: { path: string; read: DescriptionFile }[]): SessionDescription | null {
  const ordered = [...files].sort((a, b) => depthOf(a.path) - depthOf(b.path));
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

function sessionTasks(session: SessionDescription | null, seen: ProfileIndex, warnings: string[]): SessionTasks {
  const uids = seen.uidCount;
  const profiled: number[] = [];
  const result: SessionTasks = { described: session?.tasks ?? null, describedUid: new Int32Array(0), profiled, taskOfUid: new Int32Array(uids).fill(-1) };
  if (!session) {
    for (let u = 0; u < uids; u++) if (!Number.isNaN(seen.firstExecStart[u]) || seen.uid(u).startsWith('task.')) profiled.push(u);
    return result;
  }
  const described = session.tasks;
  const isDescribed = new Uint8Array(uids);
  result.describedUid = new Int32Array(described.length);
  for (let k = 0; k < described.length; k++) {
    const u = seen.uidNumber(described.uid.get(k));
    result.describedUid[k] = u;
    if (u !== -1) isDescribed[u] = 1;
  }
  for (let u = 0; u < uids; u++) if (!isDescribed[u] && !Number.isNaN(seen.firstExecStart[u])) profiled.push(u);
  if (profiled.length > 0) {
    let first = seen.uid(profiled[0]);
    for (const u of profiled) {
      const uid = seen.uid(u);
      if (uid < first) first = uid;
    }
    warnings.push(
      `${profiled.length} task(s) executed according to the profiles but are not in the session description (first: ${first}): stored with unknown cores and GPUs`,
    );
  }
  return result;
}

/** The tasks in uid order, with their execution interval (first exec_start to last exec_stop), and time zero. */
interface PlacedTasks {
  /** Task positions (description first, then profile-only tasks) in stored order. */
  order: number[];
  /** By stored index, seconds from time zero; NaN unknown. */
  start: Float64Array;
  end: Float64Array;
  epoch: number | null;
  reversed: number;
  neverStarted: number;
  incomplete: number;
}

/**
 * Puts the tasks in uid order and in time: the first start of any task is time zero (without
 * any, the first event of a task; else there is none).
 */
function placeTasks(tasks: SessionTasks, seen: ProfileIndex): PlacedTasks {
  const described = tasks.described;
  const describedCount = described?.length ?? 0;
  const count = describedCount + tasks.profiled.length;
  const order = uidOrder(count, (k) => (k < describedCount ? described!.uid.get(k) : seen.uid(tasks.profiled[k - describedCount])));
  const start = new Float64Array(count);
  const end = new Float64Array(count);
  let reversed = 0;
  let neverStarted = 0;
  let incomplete = 0;
  let epoch = Infinity;
  for (let i = 0; i < count; i++) {
    const k = order[i];
    const u = k < describedCount ? tasks.describedUid[k] : tasks.profiled[k - describedCount];
    let s = u === -1 ? NaN : seen.firstExecStart[u];
    let e = u === -1 ? NaN : seen.lastExecStop[u];
    if (Number.isNaN(s)) {
      e = NaN; // an exec_stop without exec_start places nothing in time
      neverStarted++;
    } else if (e < s) {
      reversed++;
      e = NaN;
    }
    if (!Number.isNaN(s) && Number.isNaN(e)) incomplete++;
    start[i] = s;
    end[i] = e;
    if (s < epoch) epoch = s;
    if (u !== -1) tasks.taskOfUid[u] = i;
  }
  if (epoch === Infinity) epoch = firstTaskEvent(seen, tasks.taskOfUid);
  if (epoch !== Infinity && epoch !== 0) {
    for (let i = 0; i < count; i++) {
      start[i] -= epoch;
      end[i] -= epoch;
    }
  }
  return { order, start, end, epoch: epoch === Infinity ? null : epoch, reversed, neverStarted, incomplete };
}

function writeTasks(tasks: SessionTasks, placed: PlacedTasks, seen: ProfileIndex, sink: SessionSink): void {
  const described = tasks.described;
  const describedCount = described?.length ?? 0;
  const { order, start, end } = placed;
  for (let i = 0; i < order.length; i++) {
    const k = order[i];
    if (k < describedCount) {
      const d = described!;
      const state = d.word(d.state.get(k)) ?? (tasks.describedUid[k] === -1 ? null : seen.lastState(tasks.describedUid[k]));
      const type = d.word(d.type.get(k))!;
      sink.pushValues(d.uid.get(k), d.name.get(k), type, d.word(d.stage.get(k)), d.word(d.pipeline.get(k)), state, outcomeOf(state, start[i], end[i]), d.word(d.node.get(k)), d.cores.get(k), d.gpus.get(k), start[i], end[i], NaN, NaN, null, null);
      // What --type-from and the model read besides the row, for the tasks that say any of it.
      const executable = d.executable.get(k);
      const stageName = d.stageName.get(k);
      const ranks = d.ranks.get(k);
      if (executable !== -1 || stageName !== -1 || ranks > 1) sink.addDetails(i, type, d.word(executable), d.word(stageName), ranks);
    } else {
      const u = tasks.profiled[k - describedCount];
      const uid = seen.uid(u);
      const naming = nameTask(uid, null, null); // known from the profiles only: no executable, no details
      const state = seen.lastState(u);
      sink.pushValues(uid, naming.name, naming.type, naming.stage, naming.pipeline, state, outcomeOf(state, start[i], end[i]), null, NaN, NaN, start[i], end[i], NaN, NaN, null, null);
    }
  }
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
function firstTaskEvent(seen: ProfileIndex, taskOfUid: Int32Array): number {
  let first = Infinity;
  const times = seen.eventTime;
  seen.eventUid.forEach((uids, b) => {
    for (let k = 0, size = blockLength(seen.length, b); k < size; k++) if (taskOfUid[uids[k]] !== -1 && times[b][k] < first) first = times[b][k];
  });
  return first;
}

/** The tasks' events, as groupEvents put them (by task, by time, repeats marked), to `sink`. */
function writeEvents(grouped: GroupedEvents, seen: ProfileIndex, sink: SessionSink): void {
  const { bucketStart, time, pair } = grouped;
  const { pairEvent, pairState } = seen;
  for (let t = 0, count = bucketStart.length - 1; t < count; t++) {
    for (let k = bucketStart[t], to = bucketStart[t + 1]; k < to; k++) {
      const p = pair[k];
      if (p !== -1) sink.addEvent(t, pairEvent[p], pairState[p], time[k]);
    }
  }
}

/** The session id: the archive's (or folder's) single top folder, else its name without extensions. */
function sessionIdFromPath(input: TraceInput, roots: Set<string>): string {
  if (input.kind === 'file' && roots.size === 1) {
    const [root] = roots;
    if (root !== '') return root;
  }
  return path.basename(input.path).replace(/\.(tgz|tbz2?|tar\.gz|tar\.bz2|tar)$/i, '');
}
