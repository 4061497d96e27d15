import * as Flags from '@oclif/core/flags';
import { BASE_FLAGS_WITHOUT_STORE, BaseCommand } from '../cli/base-command.js';
import { InputError } from '../errors.js';
import { generateRun } from '../synthetic/workflow.js';
import { writeDaskTaskStream, writeNextflowTrace, writeSnakemakeWorkdir } from '../synthetic/workflow-writers.js';
import { writeParslDatabase, writePegasusDatabase, writeSacct } from '../synthetic/hpc-writers.js';
import { writeCsv, writeJsonl, writeRadicalPilotSession } from '../synthetic/writers.js';

export default class Gen extends BaseCommand<typeof Gen> {
  static override hidden = true;
  static override summary = 'Write a synthetic trace of N tasks (for benchmarks and experiments)';
  static override description = `Seeded and reproducible: the same --tasks and --seed give the same file. Tasks of five types (simulate, aggregate, train, infer, analyze) follow a DAG of stages, repeated in pipelines of --per-pipeline tasks that overlap as in an asynchronous execution (each is released when half of the previous one's first stage has ended), scheduled on 16 nodes of 168 cores and 6 GPUs: a task starts only when a node has its cores and GPUs free, so the trace never uses more of the machine than it states. Formats: csv and jsonl (the tabular importer's), rp (a RADICAL-Pilot-like session .tgz with five profile events per task), nextflow (a trace with Nextflow's default fields), snakemake (a working directory: --out is a folder, one metadata record per job and the run's log), dask (a task stream as JSON Lines), sacct (sacct -P text, each job with its .batch and .extern steps), parsl (a Parsl monitoring.db), pegasus (a Pegasus stampede.db). Used by npm run bench; see docs/benchmark.md.`;

  static override examples = [
    { description: 'A million-task CSV', command: '<%= config.bin %> <%= command.id %> --tasks 1000000 --format csv --out /tmp/1m.csv' },
    { description: 'A RADICAL-Pilot-like session', command: '<%= config.bin %> <%= command.id %> --tasks 10000 --format rp --out /tmp/rp.session.synthetic.tgz' },
    { description: 'A Snakemake working directory of 1000 jobs', command: '<%= config.bin %> <%= command.id %> --tasks 1000 --format snakemake --out /tmp/snakemake-run' },
  ];

  static override baseFlags = BASE_FLAGS_WITHOUT_STORE;

  static override flags = {
    tasks: Flags.integer({ description: 'Number of tasks', required: true, min: 1 }),
    format: Flags.string({ description: 'Output format', options: ['csv', 'jsonl', 'rp', 'nextflow', 'snakemake', 'dask', 'sacct', 'parsl', 'pegasus'], required: true }),
    out: Flags.string({ description: 'Output file', required: true }),
    seed: Flags.integer({ description: 'Random seed', default: 1 }),
    'per-pipeline': Flags.integer({ description: 'Tasks per pipeline (one pass over the stage DAG)', default: 1000, min: 5 }),
  };

  public async run(): Promise<void> {
    const { tasks, format, out, seed } = this.flags;
    const run = generateRun({ tasks, seed, tasksPerPipeline: this.flags['per-pipeline'] });
    if (format === 'csv') writeCsv(run, out);
    else if (format === 'jsonl') writeJsonl(run, out);
    else if (format === 'rp') writeRadicalPilotSession(run, out, `rp.session.synthetic.${tasks}.${seed}`);
    else if (format === 'nextflow') writeNextflowTrace(run, out);
    else if (format === 'snakemake') writeSnakemakeWorkdir(run, out);
    else if (format === 'dask') writeDaskTaskStream(run, out);
    else if (format === 'sacct') writeSacct(run, out);
    else if (format === 'parsl') writeParslDatabase(run, out);
    else if (format === 'pegasus') writePegasusDatabase(run, out);
    else throw new InputError(`unknown format ${format}`);
    if (this.flags.json) this.printJson({ out, format, tasks: run.id.length, seed });
    else this.print(`wrote ${run.id.length} tasks to ${out} (${format}, seed ${seed})`);
  }
}
