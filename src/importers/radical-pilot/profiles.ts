/**
 * All the profiles of a session, read in this thread or, for large sessions, in a worker thread
 * (profile-worker.ts) while this one reads the description. That thread then sorts the events by
 * task (event-groups.ts) while this one writes the tasks.
 */
import fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import { folderFiles, type FolderFile } from '../common/hash.js';
import type { TraceInput } from '../importer.js';
import { sessionFiles } from './archive.js';
import type { EventColumns, GroupedEvents } from './event-groups.js';
import { readProfile } from './profile.js';
import { ProfileEvents, type ProfileEventsState } from './profile-events.js';
import { compiledWorkerFile, workerScript } from '../common/worker-file.js';
import { deserializeError, type SerializedError } from '../common/worker-runs.js';

export interface ProfilesRead {
  state: ProfileEventsState;
  /** Profiles read. */
  profiles: number;
  malformed: number;
  /** `archive: file:line` of the first unreadable line. */
  firstMalformed: string | null;
  /** The members that may be the session's description (isDescriptionCandidate), in their order. */
  jsonMembers: string[];
}

/**
 * What the worker thread (profile-worker.ts) sends back: the profiles read, then the events grouped
 * (once asked, with a GroupJob), or an error. Declared here, where it is read, so that the worker's
 * module is never imported.
 */
export type ProfileWorkerMessage = ({ kind: 'done' } & ProfilesRead) | ({ kind: 'grouped' } & GroupedEvents) | { kind: 'error'; error: SerializedError };

/** What the worker thread is asked, once it has read the profiles: the arguments of groupEvents. */
export interface GroupJob {
  columns: EventColumns;
  taskOfUid: Int32Array;
  taskCount: number;
  zero: number;
}

export const isProfile = (file: string): boolean => file.endsWith('.prof');

/** A JSON file at the top of the session folder or archive (or one folder down): maybe its description. */
export const isDescriptionCandidate = (file: string): boolean => file.endsWith('.json') && file.split('/').length <= 2;

/** Reads profiles one after another into one ProfileEvents, counting them and their unreadable lines. */
export class ProfilesReading {
  private readonly events = new ProfileEvents();
  private profiles = 0;
  private malformed = 0;
  private firstMalformed: string | null = null;

  async read(where: string, content: AsyncIterable<Buffer>): Promise<void> {
    this.profiles++;
    const stats = await readProfile(where, content, this.events);
    this.malformed += stats.malformed;
    this.firstMalformed ??= stats.firstMalformed;
  }

  finish(jsonMembers: string[]): ProfilesRead {
    const { profiles, malformed, firstMalformed } = this;
    return { state: this.events.finish(), profiles, malformed, firstMalformed, jsonMembers };
  }
}

/** Reads the profiles of a session (every other file passed over), in file order; a folder's `files` when the caller has them. */
export async function readProfiles(input: TraceInput, onBytes?: (bytes: number) => void, files?: FolderFile[]): Promise<ProfilesRead> {
  const reading = new ProfilesReading();
  const jsonMembers: string[] = [];
  const wanted = (file: string) => {
    if (isDescriptionCandidate(file)) jsonMembers.push(file);
    return isProfile(file);
  };
  for await (const file of sessionFiles(input, { onBytes, wanted, files })) await reading.read(`${input.display}: ${file.path}`, file.content);
  return reading.finish(jsonMembers);
}

/** Sessions at least this big (bytes of the archive, or of the folder's files) read their profiles in a worker thread. */
const WORKER_MIN_BYTES = 8 * 1024 * 1024;

const WORKER_FILE = compiledWorkerFile(import.meta.url, 'importers/radical-pilot/profile-worker.js');

/**
 * The worker script when a worker reads the profiles (sessions of at least 8 MB, or as
 * ASYNCSCOPE_PARSE_WORKER says), else null: they are read in this thread.
 */
export function profilesWorker(size: () => number): string | null {
  return workerScript(WORKER_FILE, size, WORKER_MIN_BYTES);
}

/** What the worker thread is given: the input, and a folder's profiles as this thread has walked and read them. */
export interface ProfileWorkerData {
  input: TraceInput;
  files?: FolderFile[];
}

/** The profiles being read in a worker thread. */
export interface ProfilesWorker {
  /** Settles when the profiles are read. */
  done: Promise<ProfilesRead>;
  /**
   * Groups the events in the worker thread (event-groups.ts), once `done`: their columns move
   * there (this thread's become empty), the grouped events come back.
   */
  groupEvents(columns: EventColumns, taskOfUid: Int32Array, taskCount: number, zero: number): Promise<GroupedEvents>;
  /** Ends the thread; every caller of readProfilesInWorker must, whatever happens. */
  stop(): void;
}

/**
 * Starts reading the profiles in a worker thread. A folder's
 * profiles go to it with the bytes this thread has read for the hash (copied: about 10 ms for the
 * bench's 2,003-file folder), so that the worker neither walks the folder again nor opens its files
 * again (a readdir per task folder and an open per profile, each as dear as the copy of a profile).
 */
export function readProfilesInWorker(script: string, input: TraceInput): ProfilesWorker {
  const files = input.kind === 'dir' ? folderFiles(input).filter((file) => isProfile(file.relative)) : undefined;
  const worker = new Worker(script, { workerData: { input, files } satisfies ProfileWorkerData });
  // One question at a time: the reading, then the grouping.
  let waiting: { resolve: (message: ProfileWorkerMessage) => void; reject: (error: Error) => void } | null = null;
  const answer = () => new Promise<ProfileWorkerMessage>((resolve, reject) => (waiting = { resolve, reject }));
  const fail = (error: Error) => {
    const asked = waiting;
    waiting = null;
    asked?.reject(error);
  };
  worker.on('message', (message: ProfileWorkerMessage) => {
    const asked = waiting;
    waiting = null;
    if (message.kind === 'error') asked?.reject(deserializeError(message.error));
    else asked?.resolve(message);
  });
  worker.once('error', fail);
  worker.once('exit', (code) => fail(new Error(`the profile reader thread stopped (exit code ${code}) before the end of ${input.display}`)));
  const done = answer().then((message) => message as ProfilesRead);
  return {
    done,
    groupEvents(columns, taskOfUid, taskCount, zero) {
      const grouped = answer().then((message) => message as GroupedEvents);
      grouped.catch(() => {}); // awaited by the caller, unless writing the tasks failed first
      const buffers = [...columns.eventUid, ...columns.eventPair, ...columns.eventTime].map((array) => array.buffer as ArrayBuffer);
      worker.postMessage({ columns, taskOfUid, taskCount, zero } satisfies GroupJob, [...new Set(buffers)]);
      return grouped;
    },
    stop: () => void worker.terminate(),
  };
}
