/**
 * Chrome Trace Event Format importer (the JSON that chrome://tracing, Perfetto UI, Ray's
 * `ray timeline`, the PyTorch profiler and many other tools write) -> one run.
 *
 * Each slice (an `X` event with its `dur`, or a `B`/`E` pair on one thread) becomes a task:
 * start `ts`, end `ts + dur` (microseconds), type the event's name or category, pipeline the
 * process name (`M` process_name metadata). `args` may carry uid, name, type, stage, pipeline,
 * state, node, cores and gpus, which asyncscope's own export writes, so that its traces come back
 * exactly, and `otherData.asyncscope` the run's label, mode, workflow, epoch and capacity (checked
 * value by value: the file is untrusted). Instant, counter, flow, async and other events are not tasks: they are counted in the
 * run's warnings. docs/formats-wfcommons-chrome.md has the full mapping.
 */
import { TraceError } from '../../errors.js';
import type { Capacity } from '../../run/capacity.js';
import type { ParsedRun } from '../../run/parsed-run.js';
import { RUN_MODES, type RunMode } from '../../run/stored-run.js';
import { capacityWarning, finalizeRun, mergeCapacity, runIdFromFile } from '../common/normalize.js';
import { openDecompressed } from '../common/streams.js';
import type { ImportOptions, Importer, Sample, TraceInput } from '../importer.js';
import { TraceEventScanner } from './event-stream.js';
import { SliceCollector } from './slices.js';
import { isRayTimeline, rayTasks } from './ray.js';
import { chooseTypeSource, MAX_NAME_TYPES, selectSlices, slicesToTasks } from './tasks.js';

export const chromeImporter: Importer = {
  format: 'chrome',
  describe: 'a Chrome Trace Event Format JSON trace (Perfetto, Ray timeline, profilers)',
  detect: detectChrome,
  read: readChrome,
};

/**
 * An object with a `traceEvents` list, or a list whose first element is an object and which
 * holds `"ph"` keys. Only the first 64 KiB are seen, so this looks for keys, not a complete document.
 */
export function detectChrome(sample: Sample): true | string {
  if (sample.kind !== 'file' || sample.tar || sample.text === '') return '';
  const text = sample.text;
  if (/^\s*\{/.test(text)) {
    if (/"traceEvents"\s*:\s*\[/.test(text)) return true;
    if (/"workflow"\s*:/.test(text) || isOneLineObject(text)) return ''; // a WfCommons instance, or JSON Lines
    return 'a JSON object that is neither a Chrome trace (no "traceEvents" list in its first 64 KiB) nor a WfCommons instance (no "workflow" object)';
  }
  if (/^\s*\[/.test(text)) {
    if (/^\s*\[\s*\]?\s*$/.test(text)) return 'an empty JSON list';
    if (/^\s*\[\s*\{/.test(text) && /"ph"\s*:/.test(text)) return true;
    return 'a JSON list that is not a Chrome trace (no events with "ph" in its first 64 KiB)';
  }
  return '';
}

/** The first line is a whole JSON object by itself (JSON Lines, whose importer explains itself). */
function isOneLineObject(text: string): boolean {
  const nl = text.indexOf('\n');
  const first = (nl === -1 ? text : text.slice(0, nl)).trim();
  try {
    JSON.parse(first);
    return true;
  } catch {
    return false;
  }
}

/** What asyncscope's export records in `otherData.asyncscope`, so that a round trip keeps it. */
interface ExportRecord {
  epochS: number | null;
  label: string | undefined;
  mode: RunMode | undefined;
  workflow: string | null;
  capacity: Capacity | null;
  /** Values of the record that were not taken, and why. */
  ignored: string[];
}

/**
 * The longest label or workflow taken from a trace's otherData: longer ones are not names a person
 * gave (the file is untrusted text; what is taken is escaped wherever it is printed).
 */
export const MAX_RECORDED_NAME = 200;

async function readChrome(input: TraceInput, options: ImportOptions): Promise<ParsedRun> {
  const collector = new SliceCollector(input.display);
  const scanner = new TraceEventScanner(input.display, (event, line) => collector.add(event, line));
  const source = openDecompressed(input.path, options.onBytes);
  const decoder = new TextDecoder('utf-8');
  let first = true;
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      let text = decoder.decode(chunk, { stream: true });
      if (first && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
      scanner.feed(text);
    }
    scanner.feed(decoder.decode());
    scanner.end();
  } catch (error) {
    if (error instanceof TraceError) throw error;
    throw new TraceError(input.display, (error as Error).message);
  } finally {
    source.destroy();
  }
  if (!scanner.hasEvents) throw new TraceError(input.display, 'a JSON object without a "traceEvents" list: not a Chrome trace');
  collector.finish();
  if (isRayTimeline(collector.slices)) return readRayTimeline(input, options, collector, scanner.envelope.cutInEvent);

  const warnings: string[] = [];
  const nested = options.chrome?.nested ?? false;
  const selection = selectSlices(collector.slices, collector.threadProcess.length, nested);
  if (selection.taken.length === 0) {
    throw new TraceError(input.display, `no slices to take as tasks (X events with dur, or B/E pairs)${skippedText(collector.skipped, ': it holds only ')}`);
  }
  const typeSource = chooseTypeSource(collector.slices, selection.taken, options.chrome?.type ?? 'auto');
  const tasks = slicesToTasks({
    slices: collector.slices,
    taken: selection.taken,
    typeSource,
    processName: (thread) => collector.processName(thread),
  });

  if ((options.chrome?.type ?? 'auto') === 'auto' && typeSource === 'cat') {
    warnings.push(`task types taken from the event categories (cat): the slices have more than ${MAX_NAME_TYPES} distinct names (--chrome-type name takes the names)`);
  }
  const record = exportRecord(scanner.envelope.otherData);
  if (record) warnings.push(...record.ignored);
  // asyncscope's own export adds counters derived from its tasks: not worth a warning.
  if (record) collector.skipped.delete('counter');
  const skipped = skippedText(collector.skipped, 'skipped ');
  if (skipped) warnings.push(`${skipped} (not tasks)`);
  if (selection.nested > 0) {
    warnings.push(`${selection.nested} nested slices (inside another slice of the same thread) were taken as phases of their task, not as tasks (--chrome-nested takes them)`);
  }
  if (selection.idle > 0) warnings.push(`${selection.idle} worker_idle slices (Ray idle time) are not tasks`);
  if (collector.xWithoutDur > 0) warnings.push(`${collector.xWithoutDur} complete (X) events without dur were skipped`);
  if (collector.unmatchedEnds > 0) warnings.push(`${collector.unmatchedEnds} E events had no open B event on their thread and were skipped`);
  if (collector.unclosedBegins > 0) warnings.push(`${collector.unclosedBegins} B events never ended (a trace cut short?) and were skipped`);
  if (scanner.envelope.cutInEvent) warnings.push('the file ends inside an event (a trace cut short?): that event was dropped');

  const capacity = mergeCapacity(record?.capacity ?? undefined, options.capacity);
  capacityWarning(capacity, warnings);
  const parsed = finalizeRun({
    id: runIdFromFile(input.path),
    format: 'chrome',
    source: input.path,
    workflow: record?.workflow ?? null,
    capacity,
    tasks,
    warnings,
  });
  if (record?.label !== undefined) parsed.label = record.label;
  if (record?.mode !== undefined) parsed.mode = record.mode;
  // Times were read relative to the trace's own origin; asyncscope's export states the epoch of that origin.
  if (record?.epochS !== null && record?.epochS !== undefined && parsed.epoch !== null) parsed.epoch += record.epochS;
  return parsed;
}

/**
 * A Ray timeline (see ray.ts): its `task::` slices are the tasks, the slices inside them their
 * phases. `--chrome-type` and `--chrome-nested` do not apply: Ray says which slices are tasks.
 */
function readRayTimeline(input: TraceInput, options: ImportOptions, collector: SliceCollector, cut: boolean): ParsedRun {
  const ray = rayTasks(collector);
  if (ray.tasks.length === 0) throw new TraceError(input.display, 'a Ray timeline without task slices (task::...): Ray records them only with RAY_PROFILING=1 or task events enabled');
  const warnings: string[] = ['a Ray timeline: its task:: slices are the tasks (type func_or_class_name), the slices inside them their phases; it states no resources and no task outcome'];
  if (options.chrome?.nested || (options.chrome?.type !== undefined && options.chrome.type !== 'auto')) {
    warnings.push('--chrome-type and --chrome-nested do not apply to a Ray timeline and were ignored');
  }
  if (ray.attempts > 0) warnings.push(`${ray.attempts} earlier attempt(s) of retried tasks kept as attempt_start/attempt_end events of their task`);
  if (ray.outside.size > 0) {
    const parts = [...ray.outside].sort((a, b) => b[1] - a[1]).map(([cat, n]) => `${n} ${cat}`);
    warnings.push(`${parts.join(', ')} slice(s) belong to no task (the driver's calls, idle workers): not tasks`);
  }
  const skipped = skippedText(collector.skipped, 'skipped ');
  if (skipped) warnings.push(`${skipped} (not tasks)`);
  if (cut) warnings.push('the file ends inside an event (a trace cut short?): that event was dropped');
  const capacity = mergeCapacity(undefined, options.capacity);
  capacityWarning(capacity, warnings);
  return finalizeRun({ id: runIdFromFile(input.path), format: 'chrome', source: input.path, capacity, tasks: ray.tasks, events: ray.events, warnings });
}

function skippedText(skipped: Map<string, number>, prefix: string): string {
  if (skipped.size === 0) return '';
  const parts = [...skipped.entries()].sort((a, b) => b[1] - a[1]).map(([kind, count]) => `${count} ${kind}`);
  return `${prefix}${parts.join(', ')} events`;
}

/** `otherData.asyncscope` as written by asyncscope's export, if the trace has it. */
function exportRecord(otherData: unknown): ExportRecord | null {
  if (typeof otherData !== 'object' || otherData === null) return null;
  const record = (otherData as Record<string, unknown>).asyncscope;
  if (typeof record !== 'object' || record === null) return null;
  const r = record as Record<string, unknown>;
  const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);
  const c = typeof r.capacity === 'object' && r.capacity !== null ? (r.capacity as Record<string, unknown>) : null;
  const ignored: string[] = [];
  const name = (key: 'label' | 'workflow'): string | undefined => {
    const value = r[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string' || value.trim() === '' || value.length > MAX_RECORDED_NAME) {
      const what = typeof value !== 'string' ? `not a string (${Array.isArray(value) ? 'a list' : typeof value})` : value.trim() === '' ? 'empty' : `${value.length} characters long (at most ${MAX_RECORDED_NAME})`;
      ignored.push(`otherData.asyncscope.${key} is ${what}: ignored`);
      return undefined;
    }
    return value;
  };
  let mode: RunMode | undefined;
  if (r.mode !== undefined && r.mode !== null) {
    if (typeof r.mode === 'string' && (RUN_MODES as readonly string[]).includes(r.mode)) mode = r.mode as RunMode;
    else ignored.push(`otherData.asyncscope.mode is not ${RUN_MODES.join(', ')}: ignored (${JSON.stringify(r.mode).slice(0, 60)})`);
  }
  return {
    epochS: num(r.epoch_s),
    label: name('label'),
    mode,
    workflow: name('workflow') ?? null,
    ignored,
    capacity: c && {
      nodes: num(c.nodes),
      coresPerNode: num(c.cores_per_node),
      gpusPerNode: num(c.gpus_per_node),
      cores: num(c.cores),
      gpus: num(c.gpus),
    },
  };
}
