/**
 * Metric paths: every family parses to its canonical text, names with dots go in brackets,
 * unknown metrics are refused with the list, and values are read from untrusted documents.
 */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { KNOWN_METRICS, metricValue, parseMetric } from '../../src/check/metrics.js';

const analysis = {
  by: 'stage',
  makespan_s: 1332.734,
  utilization: { cpu: 0.3151, gpu: null },
  asynchronicity: { async_fraction: 0.5275, doa: 1.5275 },
  groups: [
    { name: 'pipeline.0000/stage.0002', tasks: 96, busy_s: 771.494, duration_s: { median: 769.32 } },
    { name: 'T4T5', tasks: 16, busy_s: 231.532, duration_s: { median: 230.738 } },
    { name: 'T7', tasks: 16, busy_s: 462.574, duration_s: { median: 461.684 } },
  ],
  overlap: [{ a: 'pipeline.0000/stage.0002', b: 'T4T5', seconds: 231.532, fraction: 1 }],
};

describe('parseMetric', () => {
  it('knows the fields of analyze, compare and predict', () => {
    expect(parseMetric('makespan_s')).toMatchObject({ text: 'makespan_s', source: 'analyze', unit: 'seconds', kind: 'field', path: ['makespan_s'] });
    expect(parseMetric(' utilization.gpu ')).toMatchObject({ text: 'utilization.gpu', unit: 'fraction', path: ['utilization', 'gpu'] });
    expect(parseMetric('asynchronicity.doa').source).toBe('analyze');
    expect(parseMetric('compare.error.async')).toMatchObject({ source: 'compare', path: ['error', 'async'] });
    expect(parseMetric('compare.error.improvement_pp').unit).toBe('pp');
    expect(parseMetric('predict.improvement.vs_sync')).toMatchObject({ source: 'predict', unit: 'fraction', path: ['improvement', 'vs_sync'] });
    for (const known of KNOWN_METRICS) expect(parseMetric(known.replace('NAME', 'T0').replace('A.B', 'T0.T1')).source).toBeDefined();
  });

  it('reads group and overlap names, bare or in brackets, quoted or not', () => {
    expect(parseMetric('groups.T3T6.duration_s.median')).toMatchObject({ text: 'groups.T3T6.duration_s.median', kind: 'group', groups: ['T3T6'], path: ['duration_s', 'median'] });
    const dotted = parseMetric('groups[pipeline.0000/stage.0002].busy_s');
    expect(dotted).toMatchObject({ groups: ['pipeline.0000/stage.0002'], path: ['busy_s'], text: 'groups[pipeline.0000/stage.0002].busy_s' });
    expect(parseMetric('groups["pipeline.0000/stage.0002"].busy_s')).toEqual(dotted);
    expect(parseMetric('groups.[pipeline.0000/stage.0002].busy_s')).toEqual(dotted);
    expect(parseMetric('groups["a]b \\"c\\""].tasks')).toMatchObject({ groups: ['a]b "c"'], text: 'groups["a]b \\"c\\""].tasks' });
    expect(parseMetric('groups.sleep 4c+1g.busy_s').groups).toEqual(['sleep 4c+1g']);
    expect(parseMetric('overlap[pipeline.0000/stage.0002].T4T5.seconds')).toMatchObject({ kind: 'overlap', groups: ['pipeline.0000/stage.0002', 'T4T5'], path: ['seconds'] });
    expect(parseMetric('overlap[a][b].fraction').groups).toEqual(['a', 'b']);
  });

  it('refuses an unknown metric, naming it, suggesting the closest and listing the known ones', () => {
    for (const bad of ['makespan', 'utilization', 'utilization.tpu', 'groups.T3T6', 'groups.T3T6.busy', 'groups[T3T6.busy_s', 'groups[].busy_s', 'overlap.a.seconds', 'makespan_s.', '.makespan_s', 'compare.error', 'predict', '', 'groups.T3T6.[busy_s]', 'makespan_s[x]']) {
      expect(() => parseMetric(bad), bad).toThrow(InputError);
    }
    expect(() => parseMetric('makespan')).toThrow(/^unknown metric "makespan" \(did you mean makespan_s\?\); known metrics: makespan_s, busy_s, .*groups\.NAME\.\{tasks.*compare\.\{.*predict\.\{/);
  });
});

describe('metricValue', () => {
  it('reads fields, groups and overlaps', () => {
    expect(metricValue(parseMetric('makespan_s'), { analyze: analysis }, 'run x')).toBe(1332.734);
    expect(metricValue(parseMetric('groups[pipeline.0000/stage.0002].duration_s.median'), { analyze: analysis }, 'run x')).toBe(769.32);
    expect(metricValue(parseMetric('overlap.T4T5[pipeline.0000/stage.0002].seconds'), { analyze: analysis }, 'run x')).toBe(231.532);
  });

  it('gives 0 for two groups that never overlapped, and null for a figure not measured', () => {
    expect(metricValue(parseMetric('overlap.T4T5.T7.seconds'), { analyze: analysis }, 'run x')).toBe(0);
    expect(metricValue(parseMetric('utilization.gpu'), { analyze: analysis }, 'run x')).toBeNull();
  });

  it('names the groups the run has when a group is unknown', () => {
    expect(() => metricValue(parseMetric('groups.T3T6.busy_s'), { analyze: analysis }, 'run x')).toThrow(
      'run x has no group "T3T6" for groups.T3T6.busy_s (its groups by stage: pipeline.0000/stage.0002, T4T5, T7)',
    );
  });

  it('treats documents as untrusted', () => {
    expect(() => metricValue(parseMetric('makespan_s'), { analyze: { makespan_s: '1332' } }, 'baseline b.json')).toThrow('baseline b.json: makespan_s is "1332", not a number');
    expect(() => metricValue(parseMetric('utilization.gpu'), { analyze: { utilization: 3 } }, 'baseline b.json')).toThrow(/missing/);
    expect(() => metricValue(parseMetric('groups.T7.busy_s'), { analyze: { groups: 'T7' } }, 'b')).toThrow(/no group "T7"/);
    expect(() => metricValue(parseMetric('compare.error.async'), { analyze: analysis }, 'baseline b.json')).toThrow('baseline b.json: no compare results to read compare.error.async from');
  });
});
