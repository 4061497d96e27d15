/**
 * Spec validation: every error names the path and the problem, in one line.
 */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { parseSpec } from '../../src/model/parse-spec.js';

const DG2 = `
name: dg2
platform: { nodes: 16, cores_per_node: 168, gpus_per_node: 6 }
overhead_s: 0
stages:
  - { name: T0,   tasks: 96, duration_s: 385, cores: 16, gpus: 1 }
  - { name: T1T2, tasks: 32, duration_s: 154, cores: 40, after: [T0] }
  - { name: T3T6, tasks: 96, duration_s: 769, cores: 4, gpus: 1, after: [T1T2] }
  - { name: T4T5, tasks: 16, duration_s: 230, cores: 4, after: [T1T2] }
  - { name: T7,   tasks: 16, duration_s: 461, cores: 4, after: [T4T5] }
`;

function errorOf(text: string): string {
  try {
    parseSpec(text);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error('expected the spec to be rejected');
}

const stages = (...entries: string[]) => `platform: { nodes: 16, cores_per_node: 168, gpus_per_node: 6 }\nstages:\n${entries.map((e) => `  - ${e}`).join('\n')}`;

describe('parseSpec', () => {
  it('reads the DG2 spec of the issue', () => {
    const spec = parseSpec(DG2);
    expect(spec.kind).toBe('stages');
    if (spec.kind !== 'stages') return;
    expect(spec.name).toBe('dg2');
    expect(spec.platform).toEqual({ kind: 'nodes', nodes: 16, coresPerNode: 168, gpusPerNode: 6 });
    expect(spec.stages.map((s) => [s.name, s.type, s.durations.length, s.durations[0], s.cores, s.gpus, s.after])).toEqual([
      ['T0', 'T0', 96, 385, 16, 1, []],
      ['T1T2', 'T1T2', 32, 154, 40, 0, ['T0']],
      ['T3T6', 'T3T6', 96, 769, 4, 1, ['T1T2']],
      ['T4T5', 'T4T5', 16, 230, 4, 0, ['T1T2']],
      ['T7', 'T7', 16, 461, 4, 0, ['T4T5']],
    ]);
  });

  it('reads JSON, pooled platforms, and defaults (1 core, 0 GPUs, no overhead, unbounded platform)', () => {
    const spec = parseSpec('{"stages": [{"name": "a", "tasks": 2, "duration_s": 5}]}');
    expect(spec).toEqual({ kind: 'stages', name: null, platform: { kind: 'unbounded' }, overheadS: 0, stages: [{ name: 'a', type: 'a', durations: [5, 5], cores: 1, gpus: 0, after: [] }] });
    expect(parseSpec('platform: { cores: 2688, gpus: 96 }\nstages: [{ name: a, tasks: 1, duration_s: 1 }]').platform).toEqual({ kind: 'pool', cores: 2688, gpus: 96 });
  });

  it('reads task-level DAGs, with the type from the id when not given', () => {
    const spec = parseSpec(`
tasks:
  - { id: mProject_ID0001, duration_s: 10 }
  - { id: mAdd_ID0002, duration_s: 5, cores: 4, gpus: 1, type: add, parents: [mProject_ID0001] }
`);
    expect(spec.kind === 'tasks' && spec.tasks).toEqual([
      { id: 'mProject_ID0001', type: 'mProject', durationS: 10, cores: 1, gpus: 0, parents: [] },
      { id: 'mAdd_ID0002', type: 'add', durationS: 5, cores: 4, gpus: 1, parents: ['mProject_ID0001'] },
    ]);
  });

  it('names an unknown stage in after', () => {
    expect(errorOf(DG2.replace('after: [T4T5] }', 'after: [T9] }'))).toBe('stages[4].after: unknown stage "T9"');
    expect(errorOf(DG2.replace('T4T5, tasks: 16, duration_s: 230, cores: 4, after: [T1T2]', 'T4T5, tasks: 16, duration_s: 230, cores: 4, after: [T9]'))).toBe(
      'stages[3].after: unknown stage "T9"',
    );
  });

  it('names a cycle by its stages', () => {
    expect(errorOf(stages('{ name: T1, tasks: 1, duration_s: 1, after: [T2] }', '{ name: T2, tasks: 1, duration_s: 1, after: [T1] }'))).toBe('cycle: T1 -> T2 -> T1');
    expect(
      errorOf(
        stages(
          '{ name: A, tasks: 1, duration_s: 1 }',
          '{ name: B, tasks: 1, duration_s: 1, after: [A, D] }',
          '{ name: C, tasks: 1, duration_s: 1, after: [B] }',
          '{ name: D, tasks: 1, duration_s: 1, after: [C] }',
        ),
      ),
    ).toBe('cycle: B -> C -> D -> B');
    expect(errorOf(stages('{ name: A, tasks: 1, duration_s: 1, after: [A] }'))).toBe('cycle: A -> A');
    expect(errorOf('tasks:\n  - { id: x, duration_s: 1, parents: [y] }\n  - { id: y, duration_s: 1, parents: [x] }')).toBe('cycle: x -> y -> x');
  });

  it('rejects a task that cannot fit on any node, or on the pooled platform', () => {
    expect(errorOf(stages('{ name: big, tasks: 1, duration_s: 1, cores: 200 }'))).toBe('stages[0]: 200 cores per task but nodes have 168');
    expect(errorOf(stages('{ name: a, tasks: 1, duration_s: 1 }', '{ name: b, tasks: 1, duration_s: 1, gpus: 8 }'))).toBe('stages[1]: 8 GPUs per task but nodes have 6');
    expect(errorOf('platform: { cores: 16 }\nstages: [{ name: a, tasks: 1, duration_s: 1, gpus: 1 }]')).toBe('stages[0]: 1 GPU per task but the platform has 0');
    expect(errorOf('platform: { nodes: 2, cores_per_node: 8 }\ntasks: [{ id: t, duration_s: 1, cores: 12 }]')).toBe('tasks[0]: 12 cores but nodes have 8');
  });

  it('names bad types and values', () => {
    expect(errorOf(stages('{ name: a, tasks: ten, duration_s: 1 }'))).toBe('stages[0].tasks: expected a positive integer, got "ten"');
    expect(errorOf(stages('{ name: a, tasks: 2.5, duration_s: 1 }'))).toBe('stages[0].tasks: expected a positive integer, got 2.5');
    expect(errorOf(stages('{ name: a, tasks: 1, duration_s: -5 }'))).toBe('stages[0].duration_s: expected a non-negative number, got -5');
    expect(errorOf(stages('{ name: a, tasks: 1, duration_s: "385" }'))).toBe('stages[0].duration_s: expected a non-negative number, got "385"');
    expect(errorOf(stages('{ name: a, tasks: 1, duration_s: 1, cores: [4] }'))).toBe('stages[0].cores: expected a non-negative number, got a list');
    expect(errorOf(stages('{ name: 7, tasks: 1, duration_s: 1 }'))).toBe('stages[0].name: expected a non-empty string, got 7');
    expect(errorOf(stages('{ name: a, tasks: 1, duration_s: 1, after: [{ x: 1 }] }'))).toBe('stages[0].after[0]: expected a stage name, got a mapping');
    expect(errorOf(stages('{ name: a, tasks: 1, duration_s: 1, gpu: 1 }'))).toBe(
      'stages[0].gpu: unknown field (expected one of name, type, tasks, duration_s, durations_s, cores, gpus, ranks, after, command)',
    );
    expect(errorOf(stages('{ name: a, tasks: 1 }'))).toBe('stages[0]: missing duration_s (or durations_s, one per task)');
    expect(errorOf(stages('{ name: a, tasks: 1, duration_s: 1, durations_s: [1] }'))).toBe('stages[0]: give duration_s or durations_s, not both');
    expect(errorOf(stages('{ name: a, tasks: 4, durations_s: [1, 2, 3] }'))).toBe('stages[0].durations_s: 3 durations for 4 tasks');
    expect(errorOf(stages('{ name: a, durations_s: [1, x] }'))).toBe('stages[0].durations_s[1]: expected a non-negative number, got "x"');
    expect(errorOf(stages('{ name: a, tasks: 1, duration_s: 1 }', '{ name: a, tasks: 1, duration_s: 1 }'))).toBe('stages[1].name: duplicate stage "a" (also stages[0])');
    expect(errorOf('overhead_s: soon\nstages: [{ name: a, tasks: 1, duration_s: 1 }]')).toBe('overhead_s: expected a non-negative number, got "soon"');
    expect(errorOf('tasks:\n  - { id: a, duration_s: 1 }\n  - { id: b, duration_s: 1, parents: [z] }')).toBe('tasks[1].parents: unknown task "z"');
    expect(errorOf('tasks:\n  - { id: a, duration_s: 1 }\n  - { id: a, duration_s: 2 }')).toBe('tasks[1].id: duplicate task "a" (also tasks[0])');
    expect(errorOf('tasks: [{ id: a }]')).toBe('tasks[0].duration_s: missing');
  });

  it('keeps the command of a stage or task (a shell string or an argument list) and names a bad one', () => {
    const stagesSpec = parseSpec(stages('{ name: a, tasks: 2, duration_s: 1, command: "sleep {duration_s}" }', '{ name: b, tasks: 1, duration_s: 1, command: [python3, train.py, 7] }'));
    expect(stagesSpec.kind === 'stages' && stagesSpec.stages.map((s) => s.command)).toEqual(['sleep {duration_s}', ['python3', 'train.py', '7']]);
    const tasksSpec = parseSpec('tasks:\n  - { id: a, duration_s: 1, command: "true" }\n  - { id: b, duration_s: 1 }');
    expect(tasksSpec.kind === 'tasks' && tasksSpec.tasks.map((t) => t.command)).toEqual(['true', undefined]);
    expect(errorOf(stages('{ name: a, tasks: 1, duration_s: 1, command: "  " }'))).toBe('stages[0].command: expected a command (a string, or a list of strings), got ""');
    expect(errorOf(stages('{ name: a, tasks: 1, duration_s: 1, command: [] }'))).toBe('stages[0].command: expected a command (a string, or a list of strings), got a list');
    expect(errorOf(stages('{ name: a, tasks: 1, duration_s: 1, command: [sleep, { x: 1 }] }'))).toBe('stages[0].command[1]: expected a string, got a mapping');
    expect(errorOf('tasks: [{ id: a, duration_s: 1, command: 5 }]')).toBe('tasks[0].command: expected a command (a string, or a list of strings), got 5');
  });

  it('names platform problems', () => {
    const body = '\nstages: [{ name: a, tasks: 1, duration_s: 1 }]';
    expect(errorOf(`platform: { nodes: 0, cores_per_node: 8 }${body}`)).toBe('platform.nodes: expected a positive integer, got 0');
    expect(errorOf(`platform: { cores_per_node: 8 }${body}`)).toBe('platform.nodes: missing (cores_per_node needs a number of nodes)');
    expect(errorOf(`platform: { nodes: 2, cores: 8 }${body}`)).toBe(
      'platform: give nodes with cores_per_node and gpus_per_node, or cores and gpus without nodes, not both',
    );
    expect(errorOf(`platform: { gpus: 8 }${body}`)).toBe('platform: give nodes with cores_per_node and gpus_per_node, or cores and gpus');
    expect(errorOf(`platform: { cpus: 8 }${body}`)).toBe('platform.cpus: unknown field (expected one of nodes, cores_per_node, gpus_per_node, cores, gpus)');
  });

  it('rejects documents that are not specs, and YAML that does not parse, in one line', () => {
    expect(errorOf('- a\n- b')).toBe('spec: expected a mapping with "stages" (or "tasks"), got a list');
    expect(errorOf('name: x')).toBe('spec: missing "stages" (or "tasks" for a task-level DAG)');
    expect(errorOf('stages: []')).toBe('stages: expected a non-empty list of stages, got a list');
    expect(errorOf('stages: [{ name: a, tasks: 1, duration_s: 1 }]\ntasks: []')).toBe('spec: give "stages" or "tasks", not both');
    expect(errorOf('stages: [{ name: a, tasks: 1, duration_s: 1 }]\nstage: 1')).toBe('stage: unknown field (expected one of name, platform, overhead_s, scheduler, task_overhead_s, stages, tasks)');
    const yaml = errorOf('stages: [{ name: a, tasks: 1\n  - oops: [');
    expect(yaml).toMatch(/^not valid YAML or JSON: .*line \d+/);
    expect(yaml).not.toContain('\n');
    expect(errorOf('{"stages": [}')).toMatch(/^not valid YAML or JSON: /);
    expect(errorOf('a: 1\na: 2')).toMatch(/^not valid YAML or JSON: Map keys must be unique/);
  });
});

describe('specToYaml / specToJson', () => {
  it('write specs that parse back to the same spec, both forms', async () => {
    const { specToJson, specToYaml } = await import('../../src/model/format-spec.js');
    const stagesSpec = parseSpec(`${DG2}`.replace('overhead_s: 0', 'overhead_s: 7.5').replace('duration_s: 230', 'type: cpu, durations_s: [230, 231.5, 229, 230, 230, 230, 230, 230, 230, 230, 230, 230, 230, 230, 230, 230]'));
    const taskSpec = parseSpec('platform: { cores: 8, gpus: 2 }\ntasks:\n  - { id: a, duration_s: 1.25 }\n  - { id: b, type: gpu, duration_s: 2, cores: 2, gpus: 0.5, parents: [a] }');
    for (const spec of [stagesSpec, taskSpec]) {
      expect(parseSpec(specToYaml(spec, 'a comment\non two lines'))).toEqual(spec);
      expect(parseSpec(specToJson(spec))).toEqual(spec);
    }
    const yaml = specToYaml(stagesSpec, 'from a test');
    expect(yaml.startsWith('# from a test\n')).toBe(true);
    expect(yaml).toContain('  - {name: T4T5, type: cpu, tasks: 16, durations_s: [230, 231.5, 229,');
    expect(yaml).toContain('  - {name: T7, tasks: 16, duration_s: 461, cores: 4, after: [T4T5]}');
  });
});

describe('hostile specs', () => {
  it('refuses more tasks than the model simulates instead of exhausting memory, and infinite numbers', () => {
    expect(errorOf('stages:\n  - { name: a, tasks: 6000000, duration_s: 1 }\n  - { name: b, tasks: 6000000, duration_s: 1 }')).toBe(
      'stages[1].tasks: 6000000 tasks would take the spec over 10000000 tasks, more than the model simulates',
    );
    expect(errorOf('stages: [{ name: a, tasks: 1, duration_s: .inf }]')).toBe('stages[0].duration_s: expected a non-negative number, got Infinity');
    expect(errorOf('stages: [{ name: a, tasks: 1, duration_s: .nan }]')).toBe('stages[0].duration_s: expected a non-negative number, got NaN');
  });
});
