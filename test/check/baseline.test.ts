/** Baseline files: what they hold, and refusing what is not one of the version this asyncscope reads. */
import { describe, expect, it } from 'vitest';
import type { RunAnalysisJson } from '../../src/analysis/analyze-run.js';
import { makeBaseline, parseBaseline } from '../../src/check/baseline.js';

const analyze = { id: 'r1', label: 'nightly', makespan_s: 100 } as unknown as RunAnalysisJson;

function baselineText(change: (doc: Record<string, unknown>) => void = () => {}): string {
  const doc = makeBaseline({
    asyncscopeVersion: '0.1.0',
    created: new Date('2025-01-31T12:00:00Z'),
    run: 'nightly',
    by: 'type',
    samples: [
      { id: 'r1', label: 'nightly', mode: 'async', analyze, compare: null },
      { id: 'r2', label: 'nightly', mode: 'async', analyze, compare: null },
    ],
    syncRun: null,
    spec: null,
    predict: null,
  }) as unknown as Record<string, unknown>;
  change(doc);
  return JSON.stringify(doc);
}

describe('baseline files', () => {
  it('hold the format, its version, the asyncscope version, the runs and the time', () => {
    const doc = parseBaseline(baselineText(), 'b.json', '0.1.0');
    expect(doc).toMatchObject({ format: 'asyncscope-baseline', version: 1, asyncscope_version: '0.1.0', created: '2025-01-31T12:00:00.000Z', run: 'nightly', label: 'nightly', by: 'type' });
    expect(doc.samples.map((s) => s.id)).toEqual(['r1', 'r2']);
  });

  it('refuses a format version this asyncscope does not read, saying what to do', () => {
    expect(() => parseBaseline(baselineText((d) => (d.version = 2)), 'b.json', '0.1.0')).toThrow(
      'b.json: baseline format version 2 is newer than this asyncscope reads (asyncscope 0.1.0 reads version 1; the file was saved by asyncscope 0.1.0): upgrade asyncscope, or save the baseline again with asyncscope baseline save',
    );
    expect(() => parseBaseline(baselineText((d) => (d.version = '1')), 'b.json', '0.1.0')).toThrow('b.json: baseline format version "1" is unknown');
    expect(() => parseBaseline(baselineText((d) => delete d.version), 'b.json', '0.1.0')).toThrow('baseline format version undefined is unknown');
  });

  it('refuses what is not a baseline, naming the field', () => {
    const cases: [string, string][] = [
      ['{"makespan_s": 1', 'b.json: not a baseline: not JSON'],
      ['[]', 'b.json: not an asyncscope baseline'],
      [JSON.stringify({ runs: [] }), 'b.json: not an asyncscope baseline'],
      [baselineText((d) => (d.samples = [])), 'b.json: samples: must be a list of at least one run'],
      [baselineText((d) => ((d.samples as Record<string, unknown>[])[1].analyze = 'x')), 'b.json: samples[1].analyze: missing or not an object'],
      [baselineText((d) => ((d.samples as Record<string, unknown>[])[0].id = 7)), 'b.json: samples[0].id: missing or not a string'],
      [baselineText((d) => (d.by = 'node')), 'b.json: by: must be one of type, stage, pipeline'],
      [baselineText((d) => (d.predict = [])), 'b.json: predict: must be an object or null'],
      [baselineText((d) => delete d.created), 'b.json: created: missing or not a string'],
    ];
    for (const [text, message] of cases) expect(() => parseBaseline(text, 'b.json', '0.1.0'), message).toThrow(message);
  });
});
