export interface RunningServer {
  /** postgresql://USER:PASSWORD@127.0.0.1:PORT/postgres: the administrator's connection. */
  url: string;
  stop(): Promise<void>;
}
export function freePort(): Promise<number>;
export function startServer(): Promise<RunningServer>;
