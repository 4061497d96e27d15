import fs from 'node:fs';

/** Whether a process runs: exists and is not a zombie (an orphan waits a moment to be reaped by init). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false; // gone meanwhile
  }
}
