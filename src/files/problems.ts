/**
 * What went wrong with a file, in words, from the error code the system gave.
 */

/** The system's error code of a failed file operation, or undefined for any other error. */
export function fileErrorCode(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code) ? code : undefined;
}

/** A short reason: `permission denied`, `read-only file system`, ... (the system's message for codes not listed). */
export function fileProblem(error: unknown): string {
  switch (fileErrorCode(error)) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'read-only file system';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EDQUOT':
      return 'disk quota exceeded';
    case 'EISDIR':
      return 'is a folder';
    case 'ENOTDIR':
      return 'a part of the path is a file, not a folder';
    case 'ENAMETOOLONG':
      return 'the name is too long';
    case 'ENOENT':
      // A folder that exists but where nothing can be created answers ENOENT (/proc, /sys).
      return 'the file system does not allow it';
    default:
      return (error as Error).message;
  }
}
