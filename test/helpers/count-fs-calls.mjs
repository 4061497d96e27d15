// Preloaded into a CLI run (node --import): counts the calls of a few synchronous fs functions and
// writes the counts as JSON to the file named by ASYNCSCOPE_COUNT_FS at exit. Tests use it to check
// how often a command walks or stats files, which timing cannot tell reliably.
import fs from 'node:fs';

const target = process.env.ASYNCSCOPE_COUNT_FS;
if (target) {
  const counts = { statSync: 0, fstatSync: 0, readdirSync: 0, openSync: 0 };
  for (const name of Object.keys(counts)) {
    const original = fs[name];
    fs[name] = function counted(...args) {
      counts[name]++;
      return original.apply(this, args);
    };
  }
  process.on('exit', () => fs.writeFileSync(target, JSON.stringify(counts)));
}
