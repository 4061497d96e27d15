/**
 * Task types a user chooses (--type-from) on hand-made tasks, at ingest and after it (runs edit),
 * and the default grouping of RADICAL-Pilot tasks that carry no EnTK names.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { ingest } from '../../src/importers/ingest.js';
import { manyTypesWarning, parseTypeRule, retypeBy, typeByRule } from '../../src/importers/type-rule.js';
import { cliJson, tempDir } from '../helpers/cli.js';
import { profLine, PROFILE_HEADER, sessionJson, writeTgz } from '../helpers/rp-session.js';
import { memoryStore } from '../helpers/store.js';

const work = tempDir();
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const fields = (over: Partial<Parameters<typeof typeByRule>[1]>) => ({ uid: 'task.0044', name: null, traceType: 'sleep', stage: null, stageName: null, executable: null, ...over });

describe('type rules', () => {
  it('name: the name without its number, else the uid without it', () => {
    expect(typeByRule(parseTypeRule('name'), fields({ name: 'sim.44' }))).toBe('sim');
    expect(typeByRule(parseTypeRule('name'), fields({ name: 'T3.5' }))).toBe('T3');
    expect(typeByRule(parseTypeRule('name'), fields({ uid: 'md_0007' }))).toBe('md');
  });

  it('stage: the stage name, else the stage column; executable: the program without its folder', () => {
    expect(typeByRule(parseTypeRule('stage'), fields({ stage: 'pipeline.0000/stage.0002', stageName: 'Training' }))).toBe('Training');
    expect(typeByRule(parseTypeRule('stage'), fields({ stage: 'iter1' }))).toBe('iter1');
    expect(typeByRule(parseTypeRule('stage'), fields({}))).toBeNull();
    expect(typeByRule(parseTypeRule('executable'), fields({ executable: '/usr/bin/sleep' }))).toBe('sleep');
    expect(typeByRule(parseTypeRule('executable'), fields({}))).toBeNull();
    expect(typeByRule(parseTypeRule('trace'), fields({}))).toBe('sleep');
  });

  it('regex: the first capture group (or the whole match) of the name, else of the uid', () => {
    expect(typeByRule(parseTypeRule('regex:^(sim|train)'), fields({ name: 'train_007' }))).toBe('train');
    expect(typeByRule(parseTypeRule('regex:[a-z]+'), fields({ name: '42-infer-1' }))).toBe('infer');
    expect(typeByRule(parseTypeRule('regex:^task\\.(\\d)'), fields({}))).toBe('0');
    expect(typeByRule(parseTypeRule('regex:^(sim)'), fields({ name: 'agent' }))).toBeNull();
  });

  it('refuses unknown rules and bad patterns with exit 2', () => {
    expect(() => parseTypeRule('size')).toThrow(InputError);
    expect(() => parseTypeRule('size')).toThrow('--type-from: expected one of name, stage, executable, trace, regex:PATTERN, got "size"');
    expect(() => parseTypeRule('regex:(')).toThrow(/not a valid regular expression/);
    expect(() => parseTypeRule('regex:')).toThrow('the pattern is empty');
  });

  it('keeps the trace type where the rule has nothing to go by, and counts those tasks', () => {
    const retype = retypeBy(parseTypeRule('regex:^(sim)'));
    expect(retype.typeOf(fields({ name: 'sim_1' }))).toBe('sim');
    expect(retype.typeOf(fields({ name: 'agent_1' }))).toBe('sleep');
    expect(retype.unmatched()).toBe(1);
    expect(retype.rule).toBe('regex:^(sim)');
    expect(retypeBy(parseTypeRule('trace')).rule).toBeNull();
  });

  it('warns past a few dozen types only', () => {
    expect(manyTypesWarning('r', 36)).toBeNull();
    expect(manyTypesWarning('r', 1179)).toMatch(/run r has 1179 task types: .*runs edit r --type-from/);
  });
});

/** Six tasks of two programs in four resource shapes, one an MPI task of 2 ranks; names only on some. */
async function mixedSession(): Promise<string> {
  const sid = 'rp.session.mixed';
  const T0 = 1_700_000_000;
  const task = (i: number, exe: string, ranks: number, cores: number, gpus: number, name = '') => ({
    uid: `task.00000${i}`,
    name,
    state: 'DONE',
    description: { executable: exe, ranks, cores_per_rank: cores, gpus_per_rank: gpus, name },
  });
  const tasks = [
    task(0, '/opt/md/bin/gmx', 1, 4, 1, 'sim_0'),
    task(1, '/opt/md/bin/gmx', 1, 8, 1, 'sim_1'),
    task(2, '/opt/md/bin/gmx', 2, 16, 2, 'sim_2'),
    task(3, '/usr/bin/python3', 1, 2, 0, 'train_0'),
    task(4, '/usr/bin/python3', 1, 2, 0),
    task(5, '/usr/bin/python3', 1, 3, 0),
  ];
  const prof = [PROFILE_HEADER, ...tasks.flatMap((t, i) => [profLine(T0 + i, 'exec_start', t.uid), profLine(T0 + 10 + i, 'exec_stop', t.uid)])].join('\n');
  return writeTgz(path.join(work, 'mixed.tgz'), [
    { path: `${sid}/${sid}.json`, content: sessionJson(sid, tasks, { nodes: 2, cores_per_node: 16, gpus_per_node: 2 }) },
    { path: `${sid}/pilot.0000/agent_executing.0000.prof`, content: prof },
  ]);
}

describe('--type-from in the store', () => {
  it('groups RADICAL-Pilot tasks without EnTK names by their program by default, and keeps their ranks', async () => {
    const store = memoryStore();
    const [outcome] = await ingest(store, { paths: [await mixedSession()], format: 'auto', replace: false });
    if (outcome.kind !== 'saved') throw new Error('not stored');
    const run = outcome.result.run;
    expect((await store.loadTasks(run)).type).toEqual(['gmx', 'gmx', 'gmx', 'python3', 'python3', 'python3']);
    expect(store.db.prepare('SELECT task_idx, ranks FROM task_details WHERE ranks > 1').all()).toEqual([{ task_idx: 2, ranks: 2 }]);
    expect([...(await store.loadTaskRanks(run))]).toEqual([1, 1, 2, 1, 1, 1]);
    expect(run.typeFrom).toBeNull();
  });

  it('applies a rule at ingest in the same transaction, says which tasks it could not type, and can be undone', async () => {
    const store = memoryStore();
    const [outcome] = await ingest(store, { paths: [await mixedSession()], format: 'auto', replace: false, typeFrom: parseTypeRule('regex:^([a-z]+)_') });
    if (outcome.kind !== 'saved') throw new Error('not stored');
    const run = outcome.result.run;
    expect((await store.loadTasks(run)).type).toEqual(['sim', 'sim', 'sim', 'train', 'python3', 'python3']);
    expect(outcome.warnings).toContain('--type-from regex:^([a-z]+)_: 2 task(s) gave it nothing to go by and kept the type of the trace');
    expect(run.typeFrom).toBe('regex:^([a-z]+)_');
    expect(await store.retypeTasks(run, retypeBy(parseTypeRule('name')))).toBe(3);
    expect((await store.loadTasks(run)).type).toEqual(['sim', 'sim', 'sim', 'train', 'task', 'task']);
    expect((await store.findRunById(run.id))!.typeFrom).toBe('name');
    expect(await store.retypeTasks(run, retypeBy(parseTypeRule('trace')))).toBe(2);
    expect((await store.loadTasks(run)).type).toEqual(['gmx', 'gmx', 'gmx', 'python3', 'python3', 'python3']);
    expect((await store.findRunById(run.id))!.typeFrom).toBeNull();
  });

  it('runs edit --type-from through the CLI, with the count of types and exit 2 for a bad rule', async () => {
    const dbFile = path.join(work, 'edit.db');
    const file = await mixedSession();
    const ingested = await cliJson<{ id: string }[]>(['ingest', file, '--db', dbFile, '--type-from', 'executable']);
    expect(ingested.code).toBe(0);
    const edited = await cliJson<{ types: number }>(['runs', 'edit', 'rp.session.mixed', '--db', dbFile, '--type-from', 'name']);
    expect(edited.code).toBe(0);
    expect(edited.json.types).toBe(3);
    const shown = await cliJson<{ type_from: string; types: { type: string }[] }>(['runs', 'show', 'rp.session.mixed', '--db', dbFile]);
    expect(shown.json.type_from).toBe('name');
    expect(shown.json.types.map((t) => t.type).sort()).toEqual(['sim', 'task', 'train']);
    const bad = await cliJson(['runs', 'edit', 'rp.session.mixed', '--db', dbFile, '--type-from', 'regex:[']).catch((e: Error) => e);
    expect(bad instanceof Error ? bad.message : '').toMatch(/exit 2[\s\S]*not a valid regular expression/);
  });
});

describe('the many-types warning at ingest', () => {
  // 40 tasks of 40 types (sim0 .. sim39), two per pipeline of sim and train names.
  const table = (file: string) => {
    const rows = Array.from({ length: 40 }, (_, i) => `t${i},${i % 2 ? 'train' : 'sim'}_${i},type${i},${i},${i + 1}`);
    fs.writeFileSync(file, ['id,name,type,start,end', ...rows].join('\n') + '\n');
    return file;
  };
  const warningsOf = async (file: string, typeFrom?: string) => {
    const [outcome] = await ingest(memoryStore(), { paths: [file], format: 'auto', replace: false, typeFrom: typeFrom === undefined ? undefined : parseTypeRule(typeFrom) });
    if (outcome.kind !== 'saved') throw new Error(`expected a stored run, got ${outcome.kind}`);
    return outcome.warnings.filter((w) => w.includes('task types'));
  };

  it('counts the types the run was stored with: 40 warn, and none once --type-from groups them into 2', async () => {
    const file = table(path.join(work, 'forty-types.csv'));
    expect(await warningsOf(file)).toEqual([expect.stringMatching(/ has 40 task types: /)]);
    expect(await warningsOf(file, 'regex:^(sim|train)')).toEqual([]);
  });

  it('does not warn at 36 types', async () => {
    const rows = Array.from({ length: 72 }, (_, i) => `t${i},type${i % 36},${i},${i + 1}`);
    const file = path.join(work, 'thirty-six-types.csv');
    fs.writeFileSync(file, ['id,type,start,end', ...rows].join('\n') + '\n');
    expect(await warningsOf(file)).toEqual([]);
  });
});
