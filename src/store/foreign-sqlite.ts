/**
 * Reading SQLite databases that other systems wrote (Parsl's monitoring.db, Pegasus' stampede.db):
 * read-only, never written, never migrated. The importers know those schemas and say which tables
 * and columns they need; the SQL stays here.
 *
 * Each `rows()` iteration runs on a connection of its own, so that an importer can walk several
 * tables side by side (tasks, their tries, their states, all ordered by task) without holding
 * any of them in memory: better-sqlite3 allows one running statement per connection.
 */
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { TraceError } from '../errors.js';

/** The first 16 bytes of every SQLite 3 database file. */
const MAGIC = 'SQLite format 3\0';

export function isSqliteHeader(head: Buffer): boolean {
  return head.length >= 16 && head.toString('latin1', 0, 16) === MAGIC;
}

export type SqlValue = string | number | bigint | Buffer | null;

/** How `groups()` joins the parts of a row and the rows of a group (ASCII unit and record separators). */
export const GROUP_SEPARATORS = { part: '\u001f', row: '\u001e' } as const;

export interface RowQuery {
  /** Equality on a column (`run_id = ?`), or membership when given a list (`state IN (...)`). */
  where?: Record<string, SqlValue | readonly SqlValue[]>;
  /** Lower bounds (`task_submit_seq >= 0`). */
  atLeast?: Record<string, number>;
  /** Columns to order by, ascending. */
  orderBy?: readonly string[];
}

export class ForeignDatabase {
  private readonly columnCache = new Map<string, string[]>();

  private constructor(
    readonly file: string,
    readonly display: string,
    private readonly db: Database.Database,
    private readonly tableNames: string[],
  ) {}

  /** Opens a database read-only; a TraceError when the file is not one, or is damaged (`damagedDatabase`). */
  static open(file: string, display: string): ForeignDatabase {
    let db: Database.Database | undefined;
    try {
      const truncated = truncation(file);
      if (truncated !== null) throw damagedDatabase(display, truncated);
      db = connect(file);
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[];
      return new ForeignDatabase(file, display, db, tables);
    } catch (error) {
      db?.close();
      if (isDamagedDatabaseError(error)) throw error;
      // The cause keeps SQLite's own words for whoever says it differently (detection).
      const refusal = isDamage(error) ? damagedDatabase(display, (error as Error).message) : new TraceError(display, `cannot be read as an SQLite database (${(error as Error).message})`);
      throw Object.assign(refusal, { cause: error });
    }
  }

  /**
   * The error to give for `error`, thrown while an importer read this database. SQLite reads a
   * damaged record without complaint when its bytes still parse, and the importer then finds a
   * value no real database holds (a run id NULL, a time that is a blob): when an importer refuses
   * a value, the whole file is checked (PRAGMA quick_check, which reads every page: only paid on
   * this path, never by a database that reads well), and damage found is what the user is told.
   */
  explain(error: unknown): unknown {
    if (!(error instanceof TraceError) || isDamagedDatabaseError(error)) return error;
    const damage = this.damage();
    return damage === null ? error : Object.assign(damagedDatabase(this.display, damage), { cause: error });
  }

  /** `read()`, its errors as `explain` gives them. */
  explaining<T>(read: () => T): T {
    try {
      return read();
    } catch (error) {
      throw this.explain(error);
    }
  }

  /**
   * Throws `damagedDatabase` when quick_check finds damage. For a reading that is possible but odd
   * (a run without tasks), which damage explains as well.
   */
  refuseIfDamaged(): void {
    const damage = this.damage();
    if (damage !== null) throw damagedDatabase(this.display, damage);
  }

  /** What SQLite's quick_check finds wrong with the file (its first finding), or null when nothing (or when the check itself fails otherwise: the caller's error stands). */
  private damage(): string | null {
    try {
      const found = this.db.pragma('quick_check(1)', { simple: true }) as string;
      return found === 'ok' ? null : found;
    } catch (error) {
      return isDamage(error) ? (error as Error).message : null;
    }
  }

  tables(): string[] {
    return [...this.tableNames];
  }

  hasTable(table: string): boolean {
    return this.tableNames.includes(table);
  }

  /** Column names of a table, in their order; empty for a table that does not exist. */
  columns(table: string): string[] {
    let columns = this.columnCache.get(table);
    if (!columns) {
      columns = this.hasTable(table) ? (this.db.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(table) as string[]) : [];
      this.columnCache.set(table, columns);
    }
    return [...columns];
  }

  /** Number of rows of a table (matching `where`). */
  count(table: string, query: Pick<RowQuery, 'where' | 'atLeast'> = {}): number {
    const { sql, params } = this.select(table, ['COUNT(*)'], query, false);
    return this.run(table, () => this.db.prepare(sql).pluck().get(...params) as number);
  }

  /** The smallest non-NULL value of a column (matching `where`), null when there is none. */
  minimum(table: string, column: string, query: Pick<RowQuery, 'where' | 'atLeast'> = {}): unknown {
    this.select(table, [column], query, true); // checks table and column
    const { sql, params } = this.select(table, [`min(${quote(column)})`], query, false);
    return this.run(table, () => this.db.prepare(sql).pluck().get(...params)) ?? null;
  }

  /**
   * The given columns of a table's rows, as arrays in the order of `columns`. Each iteration reads
   * on its own connection (see above), closed when the iteration ends or is abandoned.
   */
  *rows(table: string, columns: readonly string[], query: RowQuery = {}): Generator<unknown[]> {
    const { sql, params } = this.select(table, columns, query, true);
    const db = this.run(table, () => connect(this.file));
    try {
      const statement = this.run(table, () => db.prepare(sql).raw(true));
      try {
        for (const row of statement.iterate(...params) as IterableIterator<unknown[]>) yield row;
      } catch (error) {
        throw this.failure(error, table);
      }
    } finally {
      db.close();
    }
  }

  /**
   * The rows of a table grouped by an integer key column, one `[key, text]` per key in key order:
   * `text` holds the group's rows, their `columns` joined by GROUP_SEPARATORS.part and the rows by
   * GROUP_SEPARATORS.row, NULL as an empty part, numbers as SQLite prints them (SQLite 3.53: the
   * shortest digits that read back as the same double). At millions of rows this is about twice as
   * fast as `rows()`: SQLite joins the small rows of a key in C, and JavaScript gets one string per
   * key instead of an array per row. The rows within a group come in the table's key order.
   */
  *groups(table: string, key: string, columns: readonly string[], query: Omit<RowQuery, 'orderBy'> = {}): Generator<[unknown, string]> {
    const joined = `group_concat(${joinedRow(columns)}, char(30))`;
    this.select(table, [key, ...columns], query, true); // checks table and columns
    const { sql: grouped, params } = this.select(table, [quote(key), joined], { ...query, orderBy: [key] }, false, key);
    const db = this.run(table, () => connect(this.file));
    try {
      const statement = this.run(table, () => db.prepare(grouped).raw(true));
      try {
        for (const row of statement.iterate(...params) as IterableIterator<[unknown, string]>) yield row;
      } catch (error) {
        throw this.failure(error, table);
      }
    } finally {
      db.close();
    }
  }

  /**
   * The rows of a table whose `key` lies in a range, as one string: each row its `key` and
   * `columns`, joined as `groups()` joins them (NULL empty, numbers as SQLite prints them), the
   * rows in the order of an index that starts with `key`. A reader calls it once per range of
   * some thousand keys: one call and one string where `rows()` makes an array per row (about 1 us
   * each at millions of rows) and `groups()` one per key. A bound given as null is open; the range
   * without upper bound also holds the keys that are not numbers (SQLite orders text and blobs
   * after numbers), so that a reader sees them. Null when SQLite would not read a range through
   * such an index (each call would then scan the whole table), or when a key is NULL (in no
   * range): use `groups()` then.
   */
  rangeText(table: string, key: string, columns: readonly string[]): ((from: number | null, to: number | null) => string) | null {
    this.select(table, [key, ...columns], {}, true); // checks table and columns
    const head = `SELECT group_concat(${joinedRow([key, ...columns])}, char(30)) FROM ${quote(table)} WHERE ${quote(key)} >= ?`;
    const bounded = this.run(table, () => this.db.prepare(`${head} AND ${quote(key)} < ?`).pluck());
    const open = this.run(table, () => this.db.prepare(head).pluck());
    const plan = this.run(table, () => this.db.prepare(`EXPLAIN QUERY PLAN ${head} AND ${quote(key)} < ?`).all(0, 1) as { detail: string }[]);
    if (!plan.some((step) => isRangeSearch(step.detail, key))) return null;
    const nullKey = this.run(table, () => this.db.prepare(`SELECT 1 FROM ${quote(table)} WHERE ${quote(key)} IS NULL LIMIT 1`).pluck().get());
    if (nullKey !== undefined) return null;
    // Below any number SQLite stores (numbers bind as doubles).
    const LOWEST = -(2 ** 64);
    return (from, to) =>
      this.run(table, () => ((to === null ? open.get(from ?? LOWEST) : bounded.get(from ?? LOWEST, to)) as string | null) ?? '');
  }

  /**
   * The smallest key of a table at or above a bound (null when none; any text sorts above every
   * number, as SQLite orders values): one step through the key's index, for walking a table's ids
   * in ranges (`rangeText`) without knowing them beforehand.
   */
  keyAtLeast(table: string, key: string): (from: number) => unknown {
    this.select(table, [key], {}, true); // checks table and column
    const statement = this.run(table, () => this.db.prepare(`SELECT min(${quote(key)}) FROM ${quote(table)} WHERE ${quote(key)} >= ?`).pluck());
    return (from) => this.run(table, () => statement.get(from));
  }

  /**
   * A table's rows in `key` order, each `[key, ...columns]` as `rows()` gives them, in pages of
   * `size` rows (matching `atLeast`): SQLite writes each page as one JSON array (text and integers
   * exact, a REAL in the shortest digits that read back as the same double, as SQLite 3.53 prints
   * them), which `JSON.parse` reads several times faster than better-sqlite3 makes an array per row. Null when SQLite would not page the table through an
   * index or the rowid (each page would scan the whole table): use `rows()` then.
   */
  pages(table: string, key: string, columns: readonly string[], query: Pick<RowQuery, 'where' | 'atLeast'> = {}, size = PAGE_ROWS): Generator<unknown[][]> | null {
    const { sql: rows, params } = this.select(table, [key, ...columns], query, true);
    // A page starts after the last key of the one before: rows sharing a key would be lost.
    if (!this.run(table, () => this.uniqueKey(table, key, Object.keys(query.where ?? {})))) return null;
    const page = `${rows} ${params.length > 0 ? 'AND' : 'WHERE'} ${quote(key)} > ? ORDER BY ${quote(key)} LIMIT ${size}`;
    const plan = this.run(table, () => this.db.prepare(`EXPLAIN QUERY PLAN ${page}`).all(...params, 0) as { detail: string }[]);
    if (!plan.some((step) => isRangeSearch(step.detail, key)) || plan.some((step) => /TEMP B-TREE/.test(step.detail))) return null;
    const sql = `SELECT json_group_array(json_array(${[key, ...columns].map(quote).join(', ')})) FROM (${page})`;
    const statement = this.run(table, () => this.db.prepare(sql).pluck());
    const first = this.run(table, () => this.db.prepare(`SELECT 1 FROM ${quote(table)} WHERE ${quote(key)} IS NULL LIMIT 1`).pluck().get());
    if (first !== undefined) return null; // NULL keys are in no page
    const display = this;
    return (function* () {
      // Below any number SQLite stores (numbers bind as doubles).
      let after: unknown = -(2 ** 64);
      for (;;) {
        const rows = display.run(table, () => JSON.parse(statement.get(...params, after) as string) as unknown[][]);
        if (rows.length === 0) return;
        yield rows;
        if (rows.length < size) return;
        after = rows[rows.length - 1][0];
      }
    })();
  }

  /**
   * A table's rows in the order of `key`, each `[key, ...columns]`: in pages where SQLite can
   * (`pages`: `key` unique among the rows `where` selects, with an index to page by), else one by
   * one as `rows()` gives them.
   */
  *inKeyOrder(table: string, key: string, columns: readonly string[], query: Pick<RowQuery, 'where' | 'atLeast'> = {}): Generator<unknown[]> {
    for (const page of this.pagesInKeyOrder(table, key, columns, query)) yield* page;
  }

  /**
   * `inKeyOrder` a page of rows at a time: for loops over millions of rows, where resuming a
   * generator for each row costs as much as the row's own checks (Pegasus' job and job_instance at
   * 10^6 rows: a fifth of their reading). Rows read one by one come in pages of `PAGE_ROWS` too.
   */
  *pagesInKeyOrder(table: string, key: string, columns: readonly string[], query: Pick<RowQuery, 'where' | 'atLeast'> = {}): Generator<unknown[][]> {
    const pages = this.pages(table, key, columns, query);
    if (pages) {
      yield* pages;
      return;
    }
    yield* inPages(this.rows(table, [key, ...columns], { ...query, orderBy: [key] }));
  }

  /** Whether the table's key or a UNIQUE constraint keeps `key` apart among rows sharing the `within` columns (see uniqueKey). */
  isUnique(table: string, key: string, within: readonly string[]): boolean {
    return this.run(table, () => this.uniqueKey(table, key, within));
  }

  /**
   * Whether `key` tells apart the rows that share the values of the `fixed` columns: it is the
   * table's INTEGER PRIMARY KEY, or a unique index (a primary key or UNIQUE) covers it and only
   * columns among `fixed`.
   */
  private uniqueKey(table: string, key: string, fixed: readonly string[]): boolean {
    const info = this.db.prepare('SELECT name, type, pk FROM pragma_table_info(?)').all(table) as { name: string; type: string; pk: number }[];
    const primary = info.filter((column) => column.pk > 0);
    if (primary.length === 1 && primary[0].name === key && /^integer$/i.test(primary[0].type)) return true;
    const indexes = this.db.prepare('SELECT name FROM pragma_index_list(?) WHERE "unique" = 1').pluck().all(table) as string[];
    return indexes.some((index) => {
      const columns = this.db.prepare('SELECT name FROM pragma_index_info(?)').pluck().all(index) as (string | null)[];
      return columns.includes(key) && columns.every((column) => column === key || (column !== null && fixed.includes(column)));
    });
  }

  close(): void {
    this.db.close();
  }

  /** The SELECT; `columns` are names when `checkColumns`, else expressions made here. */
  private select(table: string, columns: readonly string[], query: RowQuery, checkColumns: boolean, groupBy?: string): { sql: string; params: SqlValue[] } {
    if (!this.hasTable(table)) throw new TraceError(this.display, `has no table "${table}"`);
    const known = this.columns(table);
    const need = [...(checkColumns ? columns : []), ...Object.keys(query.where ?? {}), ...Object.keys(query.atLeast ?? {}), ...(query.orderBy ?? [])];
    const missing = need.filter((column) => !known.includes(column));
    if (missing.length > 0) throw new TraceError(this.display, `table "${table}" has no column ${missing.map((c) => `"${c}"`).join(', ')}`);
    const params: SqlValue[] = [];
    const conditions = Object.entries(query.where ?? {}).map(([column, value]) => {
      if (Array.isArray(value)) {
        params.push(...(value as SqlValue[]));
        return `${quote(column)} IN (${value.map(() => '?').join(', ')})`;
      }
      params.push(value as SqlValue);
      return `${quote(column)} = ?`;
    });
    for (const [column, bound] of Object.entries(query.atLeast ?? {})) {
      params.push(bound);
      conditions.push(`${quote(column)} >= ?`);
    }
    const list = checkColumns ? columns.map(quote).join(', ') : columns.join(', ');
    let sql = `SELECT ${list} FROM ${quote(table)}`;
    if (conditions.length > 0) sql += ` WHERE ${conditions.join(' AND ')}`;
    if (groupBy !== undefined) sql += ` GROUP BY ${quote(groupBy)}`;
    if (query.orderBy && query.orderBy.length > 0) sql += ` ORDER BY ${query.orderBy.map(quote).join(', ')}`;
    return { sql, params };
  }

  /** SQLite errors while reading a table (a truncated or damaged file) as a TraceError naming the file and the table. */
  private run<T>(table: string, action: () => T): T {
    try {
      return action();
    } catch (error) {
      throw this.failure(error, table);
    }
  }

  private failure(error: unknown, table: string): unknown {
    if (error instanceof TraceError) return error;
    if (isDamage(error)) return damagedDatabase(this.display, `table ${table}: ${(error as Error).message}`);
    if ((error as { code?: string }).code?.startsWith('SQLITE_')) {
      return new TraceError(this.display, `table ${table}: SQLite could not read it (${(error as Error).message}): truncated or damaged?`);
    }
    return error;
  }
}

const DAMAGED = 'damaged: not a readable SQLite database';

/** The one error for a file SQLite cannot read as a whole (cut short, overwritten, damaged): `file: damaged: ...`. */
export function damagedDatabase(display: string, detail: string): TraceError {
  return new TraceError(display, `${DAMAGED} (${detail})`);
}

/** Whether an error is `damagedDatabase`'s (also after crossing from a reader thread, which keeps a TraceError's reason). */
export function isDamagedDatabaseError(error: unknown): boolean {
  return error instanceof TraceError && error.reason.startsWith(DAMAGED);
}

/**
 * SQLite's own verdict that a database is damaged (SQLITE_CORRUPT: "database disk image is
 * malformed"), as opposed to locked, unreadable, or no database at all (SQLITE_NOTADB).
 */
function isDamage(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_CORRUPT');
}

/**
 * Whether the file is shorter than its header says (a copy or download cut short), from the first
 * 100 bytes: the header's page size and page count (bytes 16 and 28; the count only when bytes 24
 * and 92 agree, as SQLite trusts it). SQLite itself reads such a file until it reaches a missing
 * page, which may be deep into a read or never. A database with a write-ahead log beside it may
 * have pages that only the log holds: not checked.
 */
function truncation(file: string): string | null {
  if (fs.existsSync(`${file}-wal`)) return null;
  const header = Buffer.alloc(100);
  let size: number;
  const fd = fs.openSync(file, 'r');
  try {
    size = fs.fstatSync(fd).size;
    if (fs.readSync(fd, header, 0, 100, 0) < 100) return null; // too short for a header: SQLite says what it is
  } finally {
    fs.closeSync(fd);
  }
  if (!isSqliteHeader(header)) return null;
  const rawPageSize = header.readUInt16BE(16);
  const pageSize = rawPageSize === 1 ? 65536 : rawPageSize;
  const pages = header.readUInt32BE(28);
  // A page size SQLite does not know: SQLite refuses the file itself.
  if (pageSize < 512 || (pageSize & (pageSize - 1)) !== 0) return null;
  if (pages === 0 || header.readUInt32BE(24) !== header.readUInt32BE(92)) return null;
  const expected = pages * pageSize;
  return size < expected ? `cut short: ${size} bytes of the ${expected} its header states` : null;
}

/** Rows per page of `pages` and `pagesInKeyOrder`. */
const PAGE_ROWS = 512;

/** Rows gathered into pages of PAGE_ROWS. */
export function* inPages(rows: Iterable<unknown[]>): Generator<unknown[][]> {
  let page: unknown[][] = [];
  for (const row of rows) {
    page.push(row);
    if (page.length === PAGE_ROWS) {
      yield page;
      page = [];
    }
  }
  if (page.length > 0) yield page;
}

function connect(file: string): Database.Database {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  // Reads the header: a file that is not a database fails here rather than at the first query.
  db.pragma('schema_version');
  return db;
}

/** Whether a step of a query plan reads a range of `key` through an index or the rowid. */
function isRangeSearch(detail: string, key: string): boolean {
  return /^SEARCH .* USING (COVERING INDEX|INDEX|INTEGER PRIMARY KEY)/.test(detail) && (detail.includes(`(${key}>?`) || detail.includes('(rowid>?'));
}

/**
 * A row's columns as one text, joined by GROUP_SEPARATORS.part, NULL as an empty part, numbers as
 * SQLite prints them: the same text as `a || char(31) || b ...`, which copies the row once per
 * operator where concat_ws copies it once (SQLite's part of 7 x 10^6 rows of Pegasus' jobstate in
 * ranges: 2.41 to 2.25 CPU s). concat_ws would skip a NULL, hence the ifnull.
 */
function joinedRow(columns: readonly string[]): string {
  return `concat_ws(char(31), ${columns.map((column) => `ifnull(${quote(column)}, '')`).join(', ')})`;
}

function quote(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}
