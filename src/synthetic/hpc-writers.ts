/**
 * The synthetic run written as HPC systems record it, for the benchmark rows of the sacct, Parsl
 * and Pegasus importers: the same tasks as the CSV, in what each system writes about them.
 *
 * - sacct: `sacct -P` with the fields users commonly ask for, each job with its `.batch` and
 *   `.extern` steps (Slurm prints both for every sbatch job with PrologFlags=Contain), times to
 *   the second as Slurm keeps them.
 * - Parsl: a monitoring.db of current Parsl's schema: a workflow, and per task its task row, one
 *   try and the five states of a successful try; a node row per node, a worker per 4 CPUs.
 * - Pegasus: a stampede.db (schema version 14, with the primary keys and UNIQUE constraints
 *   pegasus-monitord's schema declares: UNIQUE_JOB and the like): per task a compute job with one
 *   instance, its seven job states (submit to the post script's success), the kickstart and
 *   post-script invocations.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ForeignWriter, type ForeignTable } from '../store/foreign-writer.js';
import type { SyntheticRun } from './workflow.js';

/** Seconds a job waited in the queue, and for its dependencies, before it started. */
const QUEUED_S = 30;
const ELIGIBLE_S = 5;

export function writeSacct(run: SyntheticRun, file: string): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const fd = fs.openSync(file, 'w');
  let buffer = 'JobID|JobIDRaw|JobName|Partition|Account|User|State|ExitCode|Submit|Eligible|Start|End|Elapsed|AllocCPUS|AllocTRES|NNodes|NodeList|SubmitLine\n';
  for (let i = 0; i < run.id.length; i++) {
    const id = 1000 + i;
    const start = Math.round(run.start[i]);
    const end = Math.max(start, Math.round(run.end[i]));
    const [s, e, submit, eligible] = [start, end, start - QUEUED_S, start - ELIGIBLE_S].map(slurmDate);
    const elapsed = elapsedText(end - start);
    const cores = run.cores[i];
    const gpus = run.gpus[i];
    const gres = gpus > 0 ? `,gres/gpu=${gpus}` : '';
    const node = run.node[i];
    buffer +=
      `${id}|${id}|${run.type[i]}|batch|science|alice|COMPLETED|0:0|${submit}|${eligible}|${s}|${e}|${elapsed}|${cores}|billing=${cores},cpu=${cores}${gres},node=1|1|${node}|` +
      `sbatch -J ${run.type[i]} -n1 -c${cores}${gpus > 0 ? ` --gres=gpu:${gpus}` : ''} ${run.type[i]}.sh\n` +
      `${id}.batch|${id}.batch|batch||science||COMPLETED|0:0|${s}|${s}|${s}|${e}|${elapsed}|${cores}|cpu=${cores}${gres},mem=0,node=1|1|${node}|\n` +
      `${id}.extern|${id}.extern|extern||science||COMPLETED|0:0|${s}|${s}|${s}|${e}|${elapsed}|${cores}|billing=${cores},cpu=${cores}${gres},node=1|1|${node}|\n`;
    if (buffer.length > 1 << 20) {
      fs.writeSync(fd, buffer);
      buffer = '';
    }
  }
  fs.writeSync(fd, buffer);
  fs.closeSync(fd);
}

const PARSL_TABLES: ForeignTable[] = [
  {
    name: 'workflow',
    columns: [['run_id', 'TEXT NOT NULL'], ['workflow_name', 'TEXT'], ['workflow_version', 'TEXT'], ['time_began', 'DATETIME NOT NULL'], ['time_completed', 'DATETIME'],
      ['host', 'TEXT NOT NULL'], ['user', 'TEXT NOT NULL'], ['rundir', 'TEXT NOT NULL'], ['tasks_failed_count', 'INTEGER NOT NULL'], ['tasks_completed_count', 'INTEGER NOT NULL']],
    primaryKey: ['run_id'],
  },
  {
    name: 'task',
    columns: [['task_id', 'INTEGER NOT NULL'], ['run_id', 'TEXT NOT NULL'], ['task_depends', 'TEXT'], ['task_func_name', 'TEXT NOT NULL'], ['task_memoize', 'TEXT NOT NULL'],
      ['task_hashsum', 'TEXT'], ['task_inputs', 'TEXT'], ['task_outputs', 'TEXT'], ['task_stdin', 'TEXT'], ['task_stdout', 'TEXT'], ['task_stderr', 'TEXT'],
      ['task_time_invoked', 'DATETIME'], ['task_time_returned', 'DATETIME'], ['task_fail_count', 'INTEGER NOT NULL'], ['task_fail_cost', 'FLOAT NOT NULL']],
    primaryKey: ['task_id', 'run_id'],
  },
  {
    name: 'try',
    columns: [['try_id', 'INTEGER NOT NULL'], ['task_id', 'INTEGER NOT NULL'], ['run_id', 'TEXT NOT NULL'], ['block_id', 'TEXT'], ['hostname', 'TEXT'], ['task_executor', 'TEXT NOT NULL'],
      ['task_try_time_launched', 'DATETIME'], ['task_try_time_running', 'DATETIME'], ['task_try_time_returned', 'DATETIME'], ['task_fail_history', 'TEXT'], ['task_joins', 'TEXT']],
    primaryKey: ['try_id', 'task_id', 'run_id'],
  },
  {
    name: 'status',
    columns: [['task_id', 'INTEGER NOT NULL'], ['task_status_name', 'TEXT NOT NULL'], ['timestamp', 'DATETIME NOT NULL'], ['run_id', 'TEXT NOT NULL'], ['try_id', 'INTEGER NOT NULL']],
    primaryKey: ['task_id', 'run_id', 'task_status_name', 'timestamp'],
  },
  {
    name: 'node',
    columns: [['id', 'INTEGER NOT NULL'], ['run_id', 'TEXT NOT NULL'], ['hostname', 'TEXT NOT NULL'], ['uid', 'TEXT NOT NULL'], ['block_id', 'TEXT NOT NULL'], ['cpu_count', 'INTEGER NOT NULL'],
      ['total_memory', 'BIGINT NOT NULL'], ['active', 'BOOLEAN NOT NULL'], ['worker_count', 'INTEGER NOT NULL'], ['python_v', 'TEXT NOT NULL'], ['timestamp', 'DATETIME NOT NULL'], ['last_heartbeat', 'DATETIME NOT NULL']],
    primaryKey: ['id'],
  },
];

export function writeParslDatabase(run: SyntheticRun, file: string): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = ForeignWriter.create(file, PARSL_TABLES);
  const runId = '00000000-0000-4000-8000-000000000001';
  const { first, last } = span(run);
  db.row('workflow', runId, 'synthetic', parslDate(first - 120), parslDate(first - 120), parslDate(last + 5), 'login1', 'alice', '/runinfo/000', 0, run.id.length);
  for (let n = 0; n < run.nodes; n++) {
    const host = `node${String(n).padStart(3, '0')}`;
    db.row('node', n + 1, runId, host, `manager${n}`, '0', run.coresPerNode, 512e9, 1, run.coresPerNode / 4, '3.11.2', parslDate(first - 60), parslDate(first - 60));
  }
  for (let i = 0; i < run.id.length; i++) {
    const start = run.start[i];
    const end = run.end[i];
    const [invoked, launched, running, ended, returned] = [start - QUEUED_S, start - ELIGIBLE_S, start, end - 0.01, end].map(parslDate);
    db.row('task', i, runId, '', run.type[i], 'False', null, '', '', '', '', '', invoked, returned, 0, 0);
    db.row('try', 0, i, runId, '0', run.node[i], 'htex', launched, running, returned, null, null);
    db.row('status', i, 'pending', invoked, runId, 0);
    db.row('status', i, 'launched', launched, runId, 0);
    db.row('status', i, 'running', running, runId, 0);
    db.row('status', i, 'running_ended', ended, runId, 0);
    db.row('status', i, 'exec_done', parslDate(end + 0.001), runId, 0);
  }
  db.finish();
}

const PEGASUS_TABLES: ForeignTable[] = [
  { name: 'dbversion', columns: [['id', 'INTEGER NOT NULL'], ['version_number', 'INTEGER'], ['version', 'VARCHAR(50) NOT NULL'], ['version_timestamp', 'INTEGER NOT NULL']], primaryKey: ['id'] },
  {
    name: 'workflow',
    columns: [['wf_id', 'INTEGER NOT NULL'], ['wf_uuid', 'VARCHAR(255) NOT NULL'], ['dag_file_name', 'VARCHAR(255)'], ['timestamp', 'NUMERIC(16, 6)'], ['submit_hostname', 'VARCHAR(255)'],
      ['submit_dir', 'TEXT'], ['planner_arguments', 'TEXT'], ['user', 'VARCHAR(255)'], ['grid_dn', 'VARCHAR(255)'], ['planner_version', 'VARCHAR(255)'], ['dax_label', 'VARCHAR(255)'],
      ['dax_version', 'VARCHAR(255)'], ['dax_file', 'VARCHAR(255)'], ['db_url', 'TEXT'], ['parent_wf_id', 'INTEGER'], ['root_wf_id', 'INTEGER']],
    primaryKey: ['wf_id'],
  },
  {
    name: 'workflowstate',
    columns: [['wf_id', 'INTEGER NOT NULL'], ['state', 'VARCHAR(19) NOT NULL'], ['timestamp', 'NUMERIC(16, 6) NOT NULL'], ['restart_count', 'INTEGER NOT NULL'], ['status', 'INTEGER'], ['reason', 'TEXT']],
    primaryKey: ['wf_id', 'state', 'timestamp'],
  },
  {
    name: 'host',
    columns: [['host_id', 'INTEGER NOT NULL'], ['wf_id', 'INTEGER NOT NULL'], ['site', 'VARCHAR(255) NOT NULL'], ['hostname', 'VARCHAR(255) NOT NULL'], ['ip', 'VARCHAR(255) NOT NULL'],
      ['uname', 'VARCHAR(255)'], ['total_memory', 'INTEGER']],
    primaryKey: ['host_id'],
    unique: { UNIQUE_HOST: ['wf_id', 'site', 'hostname', 'ip'] },
  },
  {
    name: 'job',
    columns: [['job_id', 'INTEGER NOT NULL'], ['wf_id', 'INTEGER NOT NULL'], ['exec_job_id', 'VARCHAR(255) NOT NULL'], ['submit_file', 'VARCHAR(255) NOT NULL'], ['type_desc', 'VARCHAR(14) NOT NULL'],
      ['clustered', 'BOOLEAN NOT NULL'], ['max_retries', 'INTEGER NOT NULL'], ['executable', 'TEXT NOT NULL'], ['argv', 'TEXT'], ['task_count', 'INTEGER NOT NULL']],
    primaryKey: ['job_id'],
    unique: { UNIQUE_JOB: ['wf_id', 'exec_job_id'] },
  },
  { name: 'job_edge', columns: [['wf_id', 'INTEGER NOT NULL'], ['parent_exec_job_id', 'VARCHAR(255) NOT NULL'], ['child_exec_job_id', 'VARCHAR(255) NOT NULL']], primaryKey: ['wf_id', 'parent_exec_job_id', 'child_exec_job_id'] },
  {
    name: 'job_instance',
    columns: [['job_instance_id', 'INTEGER NOT NULL'], ['job_id', 'INTEGER NOT NULL'], ['host_id', 'INTEGER'], ['job_submit_seq', 'INTEGER NOT NULL'], ['sched_id', 'VARCHAR(255)'], ['site', 'VARCHAR(255)'],
      ['user', 'VARCHAR(255)'], ['work_dir', 'TEXT'], ['cluster_start', 'NUMERIC(16, 6)'], ['cluster_duration', 'NUMERIC(10, 3)'], ['local_duration', 'NUMERIC(10, 3)'], ['subwf_id', 'INTEGER'],
      ['stdout_file', 'VARCHAR(255)'], ['stdout_text', 'TEXT'], ['stderr_file', 'VARCHAR(255)'], ['stderr_text', 'TEXT'], ['stdin_file', 'VARCHAR(255)'], ['multiplier_factor', 'INTEGER NOT NULL'], ['exitcode', 'INTEGER']],
    primaryKey: ['job_instance_id'],
    unique: { UNIQUE_JOB_INSTANCE: ['job_id', 'job_submit_seq'] },
  },
  {
    name: 'jobstate',
    columns: [['job_instance_id', 'INTEGER NOT NULL'], ['state', 'VARCHAR(255) NOT NULL'], ['timestamp', 'NUMERIC(16, 6) NOT NULL'], ['jobstate_submit_seq', 'INTEGER NOT NULL'], ['reason', 'TEXT']],
    primaryKey: ['job_instance_id', 'state', 'timestamp', 'jobstate_submit_seq'],
  },
  {
    name: 'task',
    columns: [['task_id', 'INTEGER NOT NULL'], ['wf_id', 'INTEGER NOT NULL'], ['job_id', 'INTEGER'], ['abs_task_id', 'VARCHAR(255) NOT NULL'], ['transformation', 'TEXT NOT NULL'], ['argv', 'TEXT'], ['type_desc', 'VARCHAR(255) NOT NULL']],
    primaryKey: ['task_id'],
  },
  {
    name: 'invocation',
    columns: [['invocation_id', 'INTEGER NOT NULL'], ['wf_id', 'INTEGER NOT NULL'], ['job_instance_id', 'INTEGER NOT NULL'], ['task_submit_seq', 'INTEGER NOT NULL'], ['start_time', 'NUMERIC(16, 6) NOT NULL'],
      ['remote_duration', 'NUMERIC(10, 3) NOT NULL'], ['remote_cpu_time', 'NUMERIC(10, 3)'], ['exitcode', 'INTEGER NOT NULL'], ['transformation', 'TEXT NOT NULL'], ['executable', 'TEXT NOT NULL'],
      ['argv', 'TEXT'], ['abs_task_id', 'VARCHAR(255)'], ['maxrss', 'INTEGER'], ['avg_cpu', 'NUMERIC(16, 6)']],
    primaryKey: ['invocation_id'],
    unique: { UNIQUE_INVOCATION: ['job_instance_id', 'task_submit_seq'] },
  },
];

export function writePegasusDatabase(run: SyntheticRun, file: string): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = ForeignWriter.create(file, PEGASUS_TABLES);
  const { first, last } = span(run);
  db.row('dbversion', 1, 14, '14', Math.floor(first));
  db.row('workflow', 1, '00000000-0000-4000-8000-000000000002', 'synthetic-0.dag', first - 200, 'submit1', '/submit/synthetic', '', 'alice', null, '5.0.5', 'synthetic', '5.0', 'synthetic.yml', null, null, 1);
  db.row('workflowstate', 1, 'WORKFLOW_STARTED', first - 190, 0, null, null);
  db.row('workflowstate', 1, 'WORKFLOW_TERMINATED', last + 10, 0, 0, null);
  for (let n = 0; n < run.nodes; n++) db.row('host', n + 1, 1, 'condorpool', `node${String(n).padStart(3, '0')}`, `10.0.0.${n + 1}`, 'linux-x86_64', null);
  let invocation = 0;
  for (let i = 0; i < run.id.length; i++) {
    const job = i + 1;
    const start = run.start[i];
    const end = run.end[i];
    const name = `${run.type[i]}_ID${String(job).padStart(7, '0')}`;
    const host = Number(run.node[i].slice(4)) + 1;
    db.row('job', job, 1, name, `${name}.sub`, 'compute', 0, 1, `/bin/${run.type[i]}`, null, 1);
    db.row('task', job, 1, job, `ID${String(job).padStart(7, '0')}`, run.type[i], null, 'compute');
    db.row('job_instance', job, job, host, 1, `${job}.0`, 'condorpool', 'alice', '/scratch', null, null, Math.round(end - start), null, null, null, null, null, null, 1, 0);
    const states: [string, number][] = [
      ['SUBMIT', start - QUEUED_S], ['EXECUTE', start], ['JOB_TERMINATED', end], ['JOB_SUCCESS', end + 1],
      ['POST_SCRIPT_STARTED', end + 1], ['POST_SCRIPT_TERMINATED', end + 2], ['POST_SCRIPT_SUCCESS', end + 6],
    ];
    states.forEach(([state, time], k) => db.row('jobstate', job, state, time, k + 1, null));
    db.row('invocation', ++invocation, 1, job, 1, start + 0.5, Math.max(0, end - start - 1), null, 0, run.type[i], `/bin/${run.type[i]}`, null, `ID${String(job).padStart(7, '0')}`, null, null);
    db.row('invocation', ++invocation, 1, job, -2, end + 1, 1, 1, 0, 'dagman::post', 'pegasus-exitcode', null, null, null, null);
  }
  db.finish();
}

/** First start and last end (a loop: a spread of a million arguments overflows the stack). */
function span(run: SyntheticRun): { first: number; last: number } {
  let first = Infinity;
  let last = -Infinity;
  for (let i = 0; i < run.start.length; i++) {
    if (run.start[i] < first) first = run.start[i];
    if (run.end[i] > last) last = run.end[i];
  }
  return { first, last };
}

/** `2026-12-01T22:44:39`: sacct's local time, here UTC. */
function slurmDate(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 19);
}

/** `2026-12-01 22:50:29.681246`: SQLAlchemy's DATETIME as Parsl's database holds it. */
function parslDate(seconds: number): string {
  const whole = Math.floor(seconds);
  const micro = Math.round((seconds - whole) * 1e6);
  const [date, time] = new Date((whole + (micro === 1e6 ? 1 : 0)) * 1000).toISOString().slice(0, 19).split('T');
  return `${date} ${time}.${String(micro === 1e6 ? 0 : micro).padStart(6, '0')}`;
}

function elapsedText(seconds: number): string {
  const days = Math.floor(seconds / 86400);
  const rest = seconds % 86400;
  const hms = [Math.floor(rest / 3600), Math.floor((rest % 3600) / 60), rest % 60].map((v) => String(v).padStart(2, '0')).join(':');
  return days > 0 ? `${days}-${hms}` : hms;
}
