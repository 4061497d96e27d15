// Preloaded into benchmarked processes (node --import): at exit, writes the process's peak resident
// set size (kilobytes, from the OS via getrusage) to the file named by ASYNCSCOPE_BENCH_RSS.
import fs from 'node:fs';

const target = process.env.ASYNCSCOPE_BENCH_RSS;
if (target) process.on('exit', () => fs.writeFileSync(target, String(process.resourceUsage().maxRSS)));
