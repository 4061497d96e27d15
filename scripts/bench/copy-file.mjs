/**
 * The floor of the PostgreSQL ingest rows of npm run bench: what `psql -c "\copy TABLE FROM FILE"`
 * does (a client process that streams a file of rows in COPY's text format to the server),
 * with the same driver asyncscope uses. Usage: node copy-file.mjs URL TABLE FILE
 */
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

const [url, table, file] = process.argv.slice(2);
const client = new pg.Client({ connectionString: url });
await client.connect();
await client.query('BEGIN');
await pipeline(fs.createReadStream(file), client.query(copyFrom(`COPY ${table} FROM STDIN`)));
await client.query('COMMIT');
await client.end();
