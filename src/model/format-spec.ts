/**
 * Writing a spec back as YAML (or JSON), in the format parse-spec reads, so that an inferred spec
 * can be edited and fed to `asyncscope predict`. Durations are rounded to milliseconds; a stage
 * whose tasks all last the same is written with `duration_s`, others with `durations_s`.
 */
import YAML from 'yaml';
import type { Platform, WorkflowSpec } from './spec.js';

const ms = (value: number) => Math.round(value * 1000) / 1000;

/** The spec as the plain document parse-spec reads. */
export function specDocument(spec: WorkflowSpec): Record<string, unknown> {
  const doc: Record<string, unknown> = {};
  if (spec.name !== null) doc.name = spec.name;
  const platform = platformDocument(spec.platform);
  if (platform) doc.platform = platform;
  doc.overhead_s = ms(spec.overheadS);
  if (spec.scheduler !== undefined && spec.scheduler !== 'backfill') doc.scheduler = spec.scheduler;
  if (spec.taskOverheadS) doc.task_overhead_s = ms(spec.taskOverheadS);
  if (spec.kind === 'stages') {
    doc.stages = spec.stages.map((stage) => {
      const entry: Record<string, unknown> = { name: stage.name };
      if (stage.type !== stage.name) entry.type = stage.type;
      const durations = stage.durations.map(ms);
      entry.tasks = durations.length;
      if (durations.every((d) => d === durations[0])) entry.duration_s = durations[0];
      else entry.durations_s = durations;
      entry.cores = stage.cores;
      if (stage.gpus > 0) entry.gpus = stage.gpus;
      if ((stage.ranks ?? 1) > 1) entry.ranks = stage.ranks;
      if (stage.after.length > 0) entry.after = stage.after;
      if (stage.command !== undefined) entry.command = stage.command;
      return entry;
    });
  } else {
    doc.tasks = spec.tasks.map((task) => {
      const entry: Record<string, unknown> = { id: task.id, type: task.type, duration_s: ms(task.durationS), cores: task.cores };
      if (task.gpus > 0) entry.gpus = task.gpus;
      if ((task.ranks ?? 1) > 1) entry.ranks = task.ranks;
      if (task.parents.length > 0) entry.parents = task.parents;
      if (task.command !== undefined) entry.command = task.command;
      return entry;
    });
  }
  return doc;
}

function platformDocument(platform: Platform): Record<string, number> | null {
  switch (platform.kind) {
    case 'nodes':
      return { nodes: platform.nodes, cores_per_node: platform.coresPerNode, gpus_per_node: platform.gpusPerNode };
    case 'pool':
      return { cores: platform.cores, gpus: platform.gpus };
    case 'unbounded':
      return null;
  }
}

/** YAML with one line per stage or task, and a comment on top. */
export function specToYaml(spec: WorkflowSpec, comment?: string): string {
  const doc = new YAML.Document(specDocument(spec));
  const list = doc.get(spec.kind) as YAML.YAMLSeq | undefined;
  for (const item of list?.items ?? []) if (YAML.isMap(item)) item.flow = true;
  const platform = doc.get('platform');
  if (YAML.isMap(platform)) platform.flow = true;
  if (comment) doc.commentBefore = comment.split('\n').map((line) => ` ${line}`).join('\n');
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

export function specToJson(spec: WorkflowSpec): string {
  return `${JSON.stringify(specDocument(spec), null, 2)}\n`;
}
