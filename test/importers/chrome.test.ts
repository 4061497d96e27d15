/**
 * Chrome Trace Event Format traces: a hand-written trace with every kind of event, Ray-like and
 * profiler-like traces, the streaming scanner against arbitrary chunk boundaries, and hostile input.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TraceEventScanner } from '../../src/importers/chrome/event-stream.js';
import { ingest, type IngestRequest } from '../../src/importers/ingest.js';
import type { StoredRun } from '../../src/run/stored-run.js';
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { ROOT, tempDir } from '../helpers/cli.js';
import { ingestInto, memoryStore } from '../helpers/store.js';

const HANDWRITTEN = path.join(ROOT, 'test', 'fixtures', 'chrome', 'handwritten.json');
const work = tempDir();
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

let written = 0;
function write(name: string, content: unknown): string {
  const file = path.join(work, `${written++}-${name}`);
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

async function ingestOne(file: string, request: Partial<IngestRequest> = {}): Promise<{ store: SqliteStore; run: StoredRun }> {
  const store = memoryStore();
  const [run] = await ingestInto(store, [file], request);
  return { store, run };
}

async function failure(file: string, format = 'auto'): Promise<string> {
  const store = memoryStore();
  const outcomes = await ingest(store, { paths: [file], format, replace: false });
  expect(await store.listRuns()).toEqual([]);
  const outcome = outcomes[0];
  if (outcome?.kind !== 'failed') throw new Error(`expected a failure, got ${outcome?.kind}`);
  return outcome.error.message;
}

const rows = async (store: SqliteStore, run: StoredRun) => {
  const tasks = await store.loadTasks(run);
  return Array.from({ length: tasks.length }, (_, i) => tasks.row(i));
};

describe('Chrome trace: the hand-written trace (X, B/E, M, instant, counter, flow, async)', () => {
  it('takes the top-level slices as tasks, with args, names and times in seconds', async () => {
    const { store, run } = await ingestOne(HANDWRITTEN);
    expect(run).toMatchObject({ format: 'chrome', tasks: 3, executed: 3, scheduled: true, makespanS: 4 });
    expect(run.epoch).toBe(1); // the trace's own clock: 1 000 000 us
    expect(await rows(store, run)).toEqual([
      { uid: 'sim.1', name: 'sim', type: 'sim', stage: 's1', pipeline: 'workers', state: null, outcome: null, node: null, cores: 4, gpus: 1, start: 0, end: 2, runtime: null, exit_code: null, cpu_slots: null, gpu_slots: null },
      // B/E pair on pid 1 tid 2: the E event's args (state) join the B event's (cores)
      { uid: 'train.1', name: 'train', type: 'train', stage: null, pipeline: 'workers', state: 'DONE', outcome: 'done', node: null, cores: 2, gpus: null, start: 1, end: 4, runtime: null, exit_code: null, cpu_slots: null, gpu_slots: null },
      // pid 2 has no process_name: "pid 2"; args.uid is the task id
      { uid: 'infer-7', name: 'infer', type: 'infer', stage: null, pipeline: 'pid 2', state: null, outcome: null, node: null, cores: null, gpus: 1, start: 2, end: 2.5, runtime: null, exit_code: null, cpu_slots: null, gpu_slots: null },
    ]);
    expect(run.warnings).toEqual([
      'skipped 2 flow, 2 async, 1 instant, 1 counter events (not tasks)',
      '1 nested slices (inside another slice of the same thread) were taken as phases of their task, not as tasks (--chrome-nested takes them)',
      '1 E events had no open B event on their thread and were skipped',
      '1 B events never ended (a trace cut short?) and were skipped',
      'capacity unknown (pass --cores/--gpus/--nodes, or set it later with runs edit): utilization cannot be computed',
    ]);
  });

  it('--chrome-nested takes the nested slice too; --chrome-type cat takes the categories', async () => {
    const nested = await ingestOne(HANDWRITTEN, { chrome: { nested: true } });
    const round = (t: number | null | undefined) => (typeof t === 'number' ? Math.round(t * 1e9) / 1e9 : t);
    expect((await rows(nested.store, nested.run)).map((t) => [t.uid, round(t.start), round(t.end)])).toEqual([
      ['sim.1', 0, 2],
      ['sim:io.1', 0.5, 0.6],
      ['train.1', 1, 4],
      ['infer-7', 2, 2.5],
    ]);
    const byCat = await ingestOne(HANDWRITTEN, { chrome: { type: 'cat' } });
    expect((await byCat.store.loadTasks(byCat.run)).type).toEqual(['task', 'task', 'gpu']);
  });

  it('applies --cores/--gpus given at ingest', async () => {
    const { run } = await ingestOne(HANDWRITTEN, { capacity: { cores: 8, gpus: 2 } });
    expect(run.capacity).toMatchObject({ cores: 8, gpus: 2 });
    expect(run.warnings.join('\n')).not.toMatch(/capacity unknown/);
  });
});

describe('Chrome trace: other producers', () => {
  it('a trace cut short: no closing bracket after the last event is fine, an event cut in two is dropped and said', async () => {
    const slices = [
      { cat: 'load', name: 'load', pid: 1, tid: 1, ph: 'X', ts: 1.7e15, dur: 4e6, args: {} },
      { cat: 'fit', name: 'fit', pid: 1, tid: 2, ph: 'X', ts: 1.7e15 + 2e6, dur: 1e6, args: {} },
    ];
    const text = `[\n${slices.map((e) => JSON.stringify(e)).join(',\n')},\n`;
    const { run } = await ingestOne(write('cut.json', text));
    expect(run.tasks).toBe(2);
    expect(run.epoch).toBe(1.7e9);
    expect(run.warnings.join('\n')).not.toMatch(/ends inside an event/);
    const partial = await ingestOne(write('cut-in-event.json', text.slice(0, text.lastIndexOf('{"cat"') + 30)));
    expect(partial.run.tasks).toBe(1);
    expect(partial.run.warnings).toContain('the file ends inside an event (a trace cut short?): that event was dropped');
  });

  it('a profiler trace: many kernel names make auto take the categories; --chrome-type name keeps them', async () => {
    const events: object[] = [
      { name: 'process_name', ph: 'M', pid: 0, args: { name: 'python' } },
      { name: 'process_name', ph: 'M', pid: 1, args: { name: 'GPU 0' } },
    ];
    for (let k = 0; k < 60; k++) {
      events.push({ name: `aten::op_${k}`, cat: 'cpu_op', ph: 'X', pid: 0, tid: 7, ts: 100 * k, dur: 40 });
      events.push({ name: `void kernel_${k}<float>(float*)`, cat: 'kernel', ph: 'X', pid: 1, tid: 'stream 7', ts: 100 * k + 50, dur: 30 });
    }
    const file = write('torch.json', { schemaVersion: 1, deviceProperties: [], traceEvents: events, traceName: 'x.pt.trace.json' });
    const auto = await ingestOne(file);
    const types = (await auto.store.loadTasks(auto.run)).type;
    expect(new Set(types)).toEqual(new Set(['cpu_op', 'kernel']));
    expect(auto.run.warnings[0]).toMatch(/task types taken from the event categories \(cat\): the slices have more than 50 distinct names/);
    const pipelines = new Set((await auto.store.loadTasks(auto.run)).pipeline);
    expect(pipelines).toEqual(new Set(['python', 'GPU 0']));
    const byName = await ingestOne(file, { chrome: { type: 'name' } });
    expect(new Set((await byName.store.loadTasks(byName.run)).type).size).toBe(120);
  });

  it('a JSON object whose traceEvents come after 64 KiB: not recognised by content, read with --format chrome', async () => {
    const file = write('late.json', { metadata: { note: 'x'.repeat(70_000) }, traceEvents: [{ name: 'a', ph: 'X', ts: 0, dur: 1, pid: 1, tid: 1 }] });
    expect(await failure(file)).toMatch(/not a recognised trace: a JSON object that is neither a Chrome trace \(no "traceEvents" list in its first 64 KiB\) nor a WfCommons instance/);
    const store = memoryStore();
    const [run] = await ingestInto(store, [file], { format: 'chrome' });
    expect(run.tasks).toBe(1);
  });
});

describe('Chrome trace: touching slices', () => {
  it('does not take a slice for nested when the previous one ends where it starts, up to float rounding', async () => {
    // 52276649260.998 + 42561115.98 is 52319210376.978004 in floating point: the slices touch in the text.
    const touching = [
      { name: 'infer', ph: 'X', ts: 52276649260.998, dur: 42561115.98, pid: 6, tid: 4 },
      { name: 'infer', ph: 'X', ts: 52319210376.978, dur: 43624694.109, pid: 6, tid: 4 },
      { name: 'infer', ph: 'X', ts: 52319210376.978 + 1, dur: 5, pid: 6, tid: 4 }, // this one is inside the second
    ];
    const { run } = await ingestOne(write('touching.json', touching));
    expect(run.tasks).toBe(2);
    expect(run.warnings.join('\n')).toMatch(/^1 nested slices/m);
  });
});

describe('Chrome trace: the streaming scanner', () => {
  it('gives the same events and otherData whatever the chunk boundaries', () => {
    const events = [
      { name: 'a "quoted" {brace} [bracket] \\ back', ph: 'X', ts: 1, dur: 2, pid: 1, tid: 1, args: { nested: { list: [1, { deep: '}' }] } } },
      { name: 'ünïcødé ✓', ph: 'B', ts: 5, pid: 1, tid: 2 },
      { ph: 'E', ts: 9, pid: 1, tid: 2 },
    ];
    const text = `\n{ "displayTimeUnit" : "ns", "systemTraceEvents": "a string with ] and }",\n "otherData": {"k": [1, "}"]},\n "traceEvents" : [\n${events
      .map((e) => JSON.stringify(e, null, 1))
      .join(' ,\n')} ] , "stackFrames": {} }\n`;
    const scan = (pieces: string[]) => {
      const seen: unknown[] = [];
      const scanner = new TraceEventScanner('t.json', (event, line) => seen.push([event, line]));
      for (const piece of pieces) scanner.feed(piece);
      scanner.end();
      return { seen, otherData: scanner.envelope.otherData };
    };
    const whole = scan([text]);
    expect(whole.seen.map((s) => (s as [unknown])[0])).toEqual(events);
    expect(whole.otherData).toEqual({ k: [1, '}'] });
    let seed = 7;
    for (let round = 0; round < 50; round++) {
      const pieces: string[] = [];
      for (let i = 0; i < text.length; ) {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        const size = 1 + (seed % 9);
        pieces.push(text.slice(i, i + size));
        i += size;
      }
      expect(scan(pieces)).toEqual(whole);
    }
  });
});

describe('Chrome trace: hostile input', () => {
  it('names the line of an event that is not valid JSON, or lacks a time', async () => {
    const bad = '{"traceEvents": [\n{"name": "a", "ph": "X", "ts": 1, "dur": 1, "pid": 1, "tid": 1},\n{"name": "b", "ph": "X", "ts": 2, "dur": 1, "pid": 1 "tid": 1}\n]}';
    expect(await failure(write('bad.json', bad))).toMatch(/bad\.json:3: not valid JSON in this event/);
    const noTs = '[\n{"name": "a", "ph": "X", "dur": 1, "pid": 1, "tid": 1}\n]';
    expect(await failure(write('nots.json', noTs))).toMatch(/nots\.json:2: field "ts": missing is not a time in microseconds/);
    const negative = '[{"name": "a", "ph": "X", "ts": 5, "dur": -1, "pid": 1, "tid": 1}]';
    expect(await failure(write('neg.json', negative))).toMatch(/neg\.json:1: field "dur": a complete \(X\) event has a negative dur \(-1\)/);
  });

  it('refuses traces with nothing to take, and shapes that are no trace', async () => {
    const instants = '[{"name": "a", "ph": "i", "ts": 1, "pid": 1}, {"name": "b", "ph": "i", "ts": 2, "pid": 1}]';
    expect(await failure(write('instants.json', instants))).toMatch(/no slices to take as tasks \(X events with dur, or B\/E pairs\): it holds only 2 instant events/);
    expect(await failure(write('notlist.json', '{"traceEvents": 5}'), 'chrome')).toMatch(/"traceEvents" is not a list/);
    expect(await failure(write('numbers.json', '[1, 2, 3]'))).toMatch(/not a recognised trace: a JSON list that is not a Chrome trace/);
    expect(await failure(write('numbers2.json', '[1, 2, 3]'), 'chrome')).toMatch(/expected an event object in the event array, found "1"/);
    expect(await failure(write('empty.json', '[]'))).toMatch(/not a recognised trace: an empty JSON list/);
    expect(await failure(write('trailing.json', '[{"ph": "X", "ts": 1, "dur": 1}] x'), 'chrome')).toMatch(/unexpected text after the end of the trace/);
    expect(await failure(write('noevents.json', '{"otherData": {}}'), 'chrome')).toMatch(/a JSON object without a "traceEvents" list/);
  });
});
