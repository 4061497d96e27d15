/**
 * The grammar of sacct's values: times, elapsed times, TRES strings, job ids, array expressions,
 * host lists and the dependencies of a submit line, checked value by value against what Slurm
 * prints (src/common/parse_time.c, hostlist.c, slurm_protocol_defs.c; sbatch's --dependency).
 */
import { describe, expect, it } from 'vitest';
import { parseDateTime } from '../../../src/importers/common/date-time.js';
import { parseTime } from '../../../src/importers/common/time.js';
import { dependenciesOf } from '../../../src/importers/sacct/dependencies.js';
import { parseTres, slurmElapsed, slurmTime, tresFromList } from '../../../src/importers/sacct/fields.js';
import { expandHostlist } from '../../../src/importers/sacct/hostlist.js';
import { arrayIndexes, bitmapIndexes, parseJobId, stepPhase } from '../../../src/importers/sacct/job-id.js';
import { slurmOutcome } from '../../../src/importers/sacct/states.js';

describe('sacct times', () => {
  it('read local date-times as UTC, epochs as they are, and Unknown/None/empty as unset', () => {
    expect(slurmTime('2026-12-01T22:44:39')).toBe(Date.UTC(2026, 11, 1, 22, 44, 39) / 1000);
    expect(slurmTime('1796165079')).toBe(1796165079);
    for (const unset of ['Unknown', 'None', '', 'N/A']) expect(slurmTime(unset)).toBeNull();
    expect(slurmTime('yesterday')).toBeNaN();
    expect(slurmTime('2026-13-01T00:00:00')).toBeNaN();
  });

  it('parse the fixed layouts digit by digit exactly as parseTime does, fractions included', () => {
    for (const text of ['2026-12-01 22:50:29.681246', '2026-12-01T00:00:00', '2024-02-29 23:59:59.5', '1999-12-31T23:59:59']) {
      expect(parseDateTime(text)).toBeCloseTo(parseTime(text), 6);
    }
    expect(parseDateTime('2026-12-01 22:50:29.681246') - parseDateTime('2026-12-01 22:50:28.000001')).toBeCloseTo(1.681245, 6);
    expect(parseDateTime('2026-12-01 25:00:00')).toBeNaN();
    expect(parseDateTime('2026-12-01 22:50:29.')).toBeNaN();
    expect(parseDateTime('2026-12-01 22:50:29.12x')).toBeNaN();
  });

  it('read elapsed times [D-]HH:MM:SS, MM:SS(.mmm), and UNLIMITED/INVALID as unset', () => {
    expect(slurmElapsed('00:00:06')).toBe(6);
    expect(slurmElapsed('1-02:03:04')).toBe(86400 + 7384);
    expect(slurmElapsed('12:34.500')).toBe(754.5);
    expect(slurmElapsed('UNLIMITED')).toBeNull();
    expect(slurmElapsed('INVALID')).toBeNull();
    expect(slurmElapsed('6 s')).toBeNaN();
  });
});

describe('TRES', () => {
  it('count GPUs once: the untyped total when Slurm lists it beside the typed counts', () => {
    expect(parseTres('billing=1,cpu=1,gres/gpu:a100=2,gres/gpu=2,node=1')).toEqual({ cpus: 1, gpus: 2, nodes: 1 });
    expect(parseTres('cpu=4,gres/gpu:a100=1,gres/gpu:v100=2,node=2')).toEqual({ cpus: 4, gpus: 3, nodes: 2 });
    expect(parseTres('billing=2,cpu=2,mem=4G,node=1')).toEqual({ cpus: 2, gpus: 0, nodes: 1 });
    expect(parseTres('')).toBeNull();
    expect(parseTres('cpu=1,gres/gpu=two')!.gpus).toBeNaN();
  });

  it('read the same from the JSON list form', () => {
    const list = [
      { type: 'cpu', name: null, count: 2 },
      { type: 'gres', name: 'gpu', count: 1 },
      { type: 'gres', name: 'gpu:a100', count: 1 },
      { type: 'node', name: null, count: 1 },
    ];
    expect(tresFromList(list)).toEqual({ cpus: 2, gpus: 1, nodes: 1 });
    expect(tresFromList([{ type: 'gres', name: 'gpu:a100', count: 2 }])!.gpus).toBe(2);
    expect(tresFromList([])).toBeNull();
  });
});

describe('job ids', () => {
  it('tell jobs, steps, array elements, pending ranges and heterogeneous components apart', () => {
    expect(parseJobId('15')).toMatchObject({ allocation: '15', step: null, base: '15', arrayIndex: null, hetOffset: null });
    expect(parseJobId('15.batch')).toMatchObject({ allocation: '15', step: 'batch' });
    expect(parseJobId('14_7.extern')).toMatchObject({ allocation: '14_7', step: 'extern', base: '14', arrayIndex: 7 });
    expect(parseJobId('14_[4-8%3]')).toMatchObject({ allocation: '14_[4-8%3]', base: '14', arrayPending: '4-8%3' });
    expect(parseJobId('16+1.0')).toMatchObject({ allocation: '16+1', step: '0', base: '16', hetOffset: 1 });
    for (const bad of ['', 'job', '15.', '14_x', '16+', '15 ']) expect(parseJobId(bad)).toBeNull();
  });

  it('expand array expressions and 22.05 bitmaps, within a limit', () => {
    expect(arrayIndexes('4-8%3', 100)).toEqual([4, 5, 6, 7, 8]);
    expect(arrayIndexes('1,3,5-7', 100)).toEqual([1, 3, 5, 6, 7]);
    expect(arrayIndexes('0-15:4', 100)).toEqual([0, 4, 8, 12]);
    expect(() => arrayIndexes('1-4000000000', 1000)).toThrow(/more than 1000/);
    expect(() => arrayIndexes('8-4', 100)).toThrow(/not an array index expression/);
    expect(bitmapIndexes('0x1F0', 100)).toEqual([4, 5, 6, 7, 8]);
    expect(bitmapIndexes('0x1', 100)).toEqual([0]);
    expect(() => bitmapIndexes('0xZZ', 100)).toThrow(/not a hexadecimal bitmap/);
  });

  it('name step phases so that durations reads naturally', () => {
    expect(stepPhase('batch')).toBe('batch');
    expect(stepPhase('0')).toBe('step0');
    expect(stepPhase('interactive')).toBe('interactive');
  });
});

describe('host lists', () => {
  it('expand ranges with their padding, several groups, and top-level commas', () => {
    expect(expandHostlist('node1')).toEqual(['node1']);
    expect(expandHostlist('node[08-10,13]')).toEqual(['node08', 'node09', 'node10', 'node13']);
    expect(expandHostlist('rack[1-2]-n[1-2]')).toEqual(['rack1-n1', 'rack1-n2', 'rack2-n1', 'rack2-n2']);
    expect(expandHostlist('aux1,node[1-2]')).toEqual(['aux1', 'node1', 'node2']);
  });

  it('refuse malformed and gigantic lists', () => {
    expect(() => expandHostlist('node[1-2')).toThrow(/without "\]"/);
    expect(() => expandHostlist('node[a-b]')).toThrow(/not a number or a range/);
    expect(() => expandHostlist('n[1-999999999]', 1000)).toThrow(/more than 1000 hosts/);
  });
});

describe('dependencies of a submit line', () => {
  it('read -d, --dependency= and --dependency in their forms', () => {
    expect(dependenciesOf('sbatch --parsable -J workflow-sync-B2 -D /tmp/out -n1 -c1 --gres=gpu:1 -d afterok:2:3 -t 5 task.sh 20')).toEqual([
      { kind: 'afterok', job: '2' },
      { kind: 'afterok', job: '3' },
    ]);
    expect(dependenciesOf('sbatch --dependency=afterany:18,afterok:14_3 job.sh')).toEqual([
      { kind: 'afterany', job: '18' },
      { kind: 'afterok', job: '14_3' },
    ]);
    expect(dependenciesOf('sbatch --dependency afternotok:7?aftercorr:9 job.sh')).toEqual([
      { kind: 'afternotok', job: '7' },
      { kind: 'aftercorr', job: '9' },
    ]);
    expect(dependenciesOf('sbatch -Hdafterok:5 job.sh')).toEqual([{ kind: 'afterok', job: '5' }]);
  });

  it('leave out start dependencies, singleton, and what comes after the script', () => {
    expect(dependenciesOf('sbatch -d after:5+10,singleton job.sh')).toEqual([]);
    expect(dependenciesOf('sbatch -J x job.sh -d afterok:5')).toEqual([]);
    expect(dependenciesOf('sbatch --hold -d afterok:5 job.sh')).toEqual([{ kind: 'afterok', job: '5' }]);
    expect(dependenciesOf('srun -J srun-direct -n1 -c1 sleep 2')).toEqual([]);
    expect(dependenciesOf('')).toEqual([]);
  });
});

describe('Slurm states', () => {
  it('map to outcomes by their first word, reasons and unknown states aside', () => {
    expect(slurmOutcome('COMPLETED')).toBe('done');
    expect(slurmOutcome('CANCELLED by 0')).toBe('cancelled');
    expect(slurmOutcome('TIMEOUT')).toBe('timeout');
    expect(slurmOutcome('OUT_OF_MEMORY')).toBe('failed');
    expect(slurmOutcome('NODE_FAIL')).toBe('failed');
    expect(slurmOutcome('PREEMPTED')).toBe('cancelled');
    expect(slurmOutcome('RUNNING')).toBe('running');
    expect(slurmOutcome('PENDING')).toBe('pending');
    expect(slurmOutcome('WHATEVER')).toBeNull();
    expect(slurmOutcome(null)).toBeNull();
  });
});
