/**
 * Inputs the bench derives from generated traces: a CSV of the same tasks in another shape (rows in
 * no particular order, 8 task types, 4 pipelines), and a RADICAL-Pilot session unpacked into a
 * folder with one profile per task, as real sessions have (pilot.0000/task.N/task.N.prof).
 * Seeded and derived from the generated files, so every run and machine gets the same bytes.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
// The project's own seeded generator (mulberry32), from the build the bench runs against.
import { seededRandom as random } from '../../dist/util/seeded-random.js';

const TYPES = ['simulate', 'aggregate', 'train', 'infer', 'analyze', 'prepare', 'validate', 'report'];

/**
 * `csv` (id,type,stage,pipeline,start,...) rewritten with 8 types and 4 pipelines (row i gets type
 * i mod 8, pipeline i mod 4) and its rows shuffled: start times in no order, as a table exported by
 * another tool may be. Written once to `out`.
 */
export function unsortedCsv(csv, out, seed = 1) {
  if (fs.existsSync(out)) return out;
  const [header, ...rows] = fs.readFileSync(csv, 'utf8').split('\n').filter((line) => line !== '');
  const changed = rows.map((row, i) => {
    const fields = row.split(',');
    const pipeline = `pipeline.${String(i % 4).padStart(6, '0')}`;
    fields[1] = TYPES[i % 8];
    fields[2] = `${pipeline}/stage.${i % 8}`;
    fields[3] = pipeline;
    return fields.join(',');
  });
  const next = random(seed);
  for (let i = changed.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [changed[i], changed[j]] = [changed[j], changed[i]];
  }
  fs.writeFileSync(out, `${header}\n${changed.join('\n')}\n`);
  return out;
}

/**
 * The generated session archive `tgz` unpacked into `dir`, its execution profile split into one
 * profile per task (the same events: the stored run is the same). Returns the session folder and
 * how many files it holds; `archive` gets the same folder packed again, to compare with.
 */
export function sessionFolder(tgz, dir, archive) {
  const marker = path.join(dir, '.complete');
  if (!fs.existsSync(marker)) {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    execFileSync('tar', ['-xzf', tgz, '-C', dir]);
    const [sid] = fs.readdirSync(dir);
    const pilot = path.join(dir, sid, 'pilot.0000');
    const executing = path.join(pilot, 'agent_executing.0000.prof');
    const [header, ...lines] = fs.readFileSync(executing, 'utf8').split('\n').filter((line) => line !== '');
    const byTask = new Map();
    for (const line of lines) {
      const uid = line.split(',')[4];
      if (!byTask.has(uid)) byTask.set(uid, []);
      byTask.get(uid).push(line);
    }
    for (const [uid, taskLines] of byTask) {
      fs.mkdirSync(path.join(pilot, uid));
      fs.writeFileSync(path.join(pilot, uid, `${uid}.prof`), `${header}\n${taskLines.join('\n')}\n`);
    }
    fs.rmSync(executing);
    execFileSync('tar', ['-czf', archive, '-C', dir, sid]);
    fs.writeFileSync(marker, '');
  }
  const [sid] = fs.readdirSync(dir).filter((name) => !name.startsWith('.'));
  const files = execFileSync('find', [path.join(dir, sid), '-type', 'f']).toString().trim().split('\n').length;
  return { folder: path.join(dir, sid), files };
}

/** A .tar.bz2 of the same session as `tgz` (with the system's bzip2), or null with the reason when there is none. */
export function bzip2Session(tgz, out) {
  if (fs.existsSync(out)) return { file: out };
  try {
    const tar = execFileSync('gzip', ['-dc', tgz], { maxBuffer: 1 << 30 });
    fs.writeFileSync(out, execFileSync('bzip2', ['-c'], { input: tar, maxBuffer: 1 << 30 }));
    return { file: out };
  } catch (error) {
    fs.rmSync(out, { force: true });
    return { file: null, reason: `cannot write a .tar.bz2 here (${error.code === 'ENOENT' ? 'no bzip2 program' : error.message})` };
  }
}
