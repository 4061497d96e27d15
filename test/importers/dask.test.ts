/**
 * The Dask importer: on the real task streams of traces/dask (made by Dask distributed 2022.12
 * here: figures in their expected.json), and on hand-written edge cases.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { detectDask, readDask } from '../../src/importers/dask/index.js';
import { keySplit } from '../../src/importers/dask/key-split.js';
import { criticalPath } from '../../src/model/critical-path.js';
import { buildDag } from '../../src/model/dag.js';
import { countTasks } from '../../src/run/task-counts.js';
import { ingest } from '../../src/importers/ingest.js';
import { ROOT, tempDir } from '../helpers/cli.js';
import { memoryStore } from '../helpers/store.js';

const DASK = path.join(ROOT, 'traces', 'dask');
const expected = JSON.parse(fs.readFileSync(path.join(DASK, 'expected.json'), 'utf8')) as Record<string, { records: number; status: Record<string, number>; startstops_per_action: Record<string, number>; makespan_s: number; critical_path: { length_s: number; keys: string[] }; total_threads: number; workers: number; graph: { keys: number; edges: number } }>;

const input = (file: string) => ({ path: file, display: path.basename(file), kind: 'file' as const, explicit: true });

describe('Dask key_split', () => {
  it('gives the groups Dask itself shows', () => {
    expect(keySplit('x')).toBe('x');
    expect(keySplit('x-1-2-3')).toBe('x');
    expect(keySplit("('x-2', 1)")).toBe('x');
    expect(keySplit("('array', 0)")).toBe('array');
    expect(keySplit("('random_sample-ad6490573035b0021ce73f6efef48dcd', 0, 0)")).toBe('random_sample');
    expect(keySplit("('mean_agg-aggregate-524ca70195acbecc02aa65923abcbc2d',)")).toBe('mean_agg-aggregate');
    expect(keySplit('hello-world-1')).toBe('hello-world');
    expect(keySplit('ae05086432ca935f6eba409a8ecd4896')).toBe('data');
    expect(keySplit('x-abcdefab')).toBe('x');
    expect(keySplit('<module.submodule.myclass object at 0xdaf372')).toBe('myclass');
    expect(keySplit('_(x)')).toBe('x');
    expect(keySplit(['x-2', 1])).toBe('x');
    expect(keySplit('finalize-0fc1c4b17e9a1d0bb9f1d3f73b0c6a85')).toBe('finalize');
    expect(keySplit('-x')).toBe('Other');
  });
});

describe('Dask importer on the real task streams of traces/dask', () => {
  for (const sample of ['paper-example', 'spill']) {
    for (const file of ['task-stream.json', 'task-stream.jsonl']) {
      it(`${sample}/${file}: the records, statuses, phases, makespan, capacity, graph and critical path of expected.json`, async () => {
        const figures = expected[sample];
        const run = await readDask(input(path.join(DASK, sample, file)), {});
        // graph.json holds one key the stream lacks (after_fail, below the failed task): a skipped task.
        expect(run.tasks.length).toBe(figures.records + 1);
        expect(figures.graph.keys).toBe(figures.records + 1);
        const counts = countTasks(run.tasks);
        expect(counts.executed).toBe(figures.records);
        expect(counts.makespanS).toBeCloseTo(figures.makespan_s, 6);
        expect(run.tasks.outcome.filter((o) => o === 'done')).toHaveLength(figures.status.OK);
        expect(run.tasks.outcome.filter((o) => o === 'failed')).toHaveLength(figures.status.error);
        expect(run.tasks.row(run.tasks.uid.indexOf('after_fail'))).toMatchObject({ start: null, end: null, state: null });
        expect(run.tasks.outcome[run.tasks.uid.indexOf('after_fail')]).toBe('skipped');
        expect(run.edges.length).toBe(figures.graph.edges);

        // Each action of each record is a phase: a _start and an _end event.
        const perPhase: Record<string, number> = {};
        for (let k = 0; k < run.events.length; k++) {
          const name = run.events.event[k];
          if (name.endsWith('_start')) perPhase[name.slice(0, -6).replace('_', '-')] = (perPhase[name.slice(0, -6).replace('_', '-')] ?? 0) + 1;
        }
        expect(perPhase).toEqual(figures.startstops_per_action);

        // Capacity: scheduler-info.json beside the stream.
        expect(run.capacity).toMatchObject({ nodes: figures.workers, cores: figures.total_threads, coresPerNode: 2 });

        // Critical path through the graph, each task weighted by its compute time.
        const dag = buildDag(run.tasks.length, run.edges.parent, run.edges.child);
        const weight = run.tasks.start.map((start, i) => (Number.isNaN(start) ? 0 : run.tasks.end[i] - start));
        const path_ = criticalPath(dag, weight);
        expect(path_.lengthS).toBeCloseTo(figures.critical_path.length_s, 6);
        expect(path_.path.map((i) => run.tasks.uid[i])).toEqual(figures.critical_path.keys);

        expect(new Set(run.tasks.type)).toEqual(new Set(['array', 'random_sample', 'mean_chunk', 'mean_combine-partial', 'mean_agg-aggregate', 'finalize', 'combine', 'A', 'B1', 'B2', 'B3', 'C1', 'C2', 'process', 'merge', 'report', 'total', 'fail', 'after_fail']));
      });
    }
  }

  it('the JSON list and the JSON Lines of one stream give the same run', async () => {
    const list = await readDask(input(path.join(DASK, 'spill', 'task-stream.json')), {});
    const lines = await readDask(input(path.join(DASK, 'spill', 'task-stream.jsonl')), {});
    expect(lines.tasks).toEqual(list.tasks);
    expect(lines.events).toEqual(list.events);
  });
});

describe('Dask task streams by hand', () => {
  const dir = tempDir('asyncscope-dask-');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  let n = 0;
  const write = (text: string, sidecars: Record<string, string> = {}) => {
    const folder = path.join(dir, `case-${++n}`);
    fs.mkdirSync(folder);
    for (const [name, content] of Object.entries(sidecars)) fs.writeFileSync(path.join(folder, name), content);
    const file = path.join(folder, 'stream.jsonl');
    fs.writeFileSync(file, text);
    return input(file);
  };
  const record = (key: unknown, startstops: unknown, extra: Record<string, unknown> = {}) =>
    JSON.stringify({ key, worker: 'tcp://10.0.0.1:4000', thread: 1, status: 'OK', startstops, ...extra });

  it('transfers before compute are phases; the task is its compute; several computes span first to last', async () => {
    const run = await readDask(
      write(
        [
          record('a', [{ action: 'compute', start: 100, stop: 101 }]),
          record('b', [{ action: 'transfer', start: 101, stop: 101.5, source: 'tcp://10.0.0.2:4000' }, { action: 'disk-read', start: 101.5, stop: 101.75 }, { action: 'compute', start: 101.75, stop: 103 }, { action: 'disk-write', start: 103, stop: 103.2 }], { thread: 2 }),
          record(['c', 0], [{ action: 'compute', start: 102, stop: 102.5 }, { action: 'compute', start: 102.7, stop: 103.5 }]),
        ].join('\n'),
      ),
      {},
    );
    expect(run.tasks.row(1)).toMatchObject({ uid: 'b', type: 'b', node: 'tcp://10.0.0.1:4000', cores: 1, start: 1.75, end: 3 });
    expect(run.tasks.row(2)).toMatchObject({ uid: "('c', 0)", type: 'c', start: 2, end: 3.5 });
    const names = Array.from({ length: run.events.length }, (_, k) => k).filter((k) => run.events.task[k] === 1).map((k) => run.events.event[k]);
    expect(names).toEqual(['transfer_start', 'transfer_end', 'disk_read_start', 'disk_read_end', 'start', 'compute_start', 'compute_end', 'end', 'disk_write_start', 'disk_write_end']);
    expect(run.capacity).toMatchObject({ cores: null, nodes: null });
    expect(run.warnings.some((w) => w.includes('capacity unknown: a task stream does not state it (2 worker thread(s) on 1 worker(s) ran tasks)'))).toBe(true);
    expect(run.warnings.some((w) => w.includes('no graph.json'))).toBe(true);
  });

  it('statuses: OK done, error and erred failed (they ran: their interval kept), another unknown and said', async () => {
    const run = await readDask(
      write(
        [
          record('ok', [{ action: 'compute', start: 100, stop: 101 }]),
          record('error', [{ action: 'compute', start: 100, stop: 100.5 }], { status: 'error' }),
          record('erred', [{ action: 'compute', start: 100, stop: 100.25 }], { status: 'erred' }),
          record('odd', [{ action: 'compute', start: 100, stop: 100.1 }], { status: 'lost-in-space' }),
        ].join('\n'),
      ),
      {},
    );
    expect(run.tasks.outcome).toEqual(['done', 'failed', 'failed', null]);
    expect(run.tasks.state).toEqual(['OK', 'error', 'erred', 'lost-in-space']);
    expect(run.tasks.end.map((end, i) => end - run.tasks.start[i])).toEqual([1, 0.5, 0.25, expect.closeTo(0.1, 9)]);
    expect(run.warnings.join('\n')).toMatch(/lost-in-space/);
  });

  it('detects task streams by content, not JSON Lines task tables', () => {
    const sample = (text: string) => ({ kind: 'file' as const, display: 'x', compression: null, tar: false, binary: false, text });
    expect(detectDask(sample('[\n {\n  "worker": "tcp://a:1",\n  "startstops": [],\n  "key": "x"\n }\n]'))).toBe(true);
    expect(detectDask(sample(record('x', []) + '\n'))).toBe(true);
    expect(detectDask(sample('{"id": "a", "start": 1, "end": 2}\n'))).toBe('');
  });

  it('errors name the file, line and field', async () => {
    await expect(readDask(write(`${record('a', [])}\n${record('b', [{ action: 'compute', start: 'soon', stop: 2 }])}\n`), {})).rejects.toThrow('stream.jsonl:2: field "startstops[0].start": "soon" is not a time in epoch seconds');
    await expect(readDask(write(`${record('a', [{ action: 'compute', start: 2, stop: 1 }])}\n`), {})).rejects.toThrow('stream.jsonl:1: field "startstops[0].stop": compute stops before it starts');
    await expect(readDask(write(`${record('a', [])}\n${record('a', [])}\n`), {})).rejects.toThrow('stream.jsonl:2: field "key": task "a" appears twice (first on line 1)');
    await expect(readDask(write(`${record('a', [])}\n{"key": "b",\n`), {})).rejects.toThrow('stream.jsonl:2: not valid JSON');
    await expect(readDask(write(`[${record("a", [])},\n {"key": "b", "startstops": [`), {})).rejects.toThrow("ends inside a record");
    await expect(readDask(write(`${record('a', [])}\n`, { 'graph.json': '{"a": ["b"], "b": ["a"]}' }), {})).rejects.toThrow('cycle: a -> b -> a');
    await expect(readDask(write(`${record('a', [])}\n`, { 'scheduler-info.json': '{"workers": {"tcp://x:1": {"nthreads": 0}}}' }), {})).rejects.toThrow(/nthreads 0 is not a positive number/);
  });
});

describe('Dask runs in the store: the stream with the files beside it', () => {
  const dir = tempDir('asyncscope-dask-store-');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a changed graph.json or scheduler-info.json makes another run; the same files again are the stored run; a lone stream keeps its own hash', async () => {
    const folder = path.join(dir, 'paper-example');
    fs.cpSync(path.join(DASK, 'paper-example'), folder, { recursive: true });
    const stream = path.join(folder, 'task-stream.jsonl');
    const store = memoryStore();
    const once = async () => {
      const [outcome] = await ingest(store, { paths: [stream], format: 'dask', replace: false });
      if (outcome.kind !== 'saved') throw new Error(`not saved: ${JSON.stringify(outcome)}`);
      return outcome.result;
    };
    const first = await once();
    expect(first.status).toBe('stored');
    expect((await once()).status).toBe('existing');

    // One dependency fewer: the run of the corrected graph is stored beside the first.
    const graphFile = path.join(folder, 'graph.json');
    const graph = JSON.parse(fs.readFileSync(graphFile, 'utf8')) as Record<string, string[]>;
    const withDeps = Object.keys(graph).find((key) => graph[key].length > 0)!;
    graph[withDeps] = graph[withDeps].slice(1);
    fs.writeFileSync(graphFile, JSON.stringify(graph));
    const corrected = await once();
    expect(corrected.status).toBe('stored');
    expect(corrected.run.id).not.toBe(first.run.id);
    expect((await store.loadEdges(corrected.run)).length).toBe((await store.loadEdges(first.run)).length - 1);
    expect((await once()).status).toBe('existing');

    // So does another capacity beside the stream.
    const infoFile = path.join(folder, 'scheduler-info.json');
    fs.writeFileSync(infoFile, fs.readFileSync(infoFile, 'utf8').replace(/"nthreads": (\d+)/, (_, n: string) => `"nthreads": ${Number(n) + 1}`));
    expect((await once()).status).toBe('stored');

    // Without files beside it, the run's hash is the stream file's own (as runs stored before had).
    const lone = path.join(dir, 'lone');
    fs.mkdirSync(lone);
    fs.copyFileSync(stream, path.join(lone, 'task-stream.jsonl'));
    const [alone] = await ingest(store, { paths: [path.join(lone, 'task-stream.jsonl')], format: 'dask', replace: false });
    expect(alone.kind === 'saved' && alone.result.run.contentHash).toBe(crypto.createHash('sha256').update(fs.readFileSync(stream)).digest('hex'));
  });
});
