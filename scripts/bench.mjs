#!/usr/bin/env node
/**
 * npm run bench: how fast and how big asyncscope is on traces of 10^4, 10^5 and 10^6 tasks.
 *
 * Generates seeded synthetic traces (asyncscope gen), then runs every stage as a user would: the
 * CLI entry point in a fresh process (wall time and peak RSS from the OS), and the pure functions
 * in this process. Each figure is the median of 3 runs. Prints a table with PASS/MISS per target
 * (it never fails: targets are for people, not CI) and writes the same to reports/bench.json.
 * The floor: the same CSV imported by the sqlite3 shell (.mode csv, .import).
 *
 *   npm run bench                      # 10^4, 10^5, 10^6, 3 repeats
 *   npm run bench -- --quick           # 10^4, 10^5, 1 repeat
 *   npm run bench -- --sizes 1000000 --repeats 5
 *   npm run bench -- --sizes 1000000 --only 'ingest (csv|rp session)$'   # rows whose stage matches
 *
 * --only REGEX runs only the stages whose name matches (others are listed as not selected), and
 * generates only the traces they read; targets whose rows were not run say n/a.
 *   npm run bench -- --sizes 1000000 --only '^postgresql'   # the PostgreSQL rows (scripts/bench/postgres.mjs)
 */
import { execFileSync, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin', 'run.js');
const HOOK = path.join(ROOT, 'scripts', 'bench', 'rss-hook.mjs');
const { bzip2Session, sessionFolder, unsortedCsv } = await import('./bench/inputs.mjs');

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? fallback : args[i + 1];
};
const quick = args.includes('--quick');
const sizes = (option('sizes', quick ? '10000,100000' : '10000,100000,1000000')).split(',').map(Number);
const repeats = Number(option('repeats', quick ? 1 : 3));
const work = option('work', path.join(os.tmpdir(), 'asyncscope-bench'));
const only = option('only', null);
const selected = only === null ? () => true : (stage) => new RegExp(only).test(stage);
const SEED = 1;
/** Formats of issues 17 and 16 (the HPC side) with a row each: `gen --format F` writes them (snakemake: a folder). */
const WORKFLOW_FORMATS = ['nextflow', 'snakemake', 'dask', 'sacct', 'parsl', 'pegasus'];
const CAPACITY = ['--cores', '2688', '--gpus', '96', '--nodes', '16'];
fs.mkdirSync(work, { recursive: true });
/**
 * Generated traces are cached in a folder named after the generator's sources, so that a changed
 * generator never measures the traces of the old one (issue 13 point 16 changed their shape).
 */
const generatorFiles = ['src/synthetic', 'src/util/seeded-random.ts'].flatMap((name) => {
  const full = path.join(ROOT, name);
  return fs.statSync(full).isDirectory() ? fs.readdirSync(full).sort().map((file) => path.join(full, file)) : [full];
});
const generatorHash = crypto.createHash('sha256');
for (const file of generatorFiles) generatorHash.update(fs.readFileSync(file));
const traces = path.join(work, `traces-${generatorHash.digest('hex').slice(0, 10)}`);
fs.mkdirSync(traces, { recursive: true });

const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'oclif.manifest.json'), 'utf8'));
const hasCommand = (id) => id in manifest.commands;

// ---------------------------------------------------------------- measuring
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** Runs a command in a fresh process; returns wall seconds, and peak RSS (MB) and CPU seconds (all threads) of node processes. */
function timeProcess(command, commandArgs, { node = true, env = {} } = {}) {
  const rssFile = path.join(work, `rss-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const argv = node ? ['--import', HOOK, ...commandArgs] : commandArgs;
  const bin = node ? process.execPath : command;
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(bin, argv, { env: { ...process.env, CI: 'true', ASYNCSCOPE_BENCH_RSS: rssFile, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (code !== 0) return reject(new Error(`${bin} ${argv.join(' ')} exited ${code}: ${stderr.trim()}`));
      let rssMb = null;
      let cpuS = null;
      if (fs.existsSync(rssFile)) {
        const [rssKb, cpu] = fs.readFileSync(rssFile, 'utf8').split(' ').map(Number);
        rssMb = rssKb / 1024;
        cpuS = cpu;
        fs.rmSync(rssFile);
      }
      resolve({ seconds, rssMb, cpuS, stdout });
    });
  });
}

/** `repeats` runs of `once` (which may prepare with `before`); the median time and CPU time, and the largest RSS. */
async function measure(once, before) {
  const times = [];
  const rss = [];
  const cpu = [];
  let last;
  for (let r = 0; r < repeats; r++) {
    if (before) await before(r);
    last = await once(r);
    times.push(last.seconds);
    if (last.rssMb !== null && last.rssMb !== undefined) rss.push(last.rssMb);
    if (last.cpuS !== null && last.cpuS !== undefined) cpu.push(last.cpuS);
  }
  return { seconds: median(times), runs: times, rssMb: rss.length ? Math.max(...rss) : null, cpuS: cpu.length ? median(cpu) : null, last };
}

/**
 * `measure`, with `partner` (another stage's run) just before each run: this machine's speed drifts
 * by a quarter within minutes, so a ratio of two stages measured minutes apart says as much about
 * the minutes as about the stages. Each run's ratio to its own partner's is kept, and their median
 * is the row's `paired_ratio`, which the ratio targets use. `partner`: { run, remove } (its output).
 */
async function measurePaired(once, before, partner) {
  const partnerRuns = [];
  const m = await measure(async (r) => {
    partnerRuns.push((await partner.run()).seconds);
    // The partner's database goes at once: the system would otherwise write its pages out while
    // the measured run runs (some 100 MB at a million tasks), which costs the measured run.
    partner.remove();
    return once(r);
  }, before);
  return { ...m, partner: { runs: partnerRuns, ratio: median(m.runs.map((seconds, i) => seconds / partnerRuns[i])) } };
}

/** Several processes one after the other, as one figure (wall and CPU times add up). */
async function inTurn(...steps) {
  const total = { seconds: 0, rssMb: 0, cpuS: 0 };
  for (const step of steps) {
    const m = await step();
    total.seconds += m.seconds;
    total.rssMb = Math.max(total.rssMb, m.rssMb ?? 0);
    total.cpuS += m.cpuS ?? 0;
  }
  return total;
}

const cli = (...commandArgs) => timeProcess(process.execPath, [BIN, ...commandArgs]);
/** The CLI with no bunzip2 on PATH: bzip2 through the JavaScript decoder (node is started by its full path). */
const cliWithoutBunzip2 = (...commandArgs) => timeProcess(process.execPath, [BIN, ...commandArgs], { env: { PATH: '' } });
const fresh = (file) => () => {
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
};

/** In-process timing of a pure function (after one warm-up call when `warm`). */
async function inProcess(fn) {
  const times = [];
  let value;
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    value = await fn();
    times.push((performance.now() - t0) / 1000);
  }
  return { seconds: median(times), runs: times, rssMb: process.resourceUsage().maxRSS / 1024, value };
}

/** Whether a program is on PATH. */
function hasProgram(name) {
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => dir !== '' && fs.existsSync(path.join(dir, name)));
}

// ---------------------------------------------------------------- traces
function generate(n, format) {
  const ext = format === 'rp' ? 'tgz' : format;
  const file = path.join(traces, `synthetic-${n}-seed${SEED}.${ext}`);
  if (!fs.existsSync(file)) {
    process.stderr.write(`generating ${path.basename(file)}\n`);
    execFileSync(process.execPath, [BIN, 'gen', '--tasks', String(n), '--format', format, '--seed', String(SEED), '--out', file]);
  }
  return file;
}

// ---------------------------------------------------------------- stages
const results = [];
/** Stages not measured on this machine, with the reason. */
const skipped = [];
function biggestSize() {
  return Math.max(...sizes);
}
const record = (stage, tasks, m, extra = {}) => {
  const row = {
    stage,
    tasks,
    median_s: round(m.seconds),
    runs_s: m.runs.map(round),
    tasks_per_s: tasks && m.seconds > 0 ? Math.round(tasks / m.seconds) : null,
    cpu_s: m.cpuS === null || m.cpuS === undefined ? null : round(m.cpuS),
    peak_rss_mb: m.rssMb === null ? null : Math.round(m.rssMb),
    ...(m.partner ? { partner_runs_s: m.partner.runs.map(round), paired_ratio: round(m.partner.ratio) } : {}),
    ...extra,
  };
  results.push(row);
  process.stderr.write(`${stage.padEnd(28)} ${String(tasks).padStart(8)}  ${row.median_s.toFixed(3)} s  cpu ${row.cpu_s ?? '-'} s  ${row.peak_rss_mb ?? '-'} MB\n`);
  return row;
};
const round = (x) => Math.round(x * 1000) / 1000;
/** Stages --only left out. */
const unselected = [];
/** Measures and records a stage when --only selects it; `measured` runs only then. */
async function row(stage, tasks, measured, extra) {
  if (!selected(stage)) {
    if (!unselected.includes(stage)) unselected.push(stage);
    return null;
  }
  return record(stage, tasks, await measured(), typeof extra === 'function' ? extra() : extra);
}

const { ingest } = await import(path.join(ROOT, 'dist/importers/ingest.js'));
const { openStore } = await import(path.join(ROOT, 'dist/store/open-store.js'));
const { analyzeStoredRun } = await import(path.join(ROOT, 'dist/analysis/stored-run.js'));
const { loadRunData } = await import(path.join(ROOT, 'dist/model/from-store.js'));
const { inferSpec } = await import(path.join(ROOT, 'dist/model/infer-spec.js'));
const { runPlatform } = await import(path.join(ROOT, 'dist/model/compare.js'));
const { predict } = await import(path.join(ROOT, 'dist/model/predict.js'));
const { whatIf } = await import(path.join(ROOT, 'dist/model/whatif.js'));

// A real RADICAL-Pilot session of the paper, DeepDriveMD synchronous (about 6 MB of profiles), from ../shared.
const ddmd = path.join(ROOT, '..', 'shared', 'traces', 'radical-pilot', 're.session.login2.pascuzzi.019224.0001.tgz');
const ddmdDb = path.join(work, 'ddmd.db');
{
  const db = ddmdDb;
  await row('ingest rp DDMD (CLI)', 627, () => measure(() => cli('ingest', ddmd, '--db', db), fresh(db)));
  await row('ingest rp DDMD (in-process)', 627, () =>
    inProcess(async () => {
      const memory = await openStore(':memory:', { access: 'write', create: true });
      await ingest(memory, { paths: [ddmd], format: 'auto', replace: false });
      await memory.close();
    }),
  );
  // What a user of RADICAL-Analytics compares with (issue 16): the trace's figures from the command line.
  const pairDb = path.join(work, 'ddmd-pair.db');
  const ddmdRun = 're.session.login2.pascuzzi.019224.0001';
  await row('ingest + analyze rp DDMD (CLI)', 627, () => measure(() => inTurn(() => cli('ingest', ddmd, '--db', pairDb), () => cli('analyze', ddmdRun, '--db', pairDb, '--json')), fresh(pairDb)));
  // The one-process path: analyze given the trace itself ingests it on the way (importers/runs-or-traces.ts).
  await row('analyze rp DDMD trace (CLI, one process)', 627, () => measure(() => cli('analyze', ddmd, '--db', pairDb, '--json'), fresh(pairDb)));
  fresh(pairDb)();
}

// What if over a grid of 100 points (25 node counts x 4 GPUs per node) on the Summit runs: the
// inferred spec of each asynchronous run, simulated sequentially, level by level and asynchronously.
const WHATIF_GRID = { nodes: Array.from({ length: 25 }, (_, i) => i + 1), gpusPerNode: [2, 4, 6, 8] };
for (const [name, file, tasks] of [
  ['DG2', 're.session.login5.pascuzzi.019221.0001.tgz', 256],
  ['DDMD', 're.session.login2.pascuzzi.019224.0005.tgz', 627],
]) {
  const stages = [`whatif 100 points ${name} (in-process)`, `whatif 100 points ${name} (CLI)`];
  if (!stages.some(selected)) {
    for (const stage of stages) if (!unselected.includes(stage)) unselected.push(stage);
    continue;
  }
  // The Summit sessions live in ../shared/traces since main moved them out of the project.
  const trace = path.join(ROOT, '..', 'shared', 'traces', 'radical-pilot', file);
  if (!fs.existsSync(trace)) {
    for (const stage of stages) if (selected(stage)) skipped.push({ stage, reason: `${trace} is absent (../shared)` });
    continue;
  }
  const db = path.join(work, `whatif-${name}.db`);
  fresh(db)();
  await cli('ingest', trace, '--db', db, '--label', name);
  const store = await openStore(db, { access: 'read' });
  const data = await loadRunData(store, await store.resolveRun(name));
  const { spec } = inferSpec(data, { platform: runPlatform(data) });
  await row(stages[0], tasks, () => inProcess(() => whatIf(spec, WHATIF_GRID)));
  await store.close();
  await row(stages[1], tasks, () => measure(() => cli('whatif', name, '--db', db, '--nodes', '1..25', '--gpus-per-node', '2,4,6,8', '--json')));
}

const UTILIZATION_STAGE = 'synthetic utilization';
/** Per size, analyze's utilization of the ingested synthetic CSV run. */
const utilization = [];
const STORED_RUN_STAGES = ['analyze (CLI)', 'analyze (in-process)', 'predict --from-run (CLI)', 'predict (in-process)', 'report (CLI)', 'check (CLI)'];
for (const n of sizes) {
  const csv = () => generate(n, 'csv');
  const floorDb = path.join(work, `floor-${n}.db`);
  await row('sqlite3 .import csv (floor)', n, () => measure(() => timeProcess('sqlite3', [floorDb, '.mode csv', `.import ${csv()} tasks`], { node: false }), fresh(floorDb)));
  fresh(floorDb)();
  const db = path.join(work, `bench-${n}.db`);
  const importFloor = { run: () => (fresh(floorDb)(), timeProcess('sqlite3', [floorDb, '.mode csv', `.import ${csv()} tasks`], { node: false })), remove: fresh(floorDb) };
  await row('ingest csv', n, () => measurePaired(() => cli('ingest', csv(), '--db', db, ...CAPACITY), fresh(db), importFloor), { partner: 'sqlite3 .import csv (floor)' });
  fresh(floorDb)();
  // The importers of other formats are measured each beside a CSV ingest of the same tasks (measurePaired).
  const partnerDb = path.join(work, `bench-csv-partner-${n}.db`);
  const csvPartner = { run: () => (fresh(partnerDb)(), cli('ingest', csv(), '--db', partnerDb, ...CAPACITY)), remove: fresh(partnerDb) };
  const besideCsv = { partner: 'ingest csv' };
  // The same into a store that already holds a run: WAL mode, where a new file gets a rollback journal (see src/store/sqlite/database.ts).
  const usedDb = path.join(work, `bench-used-${n}.db`);
  const withDdmd = () => {
    fresh(usedDb)();
    if (!fs.existsSync(ddmdDb)) execFileSync(process.execPath, [BIN, 'ingest', ddmd, '--db', ddmdDb]);
    fs.copyFileSync(ddmdDb, usedDb);
  };
  await row('ingest csv (store in use)', n, () => measure(() => cli('ingest', csv(), '--db', usedDb, ...CAPACITY), withDdmd));
  fresh(usedDb)();
  const jsonlDb = path.join(work, `bench-jsonl-${n}.db`);
  await row('ingest jsonl', n, () => measure(() => cli('ingest', generate(n, 'jsonl'), '--db', jsonlDb, ...CAPACITY), fresh(jsonlDb)));
  fresh(jsonlDb)();
  const rpDb = path.join(work, `bench-rp-${n}.db`);
  await row('ingest rp session', n, () => measurePaired(() => cli('ingest', generate(n, 'rp'), '--db', rpDb), fresh(rpDb), csvPartner), besideCsv);
  fresh(rpDb)();
  // The same tasks as a table another tool exported: rows in no order, 8 types, 4 pipelines; its own floor.
  const unsorted = () => unsortedCsv(csv(), path.join(traces, `synthetic-${n}-seed${SEED}-unsorted.csv`), SEED);
  const unsortedFloorDb = path.join(work, `floor-unsorted-${n}.db`);
  await row('sqlite3 .import unsorted csv (floor)', n, () => measure(() => timeProcess('sqlite3', [unsortedFloorDb, '.mode csv', `.import ${unsorted()} tasks`], { node: false }), fresh(unsortedFloorDb)));
  fresh(unsortedFloorDb)();
  const unsortedDb = path.join(work, `bench-unsorted-${n}.db`);
  const importUnsortedFloor = {
    run: () => (fresh(unsortedFloorDb)(), timeProcess('sqlite3', [unsortedFloorDb, '.mode csv', `.import ${unsorted()} tasks`], { node: false })),
    remove: fresh(unsortedFloorDb),
  };
  await row('ingest unsorted csv', n, () => measurePaired(() => cli('ingest', unsorted(), '--db', unsortedDb, ...CAPACITY), fresh(unsortedDb), importUnsortedFloor), {
    partner: 'sqlite3 .import unsorted csv (floor)',
  });
  fresh(unsortedDb)();
  fresh(unsortedFloorDb)();
  // The workflow systems' traces of the same tasks (issue 17): a Nextflow trace, a Snakemake working directory, a Dask task stream.
  for (const format of WORKFLOW_FORMATS) {
    const formatDb = path.join(work, `bench-${format}-${n}.db`);
    await row(`ingest ${format}`, n, () => measurePaired(() => cli('ingest', generate(n, format), '--db', formatDb, ...CAPACITY), fresh(formatDb), csvPartner), besideCsv);
    fresh(formatDb)();
  }
  fresh(partnerDb)();

  // The synthetic trace stays within the machine it states (issue 13 point 16): analyze's utilization
  // of the CSV run is at most 1 (a target below); not timed.
  if (selected(UTILIZATION_STAGE)) {
    if (!fs.existsSync(db)) execFileSync(process.execPath, [BIN, 'ingest', csv(), '--db', db, ...CAPACITY]);
    const run = path.basename(csv()).replace(/\.csv$/, '');
    const [analyzed] = JSON.parse(execFileSync(process.execPath, [BIN, 'analyze', run, '--db', db, '--json'], { encoding: 'utf8' })).runs;
    utilization.push({ tasks: n, cpu: analyzed.utilization.cpu, gpu: analyzed.utilization.gpu });
  } else if (!unselected.includes(UTILIZATION_STAGE)) unselected.push(UTILIZATION_STAGE);

  // The stages that read a stored run read the CSV run in `db` (ingested here when its row was not run).
  if (!STORED_RUN_STAGES.some(selected)) {
    for (const stage of STORED_RUN_STAGES) if (!unselected.includes(stage)) unselected.push(stage);
    fresh(db)();
    continue;
  }
  if (!fs.existsSync(db)) execFileSync(process.execPath, [BIN, 'ingest', csv(), '--db', db, ...CAPACITY]);
  const run = path.basename(csv()).replace(/\.csv$/, '');
  await row('analyze (CLI)', n, () => measure(() => cli('analyze', run, '--db', db, '--json')));
  const store = await openStore(db, { access: 'read' });
  const [stored] = await store.listRuns();
  await row('analyze (in-process)', n, () => inProcess(() => analyzeStoredRun(store, stored)));
  await row('predict --from-run (CLI)', n, () => measure(() => cli('predict', '--from-run', run, '--db', db, '--json')));
  if (selected('predict (in-process)')) {
    const data = await loadRunData(store, stored);
    const { spec } = inferSpec(data, { platform: runPlatform(data) });
    await row('predict (in-process)', n, () => inProcess(() => predict(spec)));
  } else unselected.push('predict (in-process)');
  await store.close();
  if (hasCommand('report')) {
    const html = path.join(work, `report-${n}.html`);
    await row('report (CLI)', n, () => measure(() => cli('report', run, '--db', db, '--out', html)), () => ({ bytes: fs.statSync(html).size }));
  }
  if (hasCommand('check') && hasCommand('baseline:save') && selected('check (CLI)')) {
    const baseline = path.join(work, `baseline-${n}.json`);
    await cli('baseline', 'save', run, '--db', db, '--out', baseline);
    await row('check (CLI)', n, () => measure(() => cli('check', run, '--db', db, '--baseline', baseline, '--max-increase', 'makespan_s=5%', '--min', 'utilization.gpu=0.1')));
  } else if (!unselected.includes('check (CLI)')) unselected.push('check (CLI)');
}

// A session folder of 2,000 task profiles (as real sessions have one per task) against the same session as .tgz (issue 13).
{
  const n = 2000;
  const archive = path.join(traces, `session-folder-${n}.tgz`);
  let made = null;
  const folder = () => (made ??= sessionFolder(generate(n, 'rp'), path.join(traces, `session-folder-${n}`), archive));
  const folderDb = path.join(work, 'bench-folder.db');
  await row('ingest rp session folder', n, () => measure(() => cli('ingest', folder().folder, '--db', folderDb), fresh(folderDb)), () => ({ files: made.files }));
  await row('ingest rp session (its .tgz)', n, () => measure(() => (folder(), cli('ingest', archive, '--db', folderDb)), fresh(folderDb)));
  fresh(folderDb)();
}

// .tar.bz2 sessions (issue 13 point 18): the generated one recompressed with bzip2, through the bunzip2
// program and through the JavaScript decoder (no bunzip2 on PATH); a real one from ../shared when it is there.
{
  const n = Math.min(100_000, biggestSize());
  const bzDb = path.join(work, 'bench-bz2.db');
  let bz = null;
  const bzFile = () => (bz ??= bzip2Session(generate(n, 'rp'), path.join(traces, `synthetic-${n}-seed${SEED}.tar.bz2`))).file;
  const tgzDb = path.join(work, 'bench-bz2-tgz.db');
  await row('ingest rp session (.tgz of the .tar.bz2)', n, () => measure(() => cli('ingest', generate(n, 'rp'), '--db', tgzDb), fresh(tgzDb)));
  fresh(tgzDb)();
  for (const [stage, run] of [
    ['ingest rp session .tar.bz2 (bunzip2)', cli],
    ['ingest rp session .tar.bz2 (JS decoder)', cliWithoutBunzip2],
  ]) {
    if (selected(stage) && !bzFile()) skipped.push({ stage, reason: bz.reason });
    else if (stage.includes('(bunzip2)') && selected(stage) && !hasProgram('bunzip2')) skipped.push({ stage, reason: 'no bunzip2 program on PATH' });
    else await row(stage, n, () => measure(() => run('ingest', bzFile(), '--db', bzDb), fresh(bzDb)));
  }
  const mosto = path.join(ROOT, '..', 'shared', 'traces', 'radical-pilot', 'rp.session.mosto.mturilli.019432.0002.tar.bz2');
  for (const [stage, run] of [
    ['ingest rp mosto .tar.bz2 (real, bunzip2)', cli],
    ['ingest rp mosto .tar.bz2 (real, JS decoder)', cliWithoutBunzip2],
  ]) {
    if (!selected(stage)) unselected.push(stage);
    else if (!fs.existsSync(mosto)) skipped.push({ stage, reason: `${mosto} is absent (../shared)` });
    else if (stage.includes(', bunzip2') && !hasProgram('bunzip2')) skipped.push({ stage, reason: 'no bunzip2 program on PATH' });
    else await row(stage, 2048, () => measure(() => run('ingest', mosto, '--db', bzDb), fresh(bzDb)));
  }
  fresh(bzDb)();
}

// A shared store on PostgreSQL (issue 18): ingest against COPY of the same rows; a server of its own.
const POSTGRES_STAGES = ['postgresql: ingest csv', 'postgresql: COPY floor', 'postgresql: psql \\copy floor', 'postgresql: analyze (CLI)'];
if (POSTGRES_STAGES.some(selected)) {
  const { benchPostgres } = await import('./bench/postgres.mjs');
  await benchPostgres({ sizes, generate, measure, cli, timeProcess, row, work, capacity: CAPACITY });
} else unselected.push(...POSTGRES_STAGES);

// ---------------------------------------------------------------- targets and table
const find = (stage, tasks) => results.find((r) => r.stage === stage && r.tasks === tasks);
/** For the PostgreSQL ingest row: its CPU seconds (client and server) against the COPY floor's, whose client is measured too. */
const pgCpuNote = (r) => {
  const copy = r.stage === 'postgresql: ingest csv' ? find('postgresql: COPY floor', r.tasks) : undefined;
  return copy?.cpu_s && r.cpu_s ? `; CPU ${(r.cpu_s / copy.cpu_s).toFixed(2)}x the COPY floor's` : '';
};
const biggest = Math.max(...sizes);
const smallest = Math.min(...sizes);
const targets = [];
const target = (name, actual, limit, unit, ok) => targets.push({ target: name, actual, limit, unit, verdict: actual === null || actual === undefined || Number.isNaN(actual) ? 'n/a' : ok ? 'PASS' : 'MISS' });
/**
 * `a / b`: a's paired ratio when b was its partner (measurePaired: each of a's runs against the run
 * of b just before it), else the ratio of the two rows' medians (null when either row was not run).
 */
const ratio = (a, b, bStage = b?.stage) => {
  if (a?.paired_ratio !== undefined && a.partner === bStage) return a.paired_ratio;
  return a && b ? round(a.median_s / b.median_s) : null;
};
if (biggest === 1_000_000) {
  const csvRow = find('ingest csv', biggest);
  const floor = find('sqlite3 .import csv (floor)', biggest);
  target('ingest 10^6 CSV <= 2x sqlite3 .import', ratio(csvRow, floor, 'sqlite3 .import csv (floor)'), 2, 'x floor', ratio(csvRow, floor, 'sqlite3 .import csv (floor)') <= 2);
  target('ingest 10^6 CSV peak RSS < 1 GB', csvRow?.peak_rss_mb, 1024, 'MB', csvRow?.peak_rss_mb < 1024);
  const unsortedRow = find('ingest unsorted csv', biggest);
  const unsortedFloor = find('sqlite3 .import unsorted csv (floor)', biggest);
  target('ingest 10^6 unsorted CSV <= 2x its .import', ratio(unsortedRow, unsortedFloor, 'sqlite3 .import unsorted csv (floor)'), 2, 'x floor', ratio(unsortedRow, unsortedFloor, 'sqlite3 .import unsorted csv (floor)') <= 2);
  const rpRow = find('ingest rp session', biggest);
  target('ingest 10^6 RP session <= 3x CSV ingest', ratio(rpRow, csvRow, 'ingest csv'), 3, 'x csv', ratio(rpRow, csvRow, 'ingest csv') <= 3);
  target('ingest 10^6 RP session peak RSS < 1 GB', rpRow?.peak_rss_mb, 1024, 'MB', rpRow?.peak_rss_mb < 1024);
  for (const format of WORKFLOW_FORMATS) {
    const formatRow = find(`ingest ${format}`, biggest);
    if (!formatRow) continue;
    target(`ingest 10^6 ${format} <= 3x ingest csv`, ratio(formatRow, csvRow, 'ingest csv'), 3, 'x csv', ratio(formatRow, csvRow, 'ingest csv') <= 3);
    target(`ingest 10^6 ${format} peak RSS < 1 GB`, formatRow.peak_rss_mb, 1024, 'MB', formatRow.peak_rss_mb < 1024);
  }
  const pgIngest = find('postgresql: ingest csv', biggest);
  // The issue's floor is psql's \copy: when psql is installed, else the same COPY from Node (scripts/bench/copy-file.mjs).
  const pgFloor = find('postgresql: psql \\copy floor', biggest) ?? find('postgresql: COPY floor', biggest);
  target('ingest 10^6 CSV into PostgreSQL <= 2x COPY', ratio(pgIngest, pgFloor), 2, 'x floor', ratio(pgIngest, pgFloor) <= 2);
  // The same in CPU seconds, client and server (scripts/bench/postgres.mjs): steadier under load.
  const copyFloor = find('postgresql: COPY floor', biggest);
  const pgCpu = pgIngest?.cpu_s && copyFloor?.cpu_s ? pgIngest.cpu_s / copyFloor.cpu_s : undefined;
  target('ingest 10^6 CSV into PostgreSQL <= 2x COPY (CPU s)', pgCpu, 2, 'x floor', pgCpu <= 2);
  const analyze = find('analyze (CLI)', biggest);
  target('analyze 10^6 < 2 s (CLI, incl. startup)', analyze?.median_s, 2, 's', analyze?.median_s < 2);
  target('analyze 10^6 peak RSS < 1 GB', analyze?.peak_rss_mb, 1024, 'MB', analyze?.peak_rss_mb < 1024);
  const simulate = find('predict (in-process)', biggest);
  target('predict (simulation) 10^6 < 5 s', simulate?.median_s, 5, 's', simulate?.median_s < 5);
  const predictCli = find('predict --from-run (CLI)', biggest);
  target('predict --from-run 10^6 peak RSS < 1 GB', predictCli?.peak_rss_mb, 1024, 'MB', predictCli?.peak_rss_mb < 1024);
  const report = find('report (CLI)', biggest);
  if (hasCommand('report')) {
    target('report 10^6 < 10 s', report?.median_s, 10, 's', report?.median_s < 10);
    target('report 10^6 < 5 MB', report ? round(report.bytes / 1e6) : null, 5, 'MB', report?.bytes <= 5e6);
    target('report 10^6 peak RSS < 1 GB', report?.peak_rss_mb, 1024, 'MB', report?.peak_rss_mb < 1024);
  }
}
for (const [name, tasks] of [['DG2', 256], ['DDMD', 627]]) {
  const grid = find(`whatif 100 points ${name} (CLI)`, tasks);
  if (grid) target(`whatif 100 points ${name} < 3 s (CLI)`, grid.median_s, 3, 's', grid.median_s < 3);
}
const ddmdRow = find('ingest rp DDMD (in-process)', 627);
target('ingest DDMD session < 0.5 s (in-process)', ddmdRow?.median_s, 0.5, 's', ddmdRow?.median_s < 0.5);
// Issue 16: at least 5x faster than RADICAL-Analytics' 2.18 s load of this session (measured elsewhere: no PyPI here).
const ddmdCli = find('ingest rp DDMD (CLI)', 627);
target('ingest DDMD session (CLI) <= 2.18 s / 5', ddmdCli?.median_s, 0.44, 's', ddmdCli?.median_s <= 0.436);
for (const u of utilization) {
  const worst = round(Math.max(u.cpu ?? 0, u.gpu ?? 0));
  // The larger of the CPU and GPU utilizations (both are in reports/bench.json, `utilization`).
  target(`synthetic ${u.tasks} tasks: utilization <= 1`, worst, 1, 'cpu/gpu', worst <= 1);
}
const folderRow = find('ingest rp session folder', 2000);
const folderArchive = find('ingest rp session (its .tgz)', 2000);
target('ingest session folder <= its archive', ratio(folderRow, folderArchive), 1, 'x tgz', ratio(folderRow, folderArchive) <= 1);

// Growth: from the smallest to the largest size, each stage may grow at most like n log n.
const growth = [];
if (biggest > smallest) {
  const factor = biggest / smallest;
  const nLogN = factor * (Math.log(biggest) / Math.log(smallest));
  for (const stage of [...new Set(results.filter((r) => r.tasks === biggest).map((r) => r.stage))]) {
    const small = find(stage, smallest);
    const big = find(stage, biggest);
    if (!small || !big || small.median_s === 0) continue;
    const ratio = round(big.median_s / small.median_s);
    growth.push({ stage, from: smallest, to: biggest, ratio, n_log_n: round(nLogN), verdict: ratio <= nLogN ? 'PASS' : 'MISS' });
  }
}

const machine = {
  cpus: os.cpus().length,
  cpu_model: os.cpus()[0]?.model ?? 'unknown',
  memory_gb: Math.round(os.totalmem() / 2 ** 30),
  node: process.version,
  platform: `${os.type()} ${os.release()}`,
  load_average_at_end: os.loadavg().map(round),
  sqlite3: execFileSync('sqlite3', ['--version']).toString().split(' ')[0],
};

const pad = (text, width, right) => (right ? String(text).padStart(width) : String(text).padEnd(width));
const lines = [];
lines.push(`asyncscope benchmark: ${repeats} run(s) per figure, median; ${machine.cpus} x ${machine.cpu_model}, ${machine.memory_gb} GiB, Node ${machine.node}`);
lines.push('');
lines.push(`${pad('STAGE', 44)}${pad('TASKS', 9, true)}${pad('MEDIAN_S', 11, true)}${pad('CPU_S', 9, true)}${pad('TASKS/S', 11, true)}${pad('PEAK_RSS_MB', 13, true)}  NOTE`);
for (const r of results) {
  const floor = r.stage.startsWith('ingest csv')
    ? find('sqlite3 .import csv (floor)', r.tasks)
    : r.stage === 'ingest unsorted csv'
      ? find('sqlite3 .import unsorted csv (floor)', r.tasks)
      : r.stage === 'postgresql: ingest csv'
        ? (find('postgresql: psql \\copy floor', r.tasks) ?? find('postgresql: COPY floor', r.tasks))
        : null;
  const csvRow = r.stage === 'ingest rp session' || WORKFLOW_FORMATS.some((f) => r.stage === `ingest ${f}`) ? find('ingest csv', r.tasks) : null;
  const program = r.stage.includes('JS decoder') ? find(r.stage.replace('JS decoder', 'bunzip2'), r.tasks) : null;
  const paired = r.paired_ratio !== undefined ? `${r.paired_ratio.toFixed(2)}x its ${r.partner} run just before each run; ` : '';
  const note = paired + (floor
    ? `${(r.median_s / floor.median_s).toFixed(2)}x the ${floor.stage.startsWith('postgresql') ? (floor.stage.includes('psql') ? 'psql \\copy' : 'COPY') : 'sqlite3'} floor row${pgCpuNote(r)}`
    : csvRow
      ? `${(r.median_s / csvRow.median_s).toFixed(2)}x the CSV ingest row`
      : program
        ? `${(r.median_s / program.median_s).toFixed(2)}x through bunzip2`
        : r.bytes
        ? `${(r.bytes / 1e6).toFixed(2)} MB`
        : r.files
          ? `${r.files} files`
          : '');
  lines.push(`${pad(r.stage, 44)}${pad(r.tasks, 9, true)}${pad(r.median_s.toFixed(3), 11, true)}${pad(r.cpu_s ?? '-', 9, true)}${pad(r.tasks_per_s ?? '-', 11, true)}${pad(r.peak_rss_mb ?? '-', 13, true)}  ${note}`);
}
for (const s of skipped) lines.push(`${pad(s.stage, 44)}  skipped: ${s.reason}`);
if (unselected.length) lines.push(`not selected by --only ${only}: ${unselected.length} stage(s)`);
lines.push('');
lines.push(`${pad('TARGET', 46)}${pad('ACTUAL', 10, true)}${pad('LIMIT', 8, true)}  UNIT      VERDICT`);
for (const t of targets) lines.push(`${pad(t.target, 46)}${pad(t.actual ?? '-', 10, true)}${pad(t.limit, 8, true)}  ${pad(t.unit, 9)} ${t.verdict}`);
if (growth.length) {
  lines.push('');
  lines.push(`${pad(`GROWTH ${smallest} -> ${biggest} TASKS`, 46)}${pad('RATIO', 10, true)}${pad('N LOG N', 9, true)}  VERDICT`);
  for (const g of growth) lines.push(`${pad(g.stage, 46)}${pad(`x${g.ratio}`, 10, true)}${pad(`x${g.n_log_n}`, 9, true)}  ${g.verdict}`);
}
console.log(lines.join('\n'));

fs.mkdirSync(path.join(ROOT, 'reports'), { recursive: true });
const out = path.join(ROOT, 'reports', 'bench.json');
fs.writeFileSync(out, `${JSON.stringify({ date: new Date().toISOString(), machine, repeats, sizes, only, results, skipped, targets, growth, utilization }, null, 2)}\n`);
console.log(`\nwritten: ${path.relative(process.cwd(), out)}`);
