/**
 * The RADICAL-Pilot importer on small sessions written by the tests: the newer description schema,
 * repeated events, cut-short runs, sessions without a description, uid-derived types, hostile archives.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ingest } from '../../src/importers/ingest.js';
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { tempDir } from '../helpers/cli.js';
import { bunzip2Program } from '../../src/importers/common/bunzip2.js';
import { BZIP2_FIXTURES, profLine, PROFILE_HEADER, sessionJson, writeFolder, writeTgz, type FixtureFile } from '../helpers/rp-session.js';
import { ingestInto, memoryStore } from '../helpers/store.js';
import { SUMMIT } from '../helpers/traces.js';
import { describeWithShared } from '../helpers/shared-traces.js';

const T0 = 1_700_000_000;
const work = tempDir();
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** Newer RADICAL-Pilot (>= 1.20): ranks x per-rank resources, empty names, fractional GPUs. */
function newerSchemaSession(sid: string): FixtureFile[] {
  const tasks = [
    { uid: 'task.000000', name: '', state: 'DONE', description: { executable: '/bin/sleep', ranks: 2, cores_per_rank: 3, gpus_per_rank: 0.5 } },
    { uid: 'task.000001', name: '', state: 'AGENT_EXECUTING', description: { executable: '/bin/sleep', ranks: 1, cores_per_rank: 8, gpus_per_rank: 1 } },
    { uid: 'task.000002', name: '', state: 'CANCELED', description: { executable: '/bin/sleep', ranks: 1, cores_per_rank: 1, gpus_per_rank: 0 } },
  ];
  const agent = [
    PROFILE_HEADER,
    profLine(T0 + 10, 'schedule_ok', 'task.000000', '', '', 'agent_scheduling.0000'),
    profLine(T0 + 12, 'exec_start', 'task.000000'),
    profLine(T0 + 13, 'exec_start', 'task.000000'), // a relaunch: the first start counts
    profLine(T0 + 20, 'exec_start', 'task.000001'),
    profLine(T0 + 50, 'exec_stop', 'task.000000'),
    profLine(T0 + 52, 'exec_stop', 'task.000000'), // the last stop counts
    profLine(T0 + 55, 'advance', 'task.000000', 'DONE'),
    '1700000060.1234,exec_stop', // a line cut short when the run was killed
  ].join('\n');
  // The same events again in another component's profile: stored once.
  const copy = [PROFILE_HEADER, profLine(T0 + 12, 'exec_start', 'task.000000'), profLine(T0 + 52, 'exec_stop', 'task.000000')].join('\n');
  return [
    { path: `${sid}/${sid}.json`, content: sessionJson(sid, tasks, { nodes: 2, cores_per_node: 56, gpus_per_node: 4 }) },
    { path: `${sid}/pilot.0000/agent_executing.0000.prof`, content: agent },
    { path: `${sid}/pilot.0000/agent_0.prof`, content: copy },
    { path: `${sid}/notes.txt`, content: 'not a profile' },
  ];
}

describeWithShared('RADICAL-Pilot importer on fixtures', () => {
  it('reads the newer schema: ranks x cores_per_rank, fractional GPUs, first start, last stop, deduplicated events', async () => {
    const file = await writeTgz(path.join(work, 'newer.tgz'), newerSchemaSession('rp.session.newer'));
    const store = memoryStore();
    const [run] = await ingestInto(store, [file]);
    expect(run.id).toBe('rp.session.newer');
    expect(run.capacity).toEqual({ nodes: 2, coresPerNode: 56, gpusPerNode: 4, cores: 112, gpus: 8 });
    expect([run.tasks, run.executed, run.incomplete]).toEqual([3, 1, 1]);
    expect(run.makespanS).toBe(40); // 12 -> 52
    const tasks = await store.loadTasks(run);
    expect(tasks.row(0)).toMatchObject({ uid: 'task.000000', cores: 6, gpus: 1, start: 0, end: 40, state: 'DONE', outcome: 'done', type: 'sleep' });
    expect(tasks.row(1)).toMatchObject({ uid: 'task.000001', cores: 8, gpus: 1, start: 8, end: null, state: 'AGENT_EXECUTING', outcome: 'running' });
    expect(tasks.row(2)).toMatchObject({ uid: 'task.000002', cores: 1, gpus: 0, start: null, end: null, state: 'CANCELED', outcome: 'cancelled' });
    expect(run.outcomes).toEqual({ done: 1, cancelled: 1, running: 1 });
    const events = await store.loadEvents(run);
    const task0 = [];
    for (let k = 0; k < events.length; k++) if (events.task[k] === 0) task0.push(`${events.event[k]}@${events.time[k]}`);
    expect(task0).toEqual(['schedule_ok@-2', 'exec_start@0', 'exec_start@1', 'exec_stop@38', 'exec_stop@40', 'advance@43']);
    expect(run.warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/1 unreadable profile line\(s\) skipped, first at .*agent_executing\.0000\.prof:9/),
        '1 task(s) never started',
        '1 task(s) started but never stopped (incomplete)',
      ]),
    );
  });

  it('reads a session folder exactly like its archive', async () => {
    const files = newerSchemaSession('rp.session.folder');
    const dir = writeFolder(path.join(work, 'unpacked'), files);
    const archive = await writeTgz(path.join(work, 'packed.tgz'), files);
    const store = memoryStore();
    const [fromDir] = await ingestInto(store, [path.join(dir, 'rp.session.folder')]);
    const [fromTgz] = await ingestInto(store, [archive]);
    expect(fromDir.id).toBe('rp.session.folder');
    expect(fromTgz.id).toBe('rp.session.folder-2'); // same session id, different content hash
    expect(await store.loadTasks(fromDir)).toEqual(await store.loadTasks(fromTgz));
  });

  it('derives types from uids (t3.0007 -> t3) and falls back to the executable for generic task uids', async () => {
    const sid = 'rp.session.types';
    const tasks = [
      { uid: 't3.0007', state: 'DONE', description: { executable: '/usr/bin/sleep', cpu_processes: 2, cpu_threads: 4, gpu_processes: 1 } },
      { uid: 'sim.0001', state: 'DONE', description: { executable: '/usr/bin/sleep', cpu_processes: 1, cpu_threads: 1, gpu_processes: 0 } },
      { uid: 'task.0001', state: 'DONE', description: { executable: '/opt/md/bin/gmx', cpu_processes: 4, cpu_threads: 1, gpu_processes: 0 } },
    ];
    const prof = [PROFILE_HEADER, profLine(T0, 'exec_start', 't3.0007'), profLine(T0 + 5, 'exec_stop', 't3.0007')].join('\n');
    const file = await writeTgz(path.join(work, 'types.tgz'), [
      { path: `${sid}/${sid}.json`, content: sessionJson(sid, tasks, null) },
      { path: `${sid}/x.prof`, content: prof },
    ]);
    const store = memoryStore();
    const [run] = await ingestInto(store, [file]);
    const t = await store.loadTasks(run);
    expect(Object.fromEntries(t.uid.map((uid, i) => [uid, [t.type[i], t.cores[i], t.gpus[i]]]))).toEqual({
      't3.0007': ['t3', 8, 1],
      'sim.0001': ['sim', 1, 0],
      'task.0001': ['gmx', 4, 0],
    });
    expect(run.capacity.cores).toBeNull();
  });

  it('reads a session without its description from the profiles alone, and says so', async () => {
    const sid = 'rp.session.nojson';
    const prof = [
      PROFILE_HEADER,
      profLine(T0, 'exec_start', 'task.0000'),
      profLine(T0 + 1, 'advance', 'task.0000', 'AGENT_EXECUTING'),
      profLine(T0 + 9, 'exec_stop', 'task.0000'),
      profLine(T0 + 2, 'advance', 'task.0001', 'AGENT_SCHEDULING'),
      profLine(T0 + 3, 'heartbeat', 'pilot.0000'),
    ].join('\n');
    const file = await writeTgz(path.join(work, 'nojson.tgz'), [{ path: `${sid}/agent.prof`, content: prof }]);
    const store = memoryStore();
    const [run] = await ingestInto(store, [file]);
    expect(run.id).toBe(sid);
    expect(run.tasks).toBe(2); // pilot.0000 is not a task
    expect(run.warnings[0]).toMatch(/no session description/);
    const t = await store.loadTasks(run);
    expect(t.row(1)).toMatchObject({ uid: 'task.0001', state: 'AGENT_SCHEDULING', outcome: 'pending', start: null, cores: null });
  });

  it('keeps a task the profiles show running but the description lacks, and says so', async () => {
    const sid = 'rp.session.undescribed';
    const tasks = [{ uid: 'task.000000', state: 'DONE', description: { cpu_processes: 2, cpu_threads: 1, gpu_processes: 0 } }];
    const prof = [
      PROFILE_HEADER,
      profLine(T0, 'exec_start', 'task.000000'),
      profLine(T0 + 10, 'exec_stop', 'task.000000'),
      profLine(T0 + 1, 'exec_start', 'task.000009'),
      profLine(T0 + 50, 'exec_stop', 'task.000009'),
      profLine(T0 + 5, 'heartbeat', 'pilot.0000'),
    ].join('\n');
    const file = await writeTgz(path.join(work, 'undescribed.tgz'), [
      { path: `${sid}/${sid}.json`, content: sessionJson(sid, tasks, { nodes: 1, cores_per_node: 4, gpus_per_node: 0 }) },
      { path: `${sid}/agent.prof`, content: prof },
    ]);
    const store = memoryStore();
    const [run] = await ingestInto(store, [file]);
    expect(run.tasks).toBe(2); // pilot.0000 never executed: not a task
    expect(run.makespanS).toBe(50);
    expect(run.warnings).toContainEqual(expect.stringMatching(/1 task\(s\) executed according to the profiles but are not in the session description \(first: task\.000009\)/));
    const t = await store.loadTasks(run);
    expect(t.row(1)).toMatchObject({ uid: 'task.000009', start: 1, end: 50, cores: null, gpus: null });
  });

  it('stores an event repeated by two profiles once, even when another event shares its instant', async () => {
    const sid = 'rp.session.instants';
    const tasks = [{ uid: 'task.000000', state: 'DONE', description: { cpu_processes: 1, cpu_threads: 1, gpu_processes: 0 } }];
    const sameInstant = [profLine(T0, 'exec_start', 'task.000000'), profLine(T0, 'advance', 'task.000000', 'AGENT_EXECUTING')];
    const file = await writeTgz(path.join(work, 'instants.tgz'), [
      { path: `${sid}/${sid}.json`, content: sessionJson(sid, tasks, null) },
      { path: `${sid}/a.prof`, content: [PROFILE_HEADER, ...sameInstant, profLine(T0 + 4, 'exec_stop', 'task.000000')].join('\n') },
      { path: `${sid}/b.prof`, content: [PROFILE_HEADER, ...sameInstant].join('\n') },
    ]);
    const store = memoryStore();
    const [run] = await ingestInto(store, [file]);
    const events = await store.loadEvents(run);
    const seen = [];
    for (let k = 0; k < events.length; k++) seen.push(`${events.event[k]}:${events.state[k]}@${events.time[k]}`);
    expect(seen).toEqual(['exec_start:null@0', 'advance:AGENT_EXECUTING@0', 'exec_stop:null@4']);
  });

  it('reads .tar.bz2 archives by content, with the bunzip2 program and without it: the same run as the .tgz of the same tar', async () => {
    const runOf = async (file: string) => {
      const store = memoryStore();
      const [run] = await ingestInto(store, [file]);
      return { run, tasks: await store.loadTasks(run), events: await store.loadEvents(run) };
    };
    const fromTgz = await runOf(path.join(BZIP2_FIXTURES, 'session.tgz'));
    expect(fromTgz.run).toMatchObject({ format: 'radical-pilot', tasks: 300 });
    const tbz2 = path.join(BZIP2_FIXTURES, 'session.tar.bz2');
    const withProgram = await runOf(tbz2); // the program when this machine has it, else the JavaScript decoder
    const path0 = process.env.PATH;
    process.env.PATH = ''; // no bunzip2: the JavaScript decoder
    try {
      expect(bunzip2Program()).toBeNull();
      const withJavaScript = await runOf(tbz2);
      for (const other of [withProgram, withJavaScript]) {
        expect(other.run).toMatchObject({ id: fromTgz.run.id, tasks: 300, makespanS: fromTgz.run.makespanS, epoch: fromTgz.run.epoch });
        expect(other.tasks).toEqual(fromTgz.tasks);
        expect(other.events).toEqual(fromTgz.events);
      }
    } finally {
      process.env.PATH = path0;
    }
  });

  it('says a .tar.bz2 cut short is truncated or corrupt, with the program and without it', async () => {
    const truncated = path.join(BZIP2_FIXTURES, 'truncated.tar.bz2');
    const failure = async () => {
      const outcomes = await ingest(memoryStore(), { paths: [truncated], format: 'radical-pilot', replace: false });
      return outcomes[0].kind === 'failed' ? outcomes[0].error.message : 'stored';
    };
    expect(await failure()).toMatch(/truncated\.tar\.bz2: archive is truncated or corrupt/);
    const path0 = process.env.PATH;
    process.env.PATH = '';
    try {
      expect(await failure()).toMatch(/truncated\.tar\.bz2: archive is truncated or corrupt/);
    } finally {
      process.env.PATH = path0;
    }
  });
});

describeWithShared('hostile and broken archives leave the database as it was', () => {
  async function snapshot(store: SqliteStore) {
    return {
      runs: (await store.listRuns()).map((r) => r.id),
      tasks: store.db.prepare('SELECT COUNT(*) FROM tasks').pluck().get(),
      events: store.db.prepare('SELECT COUNT(*) FROM events').pluck().get(),
    };
  }

  it('refuses an archive entry that climbs out with ..', async () => {
    const files = newerSchemaSession('rp.session.evil');
    files.push({ path: 'rp.session.evil/../../etc/evil.prof', content: PROFILE_HEADER });
    const file = await writeTgz(path.join(work, 'evil.tgz'), files);
    const store = memoryStore();
    await ingestInto(store, [SUMMIT.dg2Async.file]);
    const before = await snapshot(store);
    const outcomes = await ingest(store, { paths: [file], format: 'auto', replace: false });
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0].kind).toBe('failed');
    const message = outcomes[0].kind === 'failed' ? outcomes[0].error.message : '';
    expect(message).toContain('evil.tgz');
    expect(message).toContain('archive entry "rp.session.evil/../../etc/evil.prof" points outside the session folder');
    expect(await snapshot(store)).toEqual(before);
    expect(fs.existsSync(path.join(work, '..', 'etc', 'evil.prof'))).toBe(false);
  });

  it('refuses an archive entry with an absolute path', async () => {
    const file = await writeTgz(path.join(work, 'absolute.tgz'), [{ path: '/tmp/absolute.prof', content: PROFILE_HEADER }]);
    const outcomes = await ingest(memoryStore(), { paths: [file], format: 'auto', replace: false });
    expect(outcomes[0].kind === 'failed' && outcomes[0].error.message).toMatch(/archive entry "\/tmp\/absolute.prof" points outside/);
  });

  it('reports a truncated archive and stores nothing of it', async () => {
    const whole = fs.readFileSync(SUMMIT.dg2Sync.file);
    const cut = path.join(work, 'truncated.tgz');
    fs.writeFileSync(cut, whole.subarray(0, Math.floor(whole.length / 2)));
    const store = memoryStore();
    await ingestInto(store, [SUMMIT.dg2Async.file]);
    const before = await snapshot(store);
    const outcomes = await ingest(store, { paths: [cut], format: 'auto', replace: false });
    expect(outcomes[0].kind).toBe('failed');
    expect(outcomes[0].kind === 'failed' && outcomes[0].error.message).toMatch(/truncated\.tgz: archive is truncated or corrupt/);
    expect(await snapshot(store)).toEqual(before);
  });

  it('reports an archive that holds no session', async () => {
    const file = await writeTgz(path.join(work, 'empty-session.tgz'), [{ path: 'x/readme.txt', content: 'hello' }]);
    const outcomes = await ingest(memoryStore(), { paths: [file], format: 'auto', replace: false });
    expect(outcomes[0].kind === 'failed' && outcomes[0].error.message).toMatch(/no RADICAL-Pilot session here/);
  });

  it('names the field of a session description that is wrong', async () => {
    const sid = 'rp.session.badjson';
    const tasks = [{ uid: 'task.0000', description: { cpu_processes: 'many' } }];
    const file = await writeTgz(path.join(work, 'badjson.tgz'), [
      { path: `${sid}/${sid}.json`, content: sessionJson(sid, tasks, null) },
      { path: `${sid}/a.prof`, content: PROFILE_HEADER },
    ]);
    const outcomes = await ingest(memoryStore(), { paths: [file], format: 'auto', replace: false });
    expect(outcomes[0].kind === 'failed' && outcomes[0].error.message).toBe(
      `${file}: ${sid}/${sid}.json: task[0].description.cpu_processes: expected a non-negative number, got "many"`,
    );
  });
});
