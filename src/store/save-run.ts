/**
 * Storing one parsed run: one IMMEDIATE transaction, so a failure leaves the database exactly as it
 * was and concurrent ingests from other processes wait for each other instead of failing.
 */
import { BatchInserter } from './batch-insert.js';
import type { Db } from './database.js';
import { countTasks, nanToNull, type ParsedRun, type RunMode } from './records.js';
import { findRunByHash, findRunById, type StoredRun } from './runs.js';

export interface SaveOptions {
  contentHash: string;
  /** Label, mode and workflow given by the user; when absent, a replaced run's values are kept. */
  label?: string;
  mode?: RunMode;
  workflow?: string;
  /** Replace a run with the same content, or with the same id, instead of keeping the stored one. */
  replace: boolean;
  /** Import time; tests pin it. */
  now?: Date;
}

export type SaveStatus = 'stored' | 'existing' | 'replaced';

export interface SaveResult {
  status: SaveStatus;
  run: StoredRun;
  /** Said to the user next to the result: why an id differs from the suggested one, what was replaced. */
  notes: string[];
}

/** A run already holding this content, if any: checked before parsing to skip work. */
export function storedRunWithHash(db: Db, hash: string): StoredRun | undefined {
  return findRunByHash(db, hash);
}

export function saveRun(db: Db, parsed: ParsedRun, options: SaveOptions): SaveResult {
  const save = db.transaction((): SaveResult => {
    const notes: string[] = [];
    const sameContent = findRunByHash(db, options.contentHash);
    if (sameContent && !options.replace) return { status: 'existing', run: sameContent, notes };

    let id = parsed.id;
    let replaced: StoredRun | undefined;
    if (options.replace) {
      const sameId = findRunById(db, id);
      for (const old of [sameContent, sameId]) {
        if (old && findRunById(db, old.id)) {
          db.prepare('DELETE FROM runs WHERE pk = ?').run(old.pk);
          notes.push(`replaced run ${old.id}`);
          replaced ??= old;
        }
      }
    } else {
      id = freeId(db, parsed.id);
      if (id !== parsed.id) notes.push(`a different run already has id ${parsed.id}; stored as ${id}`);
    }

    const counts = countTasks(parsed.tasks);
    const capacity = parsed.capacity;
    const pk = db
      .prepare(
        `INSERT INTO runs (id, label, mode, workflow, format, source, content_hash, imported_at, epoch, scheduled,
                           nodes, cores_per_node, gpus_per_node, cores, gpus,
                           tasks, executed, incomplete, makespan_s, warnings)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING pk`,
      )
      .pluck()
      .get(
        id,
        options.label ?? replaced?.label ?? id,
        options.mode ?? replaced?.mode ?? 'unknown',
        options.workflow ?? replaced?.workflow ?? parsed.workflow,
        parsed.format,
        parsed.source,
        options.contentHash,
        (options.now ?? new Date()).toISOString(),
        parsed.epoch,
        parsed.scheduled ? 1 : 0,
        capacity.nodes,
        capacity.coresPerNode,
        capacity.gpusPerNode,
        capacity.cores,
        capacity.gpus,
        counts.tasks,
        counts.executed,
        counts.incomplete,
        counts.makespanS,
        JSON.stringify(parsed.warnings),
      ) as number;

    insertTasks(db, pk, parsed);
    insertEvents(db, pk, parsed);
    insertEdges(db, pk, parsed);
    return { status: replaced ? 'replaced' : 'stored', run: findRunById(db, id)!, notes };
  });
  return save.immediate();
}

/** The suggested id if free, else the first free of id-2, id-3, ... */
function freeId(db: Db, id: string): string {
  const taken = db.prepare('SELECT 1 FROM runs WHERE id = ?').pluck();
  if (!taken.get(id)) return id;
  for (let n = 2; ; n++) {
    const candidate = `${id}-${n}`;
    if (!taken.get(candidate)) return candidate;
  }
}

function insertTasks(db: Db, pk: number, parsed: ParsedRun): void {
  const t = parsed.tasks;
  const insert = new BatchInserter(db, 'tasks', [
    'run_pk', 'idx', 'uid', 'name', 'type', 'stage', 'pipeline', 'state', 'node',
    'cores', 'gpus', 'start_s', 'end_s', 'runtime_s',
  ]);
  for (let i = 0; i < t.length; i++) {
    insert.add(
      pk, i, t.uid[i], t.name[i], t.type[i], t.stage[i], t.pipeline[i], t.state[i], t.node[i],
      nanToNull(t.cores[i]), nanToNull(t.gpus[i]), nanToNull(t.start[i]), nanToNull(t.end[i]), nanToNull(t.runtime[i]),
    );
  }
  insert.flush();
}

/**
 * Events are written grouped by task and ordered by time within a task, numbered by `seq`; the
 * importer has already removed duplicates.
 */
function insertEvents(db: Db, pk: number, parsed: ParsedRun): void {
  const e = parsed.events;
  if (e.length === 0) return;
  const order = eventOrder(parsed);
  const insert = new BatchInserter(db, 'events', ['run_pk', 'task_idx', 'seq', 'event', 'state', 'time_s']);
  let seq = 0;
  let previousTask = -1;
  for (const i of order) {
    const task = e.task[i];
    seq = task === previousTask ? seq + 1 : 0;
    previousTask = task;
    insert.add(pk, task, seq, e.event[i], e.state[i], e.time[i]);
  }
  insert.flush();
}

/** Event indexes sorted by task, then time (stable, so file order breaks ties). */
export function eventOrder(parsed: Pick<ParsedRun, 'events' | 'tasks'>): Uint32Array {
  const e = parsed.events;
  // Counting sort by task (O(n)), then a small sort by time inside each task's bucket.
  const counts = new Uint32Array(parsed.tasks.length + 1);
  for (let i = 0; i < e.length; i++) counts[e.task[i] + 1]++;
  for (let t = 1; t < counts.length; t++) counts[t] += counts[t - 1];
  const order = new Uint32Array(e.length);
  const next = counts.slice(0, parsed.tasks.length);
  for (let i = 0; i < e.length; i++) order[next[e.task[i]]++] = i;
  for (let t = 0; t < parsed.tasks.length; t++) {
    const from = counts[t];
    const to = counts[t + 1];
    if (to - from > 1) {
      const bucket = Array.from(order.subarray(from, to)).sort((a, b) => e.time[a] - e.time[b] || a - b);
      order.set(bucket, from);
    }
  }
  return order;
}

function insertEdges(db: Db, pk: number, parsed: ParsedRun): void {
  const edges = parsed.edges;
  if (edges.length === 0) return;
  const insert = new BatchInserter(db, 'task_edges', ['run_pk', 'parent_idx', 'child_idx']);
  for (let i = 0; i < edges.length; i++) insert.add(pk, edges.parent[i], edges.child[i]);
  insert.flush();
}
