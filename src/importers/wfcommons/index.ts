/**
 * WfCommons importer: a WfFormat instance (JSON, schema 1.4 to 1.6) -> one run.
 *
 * What is stored (docs/formats-wfcommons-chrome.md has the full mapping):
 * - one task per task of the instance, its type the task name without its own number
 *   (`typeFromName`; the 1.4 `category` when given), its runtime, cores (1 when the instance does
 *   not say, as in WfCommons itself) and machine;
 * - the task DAG as edges (parent -> child);
 * - the capacity from the machines (nodes, cores);
 * - start and end times only when every task states `executedAt`. Most instances do not: the run
 *   is then stored as unscheduled (`scheduled: false`), so that analyses that need a timeline say
 *   so instead of printing zeros, while the model can still use the DAG and the runtimes.
 *
 * The file is read whole and parsed with JSON.parse rather than streamed: instances describe
 * at most tens of thousands of tasks (the largest in WfInstances are a few tens of MB), the DAG
 * must be complete before it can be checked, and the two halves of a 1.5 instance
 * (specification, execution) must be joined anyway.
 */
import { TraceError } from '../../errors.js';
import { UNKNOWN_CAPACITY, type Capacity } from '../../run/capacity.js';
import type { ParsedRun } from '../../run/parsed-run.js';
import { TaskTable } from '../../run/task-table.js';
import { typeFromName } from '../../run/task-type.js';
import { jsonSyntaxError, lineAt } from '../common/json-errors.js';
import { capacityWarning, finalizeRun, mergeCapacity, runIdFromFile } from '../common/normalize.js';
import { collect, openDecompressed } from '../common/streams.js';
import type { ImportOptions, Importer, Sample, TraceInput } from '../importer.js';
import { buildDag } from './dag.js';
import { isKnownVersion, readInstance, type Instance, type Machine } from './instance.js';

export const wfcommonsImporter: Importer = {
  format: 'wfcommons',
  describe: 'a WfCommons WfFormat instance (JSON, schema 1.4 to 1.6)',
  detect: detectWfCommons,
  read: readWfCommons,
};

/**
 * A JSON object with a `workflow` object that holds `specification`, `execution`, `tasks` or
 * `jobs`, or a `schemaVersion` next to it. Only the first 64 KiB are seen, so this looks for keys,
 * not for a complete document.
 */
export function detectWfCommons(sample: Sample): true | string {
  if (sample.kind !== 'file' || sample.tar || sample.text === '') return '';
  const text = sample.text;
  if (!/^\s*\{/.test(text) || /"traceEvents"\s*:/.test(text)) return '';
  const workflow = /"workflow"\s*:\s*\{/.test(text);
  if (workflow && (/"(specification|execution|tasks|jobs)"\s*:/.test(text) || /"schemaVersion"\s*:/.test(text))) return true;
  if (workflow || /"schemaVersion"\s*:/.test(text)) {
    return 'as a WfCommons instance, it has no "workflow" object with "specification" (WfFormat 1.5) or "tasks" (1.4) in its first 64 KiB (try --format wfcommons)';
  }
  return '';
}

async function readWfCommons(input: TraceInput, options: ImportOptions): Promise<ParsedRun> {
  const document = await readJson(input, options);
  const instance = readInstance(input.display, document);
  const warnings: string[] = [];
  if (!isKnownVersion(instance.schemaVersion)) {
    warnings.push(`schema version ${JSON.stringify(instance.schemaVersion)} is not one this reader knows (1.4 to 1.6): read as the ${instance.layout} layout`);
  }

  const dag = buildDag({
    ids: instance.tasks.map((task) => task.uid),
    parents: instance.tasks.map((task) => task.parents),
    children: instance.tasks.map((task) => task.children),
    resolve: instance.resolve,
  });
  if ('kind' in dag) {
    if (dag.kind === 'cycle') throw new TraceError(input.display, `cycle: ${dag.path.join(' -> ')}`);
    throw new TraceError(input.display, `task ${JSON.stringify(dag.task)}: unknown ${dag.relation} ${JSON.stringify(dag.reference)}`);
  }
  if (dag.oneSided > 0) {
    warnings.push(`${dag.oneSided} dependencies are listed by only one of their two tasks (parents vs children); both sides were joined`);
  }

  const scheduled = instance.tasks.every((task) => !Number.isNaN(task.start));
  const tasks = new TaskTable();
  let defaultCores = 0;
  for (const task of instance.tasks) {
    let cores = task.cores;
    if (Number.isNaN(cores)) {
      cores = 1;
      defaultCores++;
    }
    tasks.push({
      uid: task.uid,
      name: task.name,
      type: task.category ?? typeFromName(task.name, task.id || task.uid),
      node: task.machines.length > 0 ? task.machines.join(',') : null,
      cores,
      start: scheduled ? task.start : null,
      end: scheduled ? task.start + task.runtime : null,
      // docs/schema.md: runtime_s holds a runtime the trace gives without placing the task in time.
      runtime: scheduled || Number.isNaN(task.runtime) ? null : task.runtime,
    });
  }

  if (defaultCores > 0) warnings.push(`${countOf(defaultCores, tasks.length)} state no core count: taken as 1 core each (the WfCommons default)`);
  if (instance.missingRuntimes > 0) warnings.push(`${countOf(instance.missingRuntimes, tasks.length)} state no runtime: taken as 0 s (as WfCommons' migration to 1.5 does)`);
  if (instance.withoutExecution > 0) warnings.push(`${countOf(instance.withoutExecution, tasks.length)} have no execution data: their runtime is unknown`);
  if (!scheduled) {
    const some = instance.tasks.filter((task) => !Number.isNaN(task.start)).length;
    const stated = instance.makespan === null ? '' : `; the instance states a makespan of ${instance.makespan} s`;
    warnings.push(
      (some > 0 ? `only ${some} of ${tasks.length} tasks state their start (executedAt), ` : '') +
        `stored unscheduled: the instance gives runtimes but no start times${stated}. ` +
        'Analyses that need a timeline refuse this run; predict --from-run uses its DAG and runtimes',
    );
  }
  if (instance.executedAtText !== null && Number.isNaN(instance.executedAt)) {
    warnings.push(`executedAt ${JSON.stringify(instance.executedAtText)} is not a date this reader knows: the run has no start date`);
  }

  const capacity = mergeCapacity(capacityOf(instance.machines), options.capacity);
  capacityWarning(capacity, warnings);
  return finalizeRun({
    id: runIdFromFile(input.path),
    format: 'wfcommons',
    source: input.path,
    workflow: instance.name,
    capacity,
    scheduled,
    tasks,
    edges: dag.edges,
    warnings,
    fallbackEpoch: Number.isNaN(instance.executedAt) ? null : instance.executedAt,
  });
}

async function readJson(input: TraceInput, options: ImportOptions): Promise<unknown> {
  const bytes = await collect(openDecompressed(input.path, options.onBytes) as AsyncIterable<Buffer>);
  let text: string;
  try {
    text = bytes.toString('utf8');
  } catch {
    throw new TraceError(input.display, `too large to read as one JSON document (${bytes.length} bytes)`);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return JSON.parse(text);
  } catch (error) {
    const { reason, position } = jsonSyntaxError(error as Error);
    const line = position === undefined ? undefined : lineAt(text, position);
    throw new TraceError(input.display, `not valid JSON (${reason})`, line);
  }
}

/** Nodes and cores from the instance's machines; a total only when every machine states its cores. */
export function capacityOf(machines: readonly Machine[]): Capacity {
  if (machines.length === 0) return { ...UNKNOWN_CAPACITY };
  const counts = machines.map((machine) => machine.coreCount);
  const known = counts.every((count) => count !== null);
  const total = known ? (counts as number[]).reduce((sum, count) => sum + count, 0) : null;
  const same = known && counts.every((count) => count === counts[0]);
  return { nodes: machines.length, coresPerNode: same ? counts[0] : null, gpusPerNode: null, cores: total, gpus: null };
}

function countOf(count: number, total: number): string {
  return count === total ? `all ${total} tasks` : `${count} of ${total} tasks`;
}
