export interface RunningServer {
  /** postgresql://USER:PASSWORD@127.0.0.1:PORT/postgres: the administrator's connection. */
  url: string;
  stop(): Promise<void>;
}
export function freePort(): Promise<number>;
export function startServer(): Promise<RunningServer>;
/** The first folder above `file` a user other than root may not enter, or null. */
export function folderClosedToOthers(file: string): string | null;
