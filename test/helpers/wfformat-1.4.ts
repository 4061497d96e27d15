/**
 * A WfFormat 1.5 instance rewritten in the WfFormat 1.4 layout (one flat workflow.tasks list;
 * tasks refer to their parents and children by name; category, cores and machine per task;
 * cpu.count on machines), as WfCommons wrote 1.4 instances of Pegasus runs. The 1.4 test reads
 * the shared srasearch instance converted this way at test time: no copy of it is kept here.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- a loose JSON rewrite of a test input */
export function toWfFormat14(source: any): unknown {
  const spec = source.workflow.specification;
  const exec = source.workflow.execution;
  const sizes = new Map(spec.files.map((f: any) => [f.id, f.sizeInBytes]));
  const execById = new Map<string, any>(exec.tasks.map((t: any) => [t.id, t]));
  const nameOf = new Map(spec.tasks.map((t: any) => [t.id, t.name]));

  const tasks = spec.tasks.map((t: any) => {
    const e = execById.get(t.id);
    const [category, number] = t.name.split('_ID');
    return {
      name: t.name,
      id: `ID${number}`,
      category,
      type: 'compute',
      command: e.command,
      parents: t.parents.map((p: any) => nameOf.get(p)),
      children: t.children.map((c: any) => nameOf.get(c)),
      files: [
        ...t.inputFiles.map((f: any) => ({ name: f, link: 'input', sizeInBytes: sizes.get(f) })),
        ...t.outputFiles.map((f: any) => ({ name: f, link: 'output', sizeInBytes: sizes.get(f) })),
      ],
      runtimeInSeconds: e.runtimeInSeconds,
      cores: 1,
      avgCPU: e.avgCPU,
      memoryInBytes: e.memoryInBytes,
      priority: e.priority,
      machine: e.machines[0],
    };
  });

  return {
    name: source.name,
    description: `${source.description} (converted to WfFormat 1.4 for asyncscope's tests)`,
    createdAt: source.createdAt,
    schemaVersion: '1.4',
    wms: source.runtimeSystem,
    author: source.author,
    workflow: {
      makespanInSeconds: exec.makespanInSeconds,
      executedAt: exec.executedAt,
      machines: exec.machines.map((m: any) => ({
        nodeName: m.nodeName,
        system: m.system,
        architecture: m.architecture,
        release: m.release,
        memoryInBytes: m.memoryInBytes,
        cpu: { count: m.cpu.coreCount, speed: m.cpu.speedInMHz, vendor: m.cpu.vendor },
      })),
      tasks,
    },
  };
}
