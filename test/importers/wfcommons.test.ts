/**
 * WfCommons WfFormat instances: the three shipped real instances (Pegasus fork-join, Nextflow
 * bacass, Pegasus SRA search), the 1.4 layout (one of them converted at test time), a scheduled
 * 1.5 instance, and bad files whose errors must name the task.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { ingest } from '../../src/importers/ingest.js';
import { parseInstanceDate } from '../../src/importers/wfcommons/dates.js';
import type { StoredRun } from '../../src/run/stored-run.js';
import { typeFromId, typeFromName } from '../../src/run/task-type.js';
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { ROOT, tempDir } from '../helpers/cli.js';
import { ingestInto, memoryStore } from '../helpers/store.js';
import { criticalPath, WFCOMMONS } from '../helpers/wfcommons.js';
import { toWfFormat14 } from '../helpers/wfformat-1.4.js';
import { describeWithShared } from '../helpers/shared-traces.js';

const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'wfcommons');
const work = tempDir();
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

async function ingestOne(file: string): Promise<{ store: SqliteStore; run: StoredRun }> {
  const store = memoryStore();
  const [run] = await ingestInto(store, [file]);
  return { store, run };
}

/** Edges as "parent -> child" uids. */
async function namedEdges(store: SqliteStore, run: StoredRun): Promise<Set<string>> {
  const tasks = await store.loadTasks(run);
  const edges = await store.loadEdges(run);
  const named = new Set<string>();
  for (let e = 0; e < edges.length; e++) named.add(`${tasks.uid[edges.parent[e]]} -> ${tasks.uid[edges.child[e]]}`);
  return named;
}

async function runtimeOf(store: SqliteStore, run: StoredRun): Promise<Map<string, number>> {
  const tasks = await store.loadTasks(run);
  return new Map(tasks.uid.map((uid, i) => [uid, tasks.runtime[i]]));
}

async function typeCounts(store: SqliteStore, run: StoredRun): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const type of (await store.loadTasks(run)).type) counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}

async function stored(store: SqliteStore, run: StoredRun): Promise<{ length: number; path: string[] }> {
  const tasks = await store.loadTasks(run);
  const { length, path: indexes } = criticalPath(tasks.runtime, await store.loadEdges(run));
  return { length, path: indexes.map((i) => tasks.uid[i]) };
}

describeWithShared('WfCommons 1.5: the shipped real instances', () => {
  it('fork-join (Pegasus): 10 tasks, 16 edges, runtimes, one type, 64 cores, unscheduled', async () => {
    const { store, run } = await ingestOne(WFCOMMONS.forkjoin.file);
    expect(run).toMatchObject({ format: 'wfcommons', tasks: 10, executed: 0, scheduled: false, makespanS: null });
    expect(run.capacity).toEqual({ nodes: 1, coresPerNode: 64, gpusPerNode: null, cores: 64, gpus: null });
    expect(run.epoch).toBe(Date.UTC(2023, 4, 4, 10, 46, 27) / 1000); // executedAt "05-04-23T10:46:27Z" is 4 May 2023
    expect(run.workflow).toBe('forkjoin-10-5000-0.6-100000000-cascadelake-1-0-1683197671.json');

    const tasks = await store.loadTasks(run);
    expect(tasks.start.every(Number.isNaN)).toBe(true);
    expect(tasks.end.every(Number.isNaN)).toBe(true);
    expect(tasks.cores.every((c) => c === 1)).toBe(true);
    expect(await typeCounts(store, run)).toEqual({ cpuhog_forkjoin: 10 });
    expect(tasks.node.every((node) => node === 'ubuntu')).toBe(true);

    const runtimes = await runtimeOf(store, run);
    expect(runtimes.get('cpuhog_forkjoin_00000001')).toBe(100.187);
    expect(runtimes.get('cpuhog_forkjoin_00000002')).toBe(107.353);
    expect(runtimes.get('cpuhog_forkjoin_00000010')).toBe(99.82);

    const edges = await namedEdges(store, run);
    expect(edges.size).toBe(16);
    for (let k = 2; k <= 9; k++) {
      expect(edges).toContain(`cpuhog_forkjoin_00000001 -> cpuhog_forkjoin_0000000${k}`);
      expect(edges).toContain(`cpuhog_forkjoin_0000000${k} -> cpuhog_forkjoin_00000010`);
    }
    // The fork-join by hand: 1 (100.187 s), then the longest of 2..9 (task 2, 107.353 s), then 10 (99.82 s).
    const cp = await stored(store, run);
    expect(cp.length).toBeCloseTo(100.187 + 107.353 + 99.82, 9);
    expect(cp.path).toEqual(['cpuhog_forkjoin_00000001', 'cpuhog_forkjoin_00000002', 'cpuhog_forkjoin_00000010']);
    expect(run.warnings.join('\n')).toMatch(/stored unscheduled: .*makespan of 437 s/);
    expect(run.warnings.join('\n')).toMatch(/all 10 tasks state no core count: taken as 1 core each/);
  });

  it('bacass (Nextflow): 11 tasks, 14 edges, process names as types, 1 core', async () => {
    const { store, run } = await ingestOne(WFCOMMONS.bacass.file);
    expect(run).toMatchObject({ tasks: 11, scheduled: false, workflow: 'bacass' });
    expect(run.capacity.cores).toBe(1);
    expect(run.epoch).toBe(Date.UTC(2023, 2, 29, 20, 2, 36) / 1000); // 2023-03-29T10:02:36-10:00
    expect(await typeCounts(store, run)).toEqual({
      'NFCORE_BACASS.BACASS.FASTQC': 2,
      'NFCORE_BACASS.BACASS.SKEWER': 2,
      'NFCORE_BACASS.BACASS.UNICYCLER': 2,
      'NFCORE_BACASS.BACASS.PROKKA': 2,
      'NFCORE_BACASS.BACASS.QUAST': 1,
      'NFCORE_BACASS.BACASS.GET_SOFTWARE_VERSIONS': 1,
      'NFCORE_BACASS.BACASS.MULTIQC': 1,
    });
    const runtimes = await runtimeOf(store, run);
    expect(runtimes.get('NFCORE_BACASS.BACASS.UNICYCLER_6')).toBe(1385);
    expect(runtimes.get('NFCORE_BACASS.BACASS.GET_SOFTWARE_VERSIONS_10')).toBe(0);
    const edges = await namedEdges(store, run);
    expect(edges.size).toBe(14);
    expect(edges).toContain('NFCORE_BACASS.BACASS.SKEWER_3 -> NFCORE_BACASS.BACASS.UNICYCLER_6');
    expect(edges).toContain('NFCORE_BACASS.BACASS.QUAST_9 -> NFCORE_BACASS.BACASS.GET_SOFTWARE_VERSIONS_10');
    expect(edges).toContain('NFCORE_BACASS.BACASS.FASTQC_4 -> NFCORE_BACASS.BACASS.MULTIQC_11');
    // SKEWER_3 (192 s) -> UNICYCLER_6 (1385 s) -> PROKKA_8 (573 s) beats the other branch to MULTIQC (1730.583 s).
    const cp = await stored(store, run);
    expect(cp.length).toBeCloseTo(2150, 9);
    expect(cp.path).toEqual(['NFCORE_BACASS.BACASS.SKEWER_3', 'NFCORE_BACASS.BACASS.UNICYCLER_6', 'NFCORE_BACASS.BACASS.PROKKA_8']);
  });

  it('srasearch (Pegasus): 22 tasks, 30 edges, four types, 48 cores', async () => {
    const { store, run } = await ingestOne(WFCOMMONS.srasearch.file);
    expect(run).toMatchObject({ tasks: 22, scheduled: false, workflow: 'workflow-test' });
    expect(run.capacity).toMatchObject({ nodes: 1, cores: 48 });
    expect(run.epoch).toBe(Date.UTC(2020, 11, 19, 21, 31, 53) / 1000); // "12-19-20T21:31:53Z"
    expect(await typeCounts(store, run)).toEqual({ 'bowtie2-build': 1, 'fasterq-dump': 10, bowtie2: 10, merge: 1 });
    const runtimes = await runtimeOf(store, run);
    expect(runtimes.get('fasterq-dump_ID0000020')).toBe(921.24);
    expect(runtimes.get('merge_ID0000022')).toBe(0.115);
    const edges = await namedEdges(store, run);
    expect(edges.size).toBe(30);
    expect(edges).toContain('bowtie2-build_ID0000001 -> bowtie2_ID0000021');
    expect(edges).toContain('fasterq-dump_ID0000020 -> bowtie2_ID0000021');
    expect(edges).toContain('bowtie2_ID0000021 -> merge_ID0000022');
    const cp = await stored(store, run);
    expect(cp.length).toBeCloseTo(921.24 + 84.503 + 0.115, 9);
    expect(cp.path).toEqual(['fasterq-dump_ID0000020', 'bowtie2_ID0000021', 'merge_ID0000022']);
  });

  it('all three at once through folder expansion, skipping README and LICENSE', async () => {
    const folder = path.join(work, 'instances');
    fs.mkdirSync(folder);
    for (const instance of Object.values(WFCOMMONS)) fs.symlinkSync(instance.file, path.join(folder, path.basename(instance.file)));
    for (const name of ['README.md', 'LICENSE']) fs.copyFileSync(path.join(path.dirname(WFCOMMONS.bacass.file), name), path.join(folder, name));
    const store = memoryStore();
    const outcomes = await ingest(store, { paths: [folder], format: 'auto', replace: false });
    expect(outcomes.filter((o) => o.kind === 'saved').length).toBe(3);
    expect((await store.listRuns()).map((r) => r.id).sort()).toEqual([WFCOMMONS.bacass.id, WFCOMMONS.forkjoin.id, WFCOMMONS.srasearch.id]);
  });
});

describeWithShared('WfCommons 1.4 (srasearch converted to the flat layout)', () => {
  it('reads the same tasks, DAG (parents by name) and runtimes as the 1.5 original', async () => {
    const converted = path.join(work, 'srasearch-1.4.json');
    fs.writeFileSync(converted, JSON.stringify(toWfFormat14(JSON.parse(fs.readFileSync(WFCOMMONS.srasearch.file, 'utf8')))));
    const { store, run } = await ingestOne(converted);
    const original = await ingestOne(WFCOMMONS.srasearch.file);
    expect(run).toMatchObject({ format: 'wfcommons', tasks: 22, scheduled: false });
    expect(run.capacity).toMatchObject({ nodes: 1, cores: 48 }); // cpu.count in 1.4
    expect(run.epoch).toBe(original.run.epoch);
    expect(await typeCounts(store, run)).toEqual(await typeCounts(original.store, original.run)); // from `category`
    expect([...(await namedEdges(store, run))].sort()).toEqual([...(await namedEdges(original.store, original.run))].sort());
    expect(await runtimeOf(store, run)).toEqual(await runtimeOf(original.store, original.run));
    const tasks = await store.loadTasks(run);
    expect(tasks.cores.every((c) => c === 1)).toBe(true); // stated as `cores`, so no warning
    expect(run.warnings.join('\n')).not.toMatch(/core count/);
    expect(tasks.node.every((node) => node === 'worker-4')).toBe(true); // `machine`
    expect((await stored(store, run)).length).toBeCloseTo(1005.858, 9);
  });

  it('accepts references by id, one-sided dependencies and 1.4 cores', async () => {
    const file = write('flat.json', {
      name: 'flat',
      schemaVersion: '1.4',
      workflow: {
        makespanInSeconds: 10,
        executedAt: '20210217T020438+0000',
        tasks: [
          { name: 'split_ID01', id: 'ID01', runtimeInSeconds: 1, cores: 2, parents: [], children: ['ID02'] },
          { name: 'work_ID02', id: 'ID02', runtimeInSeconds: 5, cores: 8, parents: [] },
          { name: 'join_ID03', id: 'ID03', runtimeInSeconds: 2, parents: ['work_ID02', 'split_ID01'] },
        ],
      },
    });
    const { store, run } = await ingestOne(file);
    expect([...(await namedEdges(store, run))].sort()).toEqual(['split_ID01 -> join_ID03', 'split_ID01 -> work_ID02', 'work_ID02 -> join_ID03']);
    expect((await store.loadTasks(run)).cores).toEqual([2, 8, 1]);
    expect((await store.loadTasks(run)).type).toEqual(['split', 'work', 'join']);
    expect(run.epoch).toBe(Date.UTC(2021, 1, 17, 2, 4, 38) / 1000);
    expect(run.warnings.join('\n')).toMatch(/3 dependencies are listed by only one of their two tasks/);
    expect(run.warnings.join('\n')).toMatch(/1 of 3 tasks state no core count/);
  });
});

describe('WfCommons 1.5 with start times', () => {
  it('stores a scheduled run with starts, ends, cores and the machines as capacity', async () => {
    const { store, run } = await ingestOne(path.join(FIXTURES, 'scheduled-1.5.json'));
    expect(run).toMatchObject({ scheduled: true, tasks: 4, executed: 4, makespanS: 45 });
    expect(run.epoch).toBe(Date.UTC(2024, 2, 1, 8, 0, 0) / 1000);
    expect(run.capacity).toEqual({ nodes: 2, coresPerNode: 8, gpusPerNode: null, cores: 16, gpus: null });
    const tasks = await store.loadTasks(run);
    expect(tasks.start).toEqual([0, 10, 10, 40]);
    expect(tasks.end).toEqual([10, 30, 40, 45]);
    expect(tasks.cores).toEqual([2, 4, 4, 1]);
    expect(tasks.type).toEqual(['prep', 'sim', 'sim', 'merge']);
    expect(tasks.node).toEqual(['n1', 'n1', 'n2', 'n2']);
    expect(tasks.runtime.every(Number.isNaN)).toBe(true); // placed in time: end - start is the runtime
    expect(run.warnings).toEqual([]);
  });

  it('stays unscheduled, and says so, when only some tasks state their start', async () => {
    const instance = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'scheduled-1.5.json'), 'utf8'));
    delete instance.workflow.execution.tasks[3].executedAt;
    const { store, run } = await ingestOne(write('partial.json', instance));
    expect(run.scheduled).toBe(false);
    expect((await store.loadTasks(run)).start.every(Number.isNaN)).toBe(true);
    expect(run.warnings.join('\n')).toMatch(/only 3 of 4 tasks state their start \(executedAt\), stored unscheduled/);
  });
});

/** A minimal valid 1.5 instance: a -> b -> c, to be broken by each test. */
function chain(): { workflow: { specification: { tasks: Record<string, unknown>[] }; execution: { tasks: Record<string, unknown>[]; [key: string]: unknown } }; [key: string]: unknown } {
  return {
    name: 'chain',
    schemaVersion: '1.5',
    workflow: {
      specification: {
        tasks: [
          { name: 'a', id: 'a', parents: [], children: ['b'] },
          { name: 'b', id: 'b', parents: ['a'], children: ['c'] },
          { name: 'c', id: 'c', parents: ['b'], children: [] },
        ],
      },
      execution: {
        makespanInSeconds: 6,
        executedAt: '2024-01-01T00:00:00Z',
        tasks: [
          { id: 'a', runtimeInSeconds: 1 },
          { id: 'b', runtimeInSeconds: 2 },
          { id: 'c', runtimeInSeconds: 3 },
        ],
      },
    },
  };
}

let written = 0;
function write(name: string, content: unknown): string {
  const file = path.join(work, `${written++}-${name}`);
  fs.writeFileSync(file, typeof content === 'string' || Buffer.isBuffer(content) ? content : JSON.stringify(content, null, 2));
  return file;
}

async function failure(content: unknown): Promise<string> {
  const store = memoryStore();
  const outcomes = await ingest(store, { paths: [write('bad.json', content)], format: 'auto', replace: false });
  expect(await store.listRuns()).toEqual([]); // nothing of a bad file is stored
  const outcome = outcomes[0];
  if (outcome?.kind !== 'failed') throw new Error(`expected a failure, got ${outcome?.kind}`);
  return outcome.error.message;
}

describe('WfCommons: bad instances are refused with the task named', () => {
  it('accepts the unbroken chain (the cases below each break one thing)', async () => {
    const { store, run } = await ingestOne(write('chain.json', chain()));
    expect(await stored(store, run)).toEqual({ length: 6, path: ['a', 'b', 'c'] });
  });

  it('a cycle', async () => {
    const instance = chain();
    instance.workflow.specification.tasks[0].parents = ['c'];
    expect(await failure(instance)).toMatch(/: cycle: a -> b -> c -> a$/);
  });

  it('a task that is its own parent', async () => {
    const instance = chain();
    instance.workflow.specification.tasks[1].parents = ['a', 'b'];
    expect(await failure(instance)).toMatch(/: cycle: b -> b$/);
  });

  it('an unknown parent, and an unknown child', async () => {
    const instance = chain();
    instance.workflow.specification.tasks[2].parents = ['b', 'zz'];
    expect(await failure(instance)).toMatch(/task "c": unknown parent "zz"$/);
    const other = chain();
    other.workflow.specification.tasks[0].children = ['b', 'nope'];
    expect(await failure(other)).toMatch(/task "a": unknown child "nope"$/);
  });

  it('schema violations: wrong types, missing fields, duplicates, strays', async () => {
    const cases: [(i: ReturnType<typeof chain>) => void, RegExp][] = [
      [(i) => (i.workflow.execution.tasks[1].runtimeInSeconds = '12s'), /task "b" \(workflow\.execution\.tasks\[1\]\): "runtimeInSeconds" is "12s", not a number/],
      [(i) => delete i.workflow.execution.tasks[2].runtimeInSeconds, /task "c" \(workflow\.execution\.tasks\[2\]\): "runtimeInSeconds" is missing/],
      [(i) => (i.workflow.execution.tasks[0].runtimeInSeconds = -1), /task "a" .*"runtimeInSeconds" is -1, less than 0/],
      [(i) => (i.workflow.execution.tasks[0].coreCount = 'four'), /task "a" .*"coreCount" is "four", not a number/],
      [(i) => (i.workflow.specification.tasks[1].parents = 'a'), /task "b" \(workflow\.specification\.tasks\[1\]\): "parents" is "a", not a list/],
      [(i) => (i.workflow.specification.tasks[1].children = [7]), /task "b" .*"children"\[0\] is 7, not a string/],
      [(i) => delete i.workflow.specification.tasks[2].id, /workflow\.specification\.tasks\[2\]: "id" is missing or empty/],
      [(i) => delete i.workflow.specification.tasks[2].name, /task "c" .*"name" is missing or empty/],
      [(i) => (i.workflow.specification.tasks[2].id = 'a'), /task "a" \(workflow\.specification\.tasks\[2\]\): duplicate task id \(also workflow\.specification\.tasks\[0\]\)/],
      [(i) => (i.workflow.execution.tasks[2].id = 'b'), /task "b" \(workflow\.execution\.tasks\[2\]\): duplicate task id/],
      [(i) => i.workflow.execution.tasks.push({ id: 'ghost', runtimeInSeconds: 1 }), /task "ghost" \(workflow\.execution\.tasks\[3\]\): not in workflow\.specification\.tasks/],
      [(i) => (i.workflow.execution.tasks[0].executedAt = 'yesterday'), /task "a" .*"executedAt" is "yesterday", not a date/],
      [(i) => (i.workflow.specification.tasks = []), /workflow\.specification: "tasks" is empty/],
      [(i) => (i.workflow.specification.tasks[1] = 'b' as never), /workflow\.specification\.tasks\[1\] is "b", not a task object/],
    ];
    for (const [breakIt, message] of cases) {
      const instance = chain();
      breakIt(instance);
      expect(await failure(instance)).toMatch(message);
    }
  });

  it('old schemas, broken JSON, and JSON that is no instance', async () => {
    expect(await failure({ name: 'old', schemaVersion: '1.3', workflow: { makespan: 1, jobs: [] } })).toMatch(
      /WfFormat 1\.3 is not read \(only 1\.4 to 1\.6\): migrate it with tools\/wfcommons-migrate-instance\.py/,
    );
    const text = JSON.stringify(chain(), null, 2);
    const cut = text.slice(0, text.indexOf('"execution"') + 20);
    expect(await failure(cut)).toMatch(/bad\.json:\d+: not valid JSON/);
    const broken = text.replace('"runtimeInSeconds": 2', '"runtimeInSeconds" 2');
    const brokenLine = broken.slice(0, broken.indexOf('"runtimeInSeconds" 2')).split('\n').length;
    expect(await failure(broken)).toMatch(new RegExp(`bad\\.json:${brokenLine}: not valid JSON \\(.+\\)$`));
    expect(await failure({ workflow: { machines: [] }, schemaVersion: '1.5' })).toMatch(/workflow: has neither "specification" \(WfFormat 1\.5\) nor "tasks" \(WfFormat 1\.4\)/);
    expect(await failure({ hello: 'world', answer: 42 })).toMatch(/not a recognised trace/);
  });
});

describe('WfCommons detection', () => {
  it('recognises a large instance from its first 64 KiB, pretty-printed or on one line, gzip-compressed too', async () => {
    const n = 3000;
    const instance = chain();
    instance.workflow.specification.tasks = Array.from({ length: n }, (_, i) => ({
      name: `step_${String(i).padStart(8, '0')}`,
      id: `step_${String(i).padStart(8, '0')}`,
      parents: i === 0 ? [] : [`step_${String(i - 1).padStart(8, '0')}`],
      children: [],
      inputFiles: [`input_${i}.dat`],
      outputFiles: [`output_${i}.dat`],
    }));
    instance.workflow.execution.tasks = Array.from({ length: n }, (_, i) => ({ id: `step_${String(i).padStart(8, '0')}`, runtimeInSeconds: 0.5 }));
    const pretty = JSON.stringify(instance, null, 4);
    expect(pretty.length).toBeGreaterThan(200_000);
    for (const [name, content] of [
      ['big-pretty.json', pretty],
      ['big-line.json', JSON.stringify(instance)],
      ['big-pretty.json.gz', zlib.gzipSync(pretty)],
    ] as const) {
      const { store, run } = await ingestOne(write(name, content));
      expect(run.format).toBe('wfcommons');
      expect(run.tasks).toBe(n);
      expect((await store.loadEdges(run)).length).toBe(n - 1);
      expect((await stored(store, run)).length).toBeCloseTo(n * 0.5, 6);
    }
  });
});

describe('task types from WfCommons names', () => {
  it('strips the task number from the names of the real instances, and only that', () => {
    expect(typeFromName('cpuhog_forkjoin_00000001', 'cpuhog_forkjoin_00000001')).toBe('cpuhog_forkjoin');
    expect(typeFromName('bowtie2-build_ID0000001', 'bowtie2-build_ID0000001')).toBe('bowtie2-build');
    expect(typeFromName('fasterq-dump_ID0000002', 'fasterq-dump_ID0000002')).toBe('fasterq-dump');
    expect(typeFromName('bowtie2_ID0000003', 'bowtie2_ID0000003')).toBe('bowtie2');
    expect(typeFromName('NFCORE_BACASS.BACASS.FASTQC', 'NFCORE_BACASS.BACASS.FASTQC_2')).toBe('NFCORE_BACASS.BACASS.FASTQC');
    expect(typeFromName('split_fasta_00000001', '00000001')).toBe('split_fasta'); // WfCommons generators: the id ends the name
    expect(typeFromName('mProject_ID0000012', 'ID0000012')).toBe('mProject'); // the example
    expect(typeFromName('bowtie2', 'task-7')).toBe('bowtie2'); // a program's own digits stay
    expect(typeFromName('fastqc_ID0000003', 'x')).toBe('fastqc');
    expect(typeFromId('mProject_ID0000012')).toBe('mProject');
    expect(typeFromId('00000042')).toBe('task');
  });

  it('reads the date formats of real instances', () => {
    expect(parseInstanceDate('05-04-23T10:46:27Z')).toBe(Date.UTC(2023, 4, 4, 10, 46, 27) / 1000);
    expect(parseInstanceDate('12-19-20T21:31:53Z')).toBe(Date.UTC(2020, 11, 19, 21, 31, 53) / 1000);
    expect(parseInstanceDate('2023-03-29T10:02:36-10:00')).toBe(Date.UTC(2023, 2, 29, 20, 2, 36) / 1000);
    expect(parseInstanceDate('20210217T020438+0000')).toBe(Date.UTC(2021, 1, 17, 2, 4, 38) / 1000);
    expect(parseInstanceDate(1700000000)).toBe(1700000000);
    expect(parseInstanceDate('13-45-20T00:00:00Z')).toBeNaN();
    expect(parseInstanceDate('soon')).toBeNaN();
  });
});
