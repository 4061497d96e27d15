/**
 * Job dependencies as a job's submit line states them (sacct's `SubmitLine`, `submit_line` in
 * `--json` from Slurm 23.02): `sbatch -d afterok:2:3 job.sh`, `--dependency=afterany:18`,
 * `--dependency afterok:14_3,afterok:15`. sacct has no dependency field of its own, and a
 * dependency given inside the script (`#SBATCH -d ...`) or added later (`scontrol update`) is not
 * in the submit line: such runs have no edges.
 *
 * Only dependencies on the end of another job make an edge (the parent ends before the child
 * starts): afterok, afterany, afternotok, aftercorr, afterburstbuffer. `after` (start after the
 * other started) and `singleton` (one job of a name at a time) are not such order and are left out.
 */

export type DependencyKind = 'afterok' | 'afterany' | 'afternotok' | 'aftercorr' | 'afterburstbuffer';

export interface Dependency {
  kind: DependencyKind;
  /** The job as written: `2`, `14_3` (one array element), `14` (a whole array or a het job). */
  job: string;
}

const KINDS = new Set<string>(['afterok', 'afterany', 'afternotok', 'aftercorr', 'afterburstbuffer']);

/**
 * Options of sbatch/srun/salloc that take a value in the next word when written without `=`
 * (their short forms). Needed to find where the options end and the script and its own
 * arguments begin: a `-d` after the script name is the script's, not Slurm's.
 */
const SHORT_WITH_VALUE = new Set('AabBcCDdeFGiJLMmNnopqSTtwx'.split(''));

/** Long options that take no value, or only one written with `=`. */
const LONG_WITHOUT_VALUE = new Set([
  'hold', 'parsable', 'wait', 'requeue', 'no-requeue', 'test-only', 'contiguous', 'overcommit', 'spread-job',
  'use-min-nodes', 'quiet', 'verbose', 'exclusive', 'oversubscribe', 'ignore-pbs', 'help', 'usage', 'version',
  'get-user-env', 'no-kill', 'propagate', 'exact', 'pty', 'label', 'unbuffered', 'multi-prog', 'disable-status',
  'no-allocate', 'kill-on-bad-exit', 'overlap', 'whole', 'x11', 'reboot', 'nice', 'bell', 'no-bell',
]);

/** The dependencies a submit line gives; empty when it gives none (or is not a submit line). */
export function dependenciesOf(submitLine: string): Dependency[] {
  const words = submitLine.trim().split(/\s+/);
  const specs: string[] = [];
  // words[0] is the command (sbatch, srun, salloc, or a path to one).
  for (let i = 1; i < words.length; i++) {
    const word = words[i];
    if (word === '--' || !word.startsWith('-') || word === '-') break; // the script or program
    if (word.startsWith('--')) {
      const eq = word.indexOf('=');
      const name = word.slice(2, eq < 0 ? undefined : eq);
      if (eq >= 0) {
        if (name === 'dependency') specs.push(word.slice(eq + 1));
      } else if (!LONG_WITHOUT_VALUE.has(name)) {
        if (name === 'dependency' && i + 1 < words.length) specs.push(words[i + 1]);
        i++;
      }
      continue;
    }
    // Short options, possibly bundled (`-Hd afterok:1`) or with the value attached (`-dafterok:1`).
    for (let k = 1; k < word.length; k++) {
      const letter = word[k];
      if (!SHORT_WITH_VALUE.has(letter)) continue;
      const attached = word.slice(k + 1);
      const value = attached !== '' ? attached : words[++i];
      if (letter === 'd' && value !== undefined) specs.push(value);
      break;
    }
  }
  const dependencies: Dependency[] = [];
  for (const spec of specs) {
    // `,` joins dependencies that must all hold, `?` ones of which one must: both wait for each
    // named job to end (or for one of them), and every named job is an edge either way.
    for (const item of spec.split(/[,?]/)) {
      const colon = item.indexOf(':');
      if (colon < 0) continue;
      const kind = item.slice(0, colon);
      if (!KINDS.has(kind)) continue;
      for (const job of item.slice(colon + 1).split(':')) {
        const id = job.replace(/\+\d+$/, ''); // `after:123+5`: a delay in minutes
        if (/^\d+(?:_\d+)?$/.test(id)) dependencies.push({ kind: kind as DependencyKind, job: id });
      }
    }
  }
  return dependencies;
}
