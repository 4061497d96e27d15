/**
 * What the RADICAL-Pilot importer stores, row for row, on every real session at hand and on a
 * session written here to hold every quirk the reader must keep: the snapshot digests were taken
 * with the importer that parsed the description whole, so a faster reader must store the very
 * same runs (tasks in the same order, the same events, times to the last bit, the same warnings).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { StoredRun } from '../../src/run/stored-run.js';
import type { Db } from '../../src/store/sqlite/database.js';
import { cli, tempDir } from '../helpers/cli.js';
import { PROFILE_HEADER, profLine, sessionJson, writeFolder, writeTgz, type FixtureFile } from '../helpers/rp-session.js';
import { fileStore, ingestInto, memoryStore } from '../helpers/store.js';
import { describeWithShared, HAVE_SHARED_TRACES } from '../helpers/shared-traces.js';
import { generateRun } from '../../src/synthetic/workflow.js';
import { writeRadicalPilotSession } from '../../src/synthetic/writers.js';
import { RP_DIR } from '../helpers/traces.js';

/**
 * The stored run, its tasks and events as one digest (the path it came from left out, `folder` in
 * warnings too); the task details (executable, EnTK stage name, ranks: task_details) as another.
 */
function storedDigest(db: Db, run: StoredRun, folder?: string): { tasks: number; events: number; sha256: string; details: number; detailsSha256: string } {
  const hash = crypto.createHash('sha256');
  const head = db
    .prepare(
      `SELECT id, label, mode, workflow, format, content_hash, epoch, scheduled, nodes, cores_per_node, gpus_per_node,
              cores, gpus, tasks, executed, incomplete, makespan_s, warnings FROM runs WHERE pk = ?`,
    )
    .raw()
    .get(run.pk);
  const headJson = JSON.stringify(head);
  hash.update(folder ? headJson.replaceAll(folder, '<folder>') : headJson);
  const tasks = db
    .prepare('SELECT idx, uid, name, type, stage, pipeline, state, node, cores, gpus, start_s, end_s, runtime_s FROM tasks WHERE run_pk = ? ORDER BY idx')
    .raw()
    .all(run.pk);
  for (const row of tasks) hash.update(JSON.stringify(row));
  const events = db.prepare('SELECT task_idx, seq, event, state, time_s FROM events WHERE run_pk = ? ORDER BY task_idx, seq').raw().all(run.pk);
  for (const row of events) hash.update(JSON.stringify(row));
  const detailsHash = crypto.createHash('sha256');
  const details = db.prepare('SELECT task_idx, trace_type, executable, stage_name, ranks FROM task_details WHERE run_pk = ? ORDER BY task_idx').raw().all(run.pk);
  for (const row of details) detailsHash.update(JSON.stringify(row));
  return { tasks: tasks.length, events: events.length, sha256: hash.digest('hex'), details: details.length, detailsSha256: detailsHash.digest('hex') };
}

const work = tempDir();
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** Ingests `trace` from the command line with the profiles read by a worker thread, into `<name>.db`. */
async function ingestedByWorker(trace: string, name: string): Promise<{ digest: ReturnType<typeof storedDigest>; run: StoredRun }> {
  const file = path.join(work, `${name}.db`);
  const result = await cli(['ingest', trace, '--db', file], { env: { ASYNCSCOPE_PARSE_WORKER: 'always' } });
  expect(result.code, result.stderr).toBe(0);
  const stored = fileStore(file, { access: 'read' });
  const [run] = await stored.listRuns();
  const digest = storedDigest(stored.db, run);
  await stored.close();
  return { digest, run };
}

// The real sessions of ../shared/traces (never copied into the project): skipped with the reason without them, failing under CI.
describeWithShared('stored runs of the sessions in ../shared/traces/radical-pilot', () => {
  for (const name of (HAVE_SHARED_TRACES ? fs.readdirSync(RP_DIR) : []).filter((f) => /\.(tgz|tar\.bz2)$/.test(f)).sort()) {
    it(name, async () => {
      const store = memoryStore();
      const [run] = await ingestInto(store, [path.join(RP_DIR, name)]);
      expect(storedDigest(store.db, run)).toMatchSnapshot();
    });
  }
});

/**
 * A session folder holding what real sessions may hold and the reader must keep exactly: a
 * pretty-printed description with unsorted, repeated and non-ASCII uids, escapes, both resource
 * schemas and slot layouts, two pilots, keys after the task list, other JSON files; profiles with a
 * BOM, CRLF line ends, other column orders, commas in the message, lines cut short, a last line
 * without its end, multi-byte characters across read chunks, repeats across files and events of
 * one instant in different orders.
 */
function quirkySession(sid: string): FixtureFile[] {
  const T = 1_650_000_000.1234567;
  const t = (dt: number) => (T + dt).toFixed(7);
  const tasks = [
    { uid: 'task.000003', name: 'task.000003,sim.3,stage.0001,Simulation,pipeline.0000,None', state: 'DONE', description: { executable: '/usr/bin/sleep', cpu_processes: 1, cpu_threads: 4, gpu_processes: 1 }, slots: { nodes: [{ name: 'n7', uid: '1' }] } },
    { uid: 'task.000001', name: '', state: 'FAILED', description: { executable: '/bin/sim "quoted"\\path', ranks: 2, cores_per_rank: 3, gpus_per_rank: 0.5 }, slots: { ranks: [{ node_name: 'n\u00e9', node_id: 'x' }] } },
    { uid: 'task.000002', name: null, state: null, description: { name: 'desc-name', cpu_processes: '2', cpu_threads: 2 } },
    { uid: 't\u00e9.0001', state: 'DONE', description: { executable: '/opt/\u00fcber', cpu_processes: 1, cpu_threads: 1, gpu_processes: 0 }, nested: [[1, [2, { a: ['}', ']', '\\"'] }]], 'x\\y'] },
    { uid: 'task.000001', name: 'duplicate uid', state: 'DONE', description: { cpu_processes: 1, cpu_threads: 8, gpu_processes: 0 } },
    { uid: 'task.000000', state: 'DONE', description: {} },
    { uid: 'task.000004', state: 'CANCELED', description: { cpu_processes: 1, cpu_threads: 1, gpu_processes: 0 } },
    { description: { uid: 'task.000005', cpu_processes: 1, cpu_threads: 1, gpu_processes: 0 } },
  ];
  const description = {
    session: { _id: sid, cfg: { x: [1, 2, { y: 'z' }] } },
    pmgr: [{ uid: 'pmgr.0000' }],
    pilot: [
      { uid: 'pilot.0000', resource_details: { rm_info: { node_list: [['n1', '1'], ['n2', '2']], cores_per_node: 42, gpus_per_node: 6 } } },
      { uid: 'pilot.0001', resource_details: { rm_info: { node_list: [['n3', '3']], cores_per_node: 40, gpus_per_node: 6 } } },
    ],
    task: tasks,
    tmgr: [{ uid: 'tmgr.0000', note: 'after the tasks' }],
  };
  // Many lines with multi-byte messages, so that read chunks (64 KiB for folders) split characters.
  const filler: string[] = [];
  for (let i = 0; i < 3000; i++) filler.push(`${t(100 + i / 1000)},heartbeat,agent.0,Thread-1,pilot.0000,,caf\u00e9 \u2603 \u{1F600} ${i}`);
  const agent = [
    PROFILE_HEADER,
    `${t(0)},exec_start,agent_executing.0000,T,task.000003,,msg, with, commas`,
    `${t(0)},advance,agent_executing.0000,T,task.000003,AGENT_EXECUTING,`,
    `${t(0)},exec_start,agent_executing.0000,T,task.000003,,`,
    `${t(5)},exec_start,agent_executing.0000,T,task.000001,,`,
    `${t(3)},exec_stop,agent_executing.0000,T,task.000001,,`, // stops before it starts
    `${t(7)},exec_stop,agent_executing.0000,T,task.000000,,`, // a stop without a start
    `${t(2)},exec_start,agent_executing.0000,T,t\u00e9.0001,,`,
    `${t(9)},exec_stop,agent_executing.0000,T,t\u00e9.0001,,`,
    `${t(4)},exec_start,agent_executing.0000,T,task.000009,,`, // not described: kept, said
    `${t(12)},exec_stop,agent_executing.0000,T,task.000009,,`,
    `${t(1)},advance,agent_scheduling.0000,T,task.000004,AGENT_SCHEDULING`, // no msg field at all
    '',
    `not-a-time,exec_start,agent_executing.0000,T,task.000003,,`,
    `${t(1)},,agent_executing.0000,T,task.000003,,`, // no event name
    `${t(1)},exec_start`, // cut short
    ...filler,
    `${t(20)},exec_stop,agent_executing.0000,T,task.000003,,`,
  ].join('\r\n');
  // Other components repeat events, of one instant in another order; another column order; a BOM.
  const other = [
    '\ufeff#time,uid,event,state,comp,thread,msg',
    '# a comment that is no header',
    `${t(0)},task.000003,advance,AGENT_EXECUTING,c,T,`,
    `${t(0)},task.000003,exec_start,,c,T,`,
    `${t(20)},task.000003,exec_stop,,c,T,`,
    `${t(15)},task.000002,advance,AGENT_STAGING_OUTPUT,c,T,`,
    `${t(16)},task.000002,advance,TMGR_STAGING_OUTPUT,c,T,`,
    `${t(16)},task.000002,advance,TMGR_STAGING_OUTPUT,c,T,`,
    `  ${t(17)} ,task.000005,exec_start,,c,T,`, // Number() trims blanks
    `${t(30)},task.000005,exec_stop,,c,T,`,
    `${t(-50)},,bootstrap,,c,T,`, // no uid: not an event of anything
    `${t(8)},task.000004,advance,CANCELED,c,T,last line without end`,
  ].join('\n');
  return [
    { path: `${sid}.json`, content: JSON.stringify(description, null, 2) },
    { path: 'unrelated.json', content: '[1, 2, {"task": []}]' },
    { path: 'pilot.0000/agent_executing.0000.prof', content: agent },
    { path: 'tmgr.0000.prof', content: other },
    { path: 'pilot.0000/cfg.json', content: '{"pilot": "not a list", "x": 1}' },
    { path: 'empty.prof', content: '' },
  ];
}

describe('stored run of a session with every quirk', () => {
  it('is stored exactly as before', async () => {
    const sid = 'rp.session.quirks';
    const dir = path.join(writeFolder(path.join(work, 'quirks'), quirkySession(sid).map((f) => ({ ...f, path: `${sid}/${f.path}` }))), sid);
    const store = memoryStore();
    const [run] = await ingestInto(store, [dir]);
    expect(run.warnings.map((warning) => warning.replaceAll(work, '<folder>'))).toMatchSnapshot();
    expect(storedDigest(store.db, run, work)).toMatchSnapshot();
  });
});

/**
 * Bytes that are not valid UTF-8, where a decoder of the whole file makes U+FFFD of them: in
 * uids (two spellings that decode alike are one uid), events, states, times and the description.
 */
function invalidBytesSession(sid: string): { path: string; content: Buffer }[] {
  const T = 1_650_000_000.5;
  const line = (...parts: (string | Buffer)[]) => Buffer.concat([...parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p)), Buffer.from('\n')]);
  const bad1 = Buffer.from([0xff]);
  const bad2 = Buffer.from([0xc3]); // a lead byte without its continuation
  const profile = Buffer.concat([
    line('#time,event,comp,thread,uid,state,msg'),
    line(`${T},exec_start,c,t,task.`, bad1, ',,'),
    line(`${T + 5},exec_stop,c,t,task.`, bad2, ',,'), // decodes to the same uid as the line above
    line(`${T + 1},adv`, bad1, 'nce,c,t,task.000001,', bad2, ','),
    line(`${T + 2},exec_start,c,t,task.000001,,`),
    line(`${T + 2},exec_start,c,t,task.000001,,`, bad1),
    line(`${T + 3}`, bad1, ',exec_stop,c,t,task.000001,,'), // not a time
    line(`${T + 9},exec_stop,c,t,task.000001,\ufeff,`),
    Buffer.from(`${T + 10},exec_stop,c,t,task.000002,,\r`), // the last line, without its end
  ]);
  const description = Buffer.concat([
    Buffer.from(`{"session": {"_id": "${sid}"}, "task": [{"uid": "task.000001", "state": "DONE", "name": "na`),
    bad1,
    Buffer.from('me", "description": {"executable": "/bin/'),
    bad2,
    Buffer.from('"}}, {"uid": "task.000002", "description": {}}]}'),
  ]);
  return [
    { path: `${sid}/${sid}.json`, content: description },
    { path: `${sid}/agent.prof`, content: profile },
  ];
}

describe('stored run of a session with bytes that are not UTF-8', () => {
  it('is stored exactly as before', async () => {
    const sid = 'rp.session.bytes';
    const root = path.join(work, 'bytes');
    for (const file of invalidBytesSession(sid)) {
      fs.mkdirSync(path.dirname(path.join(root, file.path)), { recursive: true });
      fs.writeFileSync(path.join(root, file.path), file.content);
    }
    const store = memoryStore();
    const [run] = await ingestInto(store, [path.join(root, sid)]);
    expect(run.warnings.map((warning) => warning.replaceAll(work, '<folder>'))).toMatchSnapshot();
    expect(storedDigest(store.db, run, work)).toMatchSnapshot();
  });
});

describe('the profile reader thread', () => {
  // Large sessions read their profiles in a worker thread (profiles.ts); the CLI is forced to use it
  // here on small ones, and must store what the in-process reader stores.
  // That thread also sorts the events by task (event-groups.ts) while the main thread writes the
  // tasks: a generated session of thousands of tasks, five events each, in uid order, takes that path too.
  const generated = () => {
    const file = path.join(work, 'rp.session.generated.tgz');
    if (!fs.existsSync(file)) writeRadicalPilotSession(generateRun({ tasks: 3000, seed: 7, tasksPerPipeline: 500 }), file, 'rp.session.generated');
    return file;
  };
  const cases = () => [
    ...(HAVE_SHARED_TRACES ? fs.readdirSync(RP_DIR).filter((f) => f.endsWith('.tgz')).slice(0, 2).map((f) => path.join(RP_DIR, f)) : []),
    path.join(writeFolder(path.join(work, 'quirks-thread'), quirkySession('rp.session.quirks').map((f) => ({ ...f, path: `rp.session.quirks/${f.path}` }))), 'rp.session.quirks'),
    generated(),
  ];
  it('stores what the reader in the main thread stores', async () => {
    for (const trace of cases()) {
      const store = memoryStore();
      const [run] = await ingestInto(store, [trace]);
      const { digest } = await ingestedByWorker(trace, `thread-${path.basename(trace)}`);
      expect(digest).toEqual(storedDigest(store.db, run));
    }
  });
});


describe('the main thread stops at the description when the profile thread reads the archive', () => {
  // readMembers: with a worker reading the profiles, the main thread stops decompressing once it
  // has the description. Archives where that matters: the description first, then a few MB of
  // profiles (the raw bytes go on past what the main thread read: the hash must still cover all).
  const sid = 'rp.session.early';
  const tasks = Array.from({ length: 200 }, (_, k) => ({ uid: `task.${String(k).padStart(6, '0')}`, state: 'DONE', description: { executable: '/bin/x', cpu_processes: 1, cpu_threads: 1, gpu_processes: 0 } }));
  /** Profiles of hard-to-compress lines (random times and messages), so that the archive is a few MB. */
  const profile = (seed: number) => {
    let x = seed;
    const random = () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648);
    const lines = [PROFILE_HEADER];
    for (let k = 0; k < 60_000; k++) {
      const task = `task.${String(k % 200).padStart(6, '0')}`;
      lines.push(profLine(1_650_000_000 + k + random(), k % 200 === k ? 'exec_start' : 'heartbeat', task, '', random().toString(36).repeat(3)));
    }
    for (let k = 0; k < 200; k++) lines.push(profLine(1_650_100_000 + k, 'exec_stop', `task.${String(k).padStart(6, '0')}`));
    return lines.join('\n');
  };
  const archive = async (name: string, extra: FixtureFile[] = []) =>
    writeTgz(path.join(work, name), [
      { path: `${sid}/${sid}.json`, content: sessionJson(sid, tasks, { nodes: 2, cores_per_node: 8, gpus_per_node: 0 }) },
      { path: `${sid}/pilot.0000/agent_executing.0000.prof`, content: profile(1) },
      { path: `${sid}/pilot.0000/agent_staging.0000.prof`, content: profile(2) },
      ...extra,
    ]);
  const inThread = async (trace: string) => {
    const store = memoryStore();
    const [run] = await ingestInto(store, [trace]);
    return storedDigest(store.db, run);
  };

  it('stores the same run, its hash that of the whole file', async () => {
    // The ingest hashes a file over 32 MB as it reads it (not first): incompressible bytes after
    // the profiles make it that big, the main thread having read a MB or two when it stops.
    const sandbox = { path: `${sid}/pilot.0000/sandbox.bin`, content: crypto.randomBytes(34 << 20) };
    const trace = await archive('early.tgz', [sandbox]);
    expect(fs.statSync(trace).size).toBeGreaterThan(33 << 20);
    const { digest, run } = await ingestedByWorker(trace, 'early');
    expect(digest).toEqual(await inThread(trace));
    expect(run.tasks).toBe(200);
    expect(run.contentHash).toBe(crypto.createHash('sha256').update(fs.readFileSync(trace)).digest('hex'));
  });

  it('reads the archive again when a JSON file that findSession prefers comes after the description', async () => {
    // A description at the top of the archive, less deep than <sid>/<sid>.json: it is the one used.
    const other = 'rp.session.shallow';
    const trace = await archive('shallow-after.tgz', [{ path: `${other}.json`, content: sessionJson(other, tasks.slice(0, 5), null) }]);
    const { digest, run } = await ingestedByWorker(trace, 'shallow-after');
    expect(run.id).toBe(other);
    expect(digest).toEqual(await inThread(trace));
  });

  it('names the archive cut short after the description, as when one thread reads it all', async () => {
    const whole = fs.readFileSync(await archive('cut.tgz'));
    const trace = path.join(work, 'cut-short.tgz');
    fs.writeFileSync(trace, whole.subarray(0, Math.floor(whole.length * 0.7)));
    const store = memoryStore();
    const expected = await ingestInto(store, [trace]).then(
      () => null,
      (error: Error) => error.message,
    );
    expect(expected).toMatch(/truncated or corrupt/);
    const result = await cli(['ingest', trace, '--db', path.join(work, 'cut-short.db')], { env: { ASYNCSCOPE_PARSE_WORKER: 'always' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(expected);
  });
});
