/**
 * The database schema as an ordered list of forward migrations.
 *
 * `PRAGMA user_version` records how many of them a database has applied; opening a database applies
 * the rest in order, each in its own transaction. Never edit a migration that has shipped: append a
 * new one. Every table and column is documented in docs/schema.md.
 */

/**
 * The most events a task stored in event_times has: the table's time columns t0 to t31. Fixed by
 * migration 6 (a new width would be a new migration).
 */
export const EVENT_TIME_COLUMNS = 32;

/** event_times' time columns, t0 to t31, in seq order. */
export function timeColumns(): string[] {
  return Array.from({ length: EVENT_TIME_COLUMNS }, (_, seq) => `t${seq}`);
}

export const MIGRATIONS: readonly string[] = [
  // 1: runs, their tasks, the tasks' raw profile events and task-level dependencies.
  `
  CREATE TABLE runs (
    pk             INTEGER PRIMARY KEY,
    id             TEXT    NOT NULL UNIQUE,
    label          TEXT    NOT NULL,
    mode           TEXT    NOT NULL CHECK (mode IN ('sync', 'async', 'unknown')),
    workflow       TEXT,
    format         TEXT    NOT NULL,
    source         TEXT    NOT NULL,
    content_hash   TEXT    NOT NULL UNIQUE,
    imported_at    TEXT    NOT NULL,
    epoch          REAL,
    scheduled      INTEGER NOT NULL DEFAULT 1 CHECK (scheduled IN (0, 1)),
    nodes          INTEGER,
    cores_per_node REAL,
    gpus_per_node  REAL,
    cores          REAL,
    gpus           REAL,
    tasks          INTEGER NOT NULL,
    executed       INTEGER NOT NULL,
    incomplete     INTEGER NOT NULL,
    makespan_s     REAL,
    warnings       TEXT    NOT NULL DEFAULT '[]'
  );
  CREATE INDEX runs_label ON runs (label);

  CREATE TABLE tasks (
    run_pk    INTEGER NOT NULL REFERENCES runs (pk) ON DELETE CASCADE,
    idx       INTEGER NOT NULL,
    uid       TEXT    NOT NULL,
    name      TEXT,
    type      TEXT    NOT NULL,
    stage     TEXT,
    pipeline  TEXT,
    state     TEXT,
    node      TEXT,
    cores     REAL,
    gpus      REAL,
    start_s   REAL,
    end_s     REAL,
    runtime_s REAL,
    PRIMARY KEY (run_pk, idx)
  ) WITHOUT ROWID;

  CREATE TABLE events (
    run_pk   INTEGER NOT NULL REFERENCES runs (pk) ON DELETE CASCADE,
    task_idx INTEGER NOT NULL,
    seq      INTEGER NOT NULL,
    event    TEXT    NOT NULL,
    state    TEXT,
    time_s   REAL    NOT NULL,
    PRIMARY KEY (run_pk, task_idx, seq)
  ) WITHOUT ROWID;

  CREATE TABLE task_edges (
    run_pk     INTEGER NOT NULL REFERENCES runs (pk) ON DELETE CASCADE,
    parent_idx INTEGER NOT NULL,
    child_idx  INTEGER NOT NULL,
    PRIMARY KEY (run_pk, child_idx, parent_idx)
  ) WITHOUT ROWID;
  `,
  // 2: each task's outcome in asyncscope's vocabulary (run/outcome.ts), and the counts per outcome
  // on the run. Runs stored before have no outcomes (NULL, '{}'): re-ingest with --replace.
  `
  ALTER TABLE tasks ADD COLUMN outcome TEXT
    CHECK (outcome IN ('done', 'failed', 'cancelled', 'timeout', 'cached', 'skipped', 'running', 'pending'));
  ALTER TABLE runs ADD COLUMN outcomes TEXT NOT NULL DEFAULT '{}';
  `,
  // 3: where each run came from (provenance: docs/schema.md), and free --meta pairs. Plain SQL
  // that PostgreSQL runs as well (no WITHOUT ROWID).
  `
  ALTER TABLE runs ADD COLUMN commit_sha TEXT;
  ALTER TABLE runs ADD COLUMN commit_title TEXT;
  ALTER TABLE runs ADD COLUMN branch TEXT;
  ALTER TABLE runs ADD COLUMN ci TEXT;
  ALTER TABLE runs ADD COLUMN job_url TEXT;
  ALTER TABLE runs ADD COLUMN host TEXT;
  ALTER TABLE runs ADD COLUMN asyncscope_version TEXT;
  CREATE INDEX runs_branch ON runs (branch);

  CREATE TABLE run_meta (
    run_pk INTEGER NOT NULL REFERENCES runs (pk) ON DELETE CASCADE,
    key    TEXT    NOT NULL,
    value  TEXT    NOT NULL,
    PRIMARY KEY (run_pk, key)
  );
  `,
  // 4: what `asyncscope run` records of each task (and task tables may carry): its exit code and
  // the CPU and GPU slots it held (JSON arrays of slot indexes on its node). Added columns cost
  // nothing in the rows of older runs.
  `
  ALTER TABLE tasks ADD COLUMN exit_code INTEGER;
  ALTER TABLE tasks ADD COLUMN cpu_slots TEXT;
  ALTER TABLE tasks ADD COLUMN gpu_slots TEXT;
  `,
  // 5: task types a user can choose (--type-from) and what the model needs of tasks wider than a
  // node. task_details holds, per task, the type its trace gave (so a rule can be undone) and what
  // the rules and the model read besides the task row; rows exist only for tasks that have any.
  // Plain SQL that PostgreSQL runs as well.
  `
  ALTER TABLE runs ADD COLUMN type_from TEXT;

  CREATE TABLE task_details (
    run_pk     INTEGER NOT NULL REFERENCES runs (pk) ON DELETE CASCADE,
    task_idx   INTEGER NOT NULL,
    trace_type TEXT    NOT NULL,
    executable TEXT,
    stage_name TEXT,
    ranks      INTEGER,
    PRIMARY KEY (run_pk, task_idx)
  );
  `,
  // 6: events stored compactly. Most tasks of a trace have the same events, by name and state, in
  // the same order (a Pegasus job: SUBMIT, EXECUTE, JOB_TERMINATED, ...); such a task's events are
  // one row of event_times (its times, in columns t0, t1, ...) and its pattern of names and states is
  // stored once per run in event_patterns. A row per event (now event_rows) remains for the other
  // tasks and for the runs stored before. At a million tasks of nine events, SQLite wrote the nine
  // million rows in 4.8 s of CPU and the million wide ones in 1.7 (docs/benchmark.md). `events`
  // becomes a view with the table's columns and rows, so queries written for the table still work.
  `
  ALTER TABLE events RENAME TO event_rows;

  CREATE TABLE event_patterns (
    run_pk  INTEGER NOT NULL REFERENCES runs (pk) ON DELETE CASCADE,
    pattern INTEGER NOT NULL,
    seq     INTEGER NOT NULL,
    event   TEXT    NOT NULL,
    state   TEXT,
    PRIMARY KEY (run_pk, pattern, seq)
  ) WITHOUT ROWID;

  CREATE TABLE event_times (
    run_pk   INTEGER NOT NULL REFERENCES runs (pk) ON DELETE CASCADE,
    task_idx INTEGER NOT NULL,
    pattern  INTEGER NOT NULL,
    ${timeColumns().map((column) => `${column} REAL`).join(', ')},
    PRIMARY KEY (run_pk, task_idx)
  ) WITHOUT ROWID;

  CREATE VIEW events AS
    SELECT run_pk, task_idx, seq, event, state, time_s FROM event_rows
    UNION ALL
    SELECT t.run_pk, t.task_idx, p.seq, p.event, p.state,
           CASE p.seq ${timeColumns().map((column, seq) => `WHEN ${seq} THEN t.${column}`).join(' ')} END
      FROM event_times t JOIN event_patterns p ON p.run_pk = t.run_pk AND p.pattern = t.pattern;
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;
