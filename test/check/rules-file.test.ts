/** Rules files: a full example, and every validation error naming the file and the field. */
import { describe, expect, it } from 'vitest';
import { parseRulesFile } from '../../src/check/rules-file.js';

const FILE = 'ci/asyncscope.checks.yaml';

describe('parseRulesFile', () => {
  it('reads named rules with their baselines, runs, settings and defaults', () => {
    const { rules, settings } = parseRulesFile(
      `
version: 1
alpha: 0.01
min_samples: 3
baselines:
  dg2: baselines/dg2-async.json
defaults:
  runs: nightly
  baseline: dg2
rules:
  - name: makespan
    metric: makespan_s
    max_increase: 5%
  - name: gpu busy
    metric: utilization.gpu
    min: 0.80
    runs: { latest: nightly, count: 5 }
  - name: stage T3T6
    metric: groups[pipeline.0000/stage.0002].busy_s
    max_increase: 30
    by: stage
    baseline: other/baseline.json
  - name: every dg2 label
    metric: asynchronicity.doa
    max_decrease: 10%
    runs: { glob: "dg2-*" }
    informational: true
  - name: model error
    metric: compare.error.async
    max: 2%
    sync: dg2-sync
    runs: { label: dg2-async }
  - name: predicted improvement
    metric: predict.improvement.vs_sync
    min: 20%
    spec: specs/dg2.yaml
`,
      FILE,
    );
    expect(settings).toEqual({ alpha: 0.01, minSamples: 3 });
    expect(rules.map((r) => r.name)).toEqual(['makespan', 'gpu busy', 'stage T3T6', 'every dg2 label', 'model error', 'predicted improvement']);
    expect(rules[0]).toMatchObject({ metric: { text: 'makespan_s' }, bound: { kind: 'max_increase', threshold: { unit: 'relative', value: 0.05 } }, runs: { kind: 'ref', ref: 'nightly' }, baseline: 'ci/baselines/dg2-async.json', informational: false, by: null });
    expect(rules[1]).toMatchObject({ bound: { kind: 'min', threshold: { value: 0.8 } }, runs: { kind: 'latest', label: 'nightly', count: 5 } });
    expect(rules[2]).toMatchObject({ metric: { groups: ['pipeline.0000/stage.0002'] }, bound: { threshold: { unit: 'absolute', value: 30 } }, by: 'stage', baseline: 'ci/other/baseline.json' });
    expect(rules[3]).toMatchObject({ runs: { kind: 'glob', pattern: 'dg2-*' }, informational: true });
    expect(rules[4]).toMatchObject({ sync: 'dg2-sync', runs: { kind: 'label', label: 'dg2-async' }, bound: { threshold: { value: 0.02 } } });
    expect(rules[5]).toMatchObject({ spec: 'ci/specs/dg2.yaml', metric: { source: 'predict' } });
  });

  it('takes absolute paths of baselines and specs as written', () => {
    const { rules } = parseRulesFile(
      `
baselines:
  main: /srv/ci/baselines/main.json
rules:
  - { name: a, metric: makespan_s, max_increase: 5%, baseline: main }
  - { name: b, metric: makespan_s, max_increase: 5%, baseline: /srv/other.json }
  - { name: c, metric: predict.async_s, max: 100, spec: /srv/specs/dg2.yaml }
`,
      FILE,
    );
    expect(rules.map((r) => r.baseline ?? r.spec)).toEqual(['/srv/ci/baselines/main.json', '/srv/other.json', '/srv/specs/dg2.yaml']);
  });

  it('names the file, the line and the field of every problem, and the value as written', () => {
    const rule = (body: string) => `rules:\n  - name: r\n    metric: makespan_s\n${body}`;
    const cases: [string, string][] = [
      ['rules: [', `${FILE}: not valid YAML`],
      ['- 1', `${FILE}: expected a mapping with a list of "rules"`],
      ['rules: []', `${FILE}:1: rules: expected a list of at least one rule`],
      ['version: 2\nrules: []', `${FILE}:1: version: 2 is not a version this asyncscope reads (it reads 1)`],
      ['alpah: 0.1\nrules: []', `${FILE}: unknown key "alpah" (did you mean alpha?)`],
      ['alpha: 0.9\nrules: []', `${FILE}:1: alpha: 0.9: expected a significance level above 0 and at most 0.5`],
      ['min_samples: 0\nrules: []', `${FILE}:1: min_samples: 0: expected a whole number of at least 1`],
      [rule('    max_increse: 5%'), `${FILE}:2: rules[0]: unknown key "max_increse" (did you mean max_increase?)`],
      [rule(''), `${FILE}:2: rules[0]: give exactly one of min, max, max_increase, max_decrease (none given)`],
      [rule('    min: 1\n    max: 2'), `${FILE}:2: rules[0]: give exactly one of min, max, max_increase, max_decrease (min and max given: write one rule per bound)`],
      [rule('    max_increase: 5 percent'), `${FILE}:4: rules[0].max_increase: "5 percent" is not a threshold`],
      [rule('    max_increase: -5%'), `${FILE}:4: rules[0].max_increase: "-5%" is not a threshold: give a number in the metric's units (0.8, 30), a percentage (5%) or percentage points (5pp), not negative`],
      [rule('    max: 1\n    runs: { latest: x, count: 0 }'), `${FILE}:5: rules[0].runs.count: 0: expected a whole number of at least 1`],
      [rule('    max: 1\n    runs: { label: x, count: 2 }'), `${FILE}:5: rules[0].runs.count: goes with latest only`],
      [rule('    max: 1\n    runs: { label: x, glob: y }'), `${FILE}:5: rules[0].runs: expected a run id or label`],
      [rule('    max: 1\n    runs: [a, b]'), `${FILE}:5: rules[0].runs: expected a run id or label`],
      [rule('    max: 1\n    by: node'), `${FILE}:5: rules[0].by: must be one of type, stage, pipeline`],
      [rule('    max: 1\n    informational: yes please'), `${FILE}:5: rules[0].informational: "yes please": expected true or false`],
      ['rules:\n  - name: r\n    metric: makespan\n    max: 1', `${FILE}:3: rules[0].metric: unknown metric "makespan" (did you mean makespan_s?)`],
      ['rules:\n  - metric: makespan_s\n    max: 1', `${FILE}: rules[0].name: missing`],
      ['rules:\n  - { name: r, metric: makespan_s, max: 1 }\n  - { name: r, metric: busy_s, max: 1 }', `${FILE}:3: rules[1].name: "r" names two rules`],
      ['baselines: [a]\nrules: []', `${FILE}:1: baselines: expected a mapping of names to baseline files`],
      ['defaults: { run: x }\nrules: []', `${FILE}:1: defaults: unknown key "run" (did you mean runs?)`],
      ['a: &a [1]\nb: *a\nb: 2\nrules: []', `${FILE}: not valid YAML`],
      [rule('    max: 1e999'), `${FILE}:4: rules[0].max: 1e999 is not a threshold`], // YAML reads it as Infinity: the value as written, not null
    ];
    for (const [text, message] of cases) expect(() => parseRulesFile(text, FILE), text).toThrow(message);
  });
});
