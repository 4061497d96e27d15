/**
 * SQLite's answer when another connection holds a lock this one needs: SQLITE_BUSY (and its
 * extended codes, such as SQLITE_BUSY_SNAPSHOT), or SQLITE_LOCKED, as better-sqlite3 gives it in
 * the error's `code`. Said apart from other failures: the file is fine, only in use (a store another
 * ingest is writing, a Parsl or Pegasus database its workflow is still writing).
 */
export function isBusyError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}
