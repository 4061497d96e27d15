/**
 * `analyze --critical-path` as text: the path in segments (consecutive tasks of one type), the
 * waits per type, and the findings.
 */
import { pathSegments, type CriticalPathJson, type Link } from '../model/run-critical-path.js';
import { seconds } from '../text/numbers.js';
import { renderTable } from '../text/table.js';

const LINK_WORDS: Record<Link, string> = { start: 'start', dependency: 'dependency', cpus: 'CPUs freed', gpus: 'GPUs freed' };

export function criticalPathText(json: CriticalPathJson): string {
  const lines: string[] = [];
  const p = json.path;
  const structure = { dag: 'the task DAG of the trace', stages: 'the stage structure inferred from the timeline', none: 'no dependencies between tasks' }[json.structure];
  const resources = { nodes: 'replayed per node', pooled: 'replayed pooled (nodes not known per task)', unknown: 'unknown capacity: no resource waits' }[json.resources];
  lines.push(`critical path: ${p.tasks} task(s), ${seconds(json.makespan_s)} s = ${seconds(p.running_s)} running + ${seconds(p.launch_s)} launch + ${seconds(p.staging_s)} staging`);
  lines.push(`  (dependencies from ${structure}; resources ${resources})`);
  const inner = (links: Record<Link, number>) =>
    (['dependency', 'cpus', 'gpus'] as const)
      .filter((k) => links[k] > 0)
      .map((k) => `${links[k]} ${LINK_WORDS[k]}`)
      .join(', ') || '-';
  lines.push('');
  lines.push(
    renderTable(
      ['TYPE', 'TASKS', 'ENTERED BY', { header: 'START_S', align: 'right' }, { header: 'END_S', align: 'right' }, { header: 'RUNNING_S', align: 'right' }, { header: 'LAUNCH_S', align: 'right' }, { header: 'STAGING_S', align: 'right' }, 'LINKS INSIDE'],
      pathSegments(json).map((s) => [s.type, s.tasks, LINK_WORDS[s.link], seconds(s.startS), seconds(s.endS), seconds(s.runningS), seconds(s.launchS), seconds(s.stagingS), inner(s.inner)]),
    ),
  );
  lines.push('');
  lines.push('waits from time zero to start, summed over the tasks of each type (task-seconds):');
  const w = json.waits;
  const row = (name: string, r: (typeof w.by_type)[number] | typeof w.total) => [
    name,
    r.tasks,
    seconds(r.dependencies_s),
    seconds(r.staging_s),
    seconds(r.cpus_s),
    seconds(r.gpus_s),
    seconds(r.launch_s),
    seconds(r.dependencies_blocked_s),
  ];
  lines.push(
    renderTable(
      ['TYPE', 'TASKS', 'DEPENDENCIES', 'STAGING', 'CPUS', 'GPUS', 'LAUNCH', 'BLOCKED_ANYWAY'].map((h, i) => (i < 1 ? h : { header: h, align: 'right' as const })),
      [...w.by_type.map((r) => row(r.type, r)), row('(all)', w.total)],
    ),
  );
  lines.push('(BLOCKED_ANYWAY: of the dependency wait, the time the task would not have fitted on the free resources)');
  if (json.findings.length > 0) {
    lines.push('');
    for (const finding of json.findings) lines.push(`- ${finding}`);
  }
  return lines.join('\n');
}
