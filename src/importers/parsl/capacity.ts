/**
 * The machine of a Parsl run, from the `node` table: one row per report of a
 * HighThroughputExecutor manager (hostname, cpu_count, worker_count; newer Parsl adds the manager's
 * uid). Parsl's thread pool writes no rows: such runs have no capacity unless the user gives it.
 *
 * Parsl runs one task per worker. A task's share of its node is therefore taken as the node's CPUs
 * over the workers on it (`cores_per_worker` as Parsl applied it, max_workers included), so that
 * utilization reads as the workers' occupancy, and the model packs as many tasks on a node as
 * Parsl had workers there. Tasks on unknown hosts keep unknown cores.
 */
import type { Capacity } from '../../run/capacity.js';
import type { ForeignDatabase } from '../../store/foreign-sqlite.js';

export interface ParslMachine {
  capacity: Capacity;
  /** CPUs per worker on each host. */
  coresPerTask: Map<string, number>;
  /** Managers seen (distinct uids, or hosts when the schema has no uid). */
  managers: number;
}

export function parslMachine(db: ForeignDatabase, runId: string): ParslMachine | null {
  if (!db.hasTable('node')) return null;
  const columns = db.columns('node');
  if (!['hostname', 'cpu_count', 'worker_count', 'run_id'].every((c) => columns.includes(c))) return null;
  const withUid = columns.includes('uid');
  const managers = new Map<string, { host: string; cpus: number; workers: number }>();
  for (const row of db.rows('node', ['hostname', 'cpu_count', 'worker_count', ...(withUid ? ['uid'] : [])], { where: { run_id: runId } })) {
    const [host, cpus, workers, uid] = row as [unknown, unknown, unknown, unknown];
    if (typeof host !== 'string' || typeof cpus !== 'number' || typeof workers !== 'number' || !(cpus > 0) || !(workers >= 0)) continue;
    const key = typeof uid === 'string' && uid !== '' ? uid : host;
    const known = managers.get(key);
    if (!known) managers.set(key, { host, cpus, workers });
    else {
      known.cpus = Math.max(known.cpus, cpus);
      known.workers = Math.max(known.workers, workers);
    }
  }
  if (managers.size === 0) return null;
  const hosts = new Map<string, { cpus: number; workers: number }>();
  for (const manager of managers.values()) {
    const host = hosts.get(manager.host);
    if (!host) hosts.set(manager.host, { cpus: manager.cpus, workers: manager.workers });
    else {
      host.cpus = Math.max(host.cpus, manager.cpus);
      host.workers += manager.workers;
    }
  }
  const cpus = [...hosts.values()].map((h) => h.cpus);
  const coresPerTask = new Map<string, number>();
  for (const [name, host] of hosts) if (host.workers > 0) coresPerTask.set(name, host.cpus / host.workers);
  return {
    capacity: {
      nodes: hosts.size,
      coresPerNode: cpus.every((c) => c === cpus[0]) ? cpus[0] : null,
      gpusPerNode: null,
      cores: cpus.reduce((a, b) => a + b, 0),
      gpus: null,
    },
    coresPerTask,
    managers: managers.size,
  };
}
