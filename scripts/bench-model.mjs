// Times the performance model on a random task-level DAG of N tasks (default 1,000,000):
//   npm run build && node scripts/bench-model.mjs [N]
// Not a test: a figure for the benchmark issue and the README. Seeded, so every run simulates the same DAG.
import { buildDag } from '../dist/model/dag.js';
import { simulateMode } from '../dist/model/simulate.js';
import { predict } from '../dist/model/predict.js';

const n = Number(process.argv[2] ?? 1_000_000);
let seed = 42;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);

// Each task has up to 3 parents among the 2000 tasks before it; 1-8 cores, a quarter use a GPU.
const from = [];
const to = [];
const graph = {
  taskCount: n,
  duration: new Float64Array(n),
  cores: new Float64Array(n),
  gpus: new Float64Array(n),
  groupOf: new Int32Array(n),
  groupStart: new Int32Array(n + 1),
  groupNames: new Array(n),
  groupTypes: new Array(n),
};
for (let i = 0; i < n; i++) {
  graph.duration[i] = 1 + Math.floor(random() * 600);
  graph.cores[i] = 1 + Math.floor(random() * 8);
  graph.gpus[i] = random() < 0.25 ? 1 : 0;
  graph.groupOf[i] = i;
  graph.groupStart[i] = i;
  graph.groupNames[i] = `t${i}`;
  graph.groupTypes[i] = `type${i % 7}`;
  const parents = i === 0 ? 0 : Math.floor(random() * 4);
  for (let k = 0; k < parents; k++) {
    from.push(Math.max(0, i - 1 - Math.floor(random() * 2000)));
    to.push(i);
  }
}
graph.groupStart[n] = n;
let t0 = performance.now();
graph.groups = buildDag(n, from, to);
console.log(`build DAG (${n} tasks, ${from.length} edges): ${((performance.now() - t0) / 1000).toFixed(2)} s`);

const platform = { kind: 'nodes', nodes: 1000, coresPerNode: 48, gpusPerNode: 4 };
for (const mode of ['async', 'sync', 'sequential']) {
  t0 = performance.now();
  const schedule = simulateMode(graph, platform, mode, 5);
  console.log(`simulate ${mode}: ${((performance.now() - t0) / 1000).toFixed(2)} s, makespan ${schedule.makespanS.toFixed(0)} s`);
}

// The whole of `predict` on a stage-level spec of n tasks in 100 stages.
const stages = [];
for (let s = 0; s < 100; s++) {
  const durations = Array.from({ length: n / 100 }, () => 1 + Math.floor(random() * 600));
  stages.push({ name: `S${s}`, type: `S${s % 5}`, durations, cores: 1 + (s % 8), gpus: s % 3 === 0 ? 1 : 0, after: s === 0 ? [] : [`S${Math.floor(random() * s)}`] });
}
t0 = performance.now();
const p = predict({ kind: 'stages', name: 'bench', platform, overheadS: 5, stages });
console.log(`predict (stage-level, ${n} tasks in 100 stages: sequential, sync, async, alone times): ${((performance.now() - t0) / 1000).toFixed(2)} s, async ${p.asyncS.toFixed(0)} s`);
