// Preloaded into benchmarked processes (node --import): at exit, writes the process's peak resident
// set size (kilobytes, from the OS via getrusage) and its CPU time (user + system, all threads, in
// seconds) to the file named by ASYNCSCOPE_BENCH_RSS, as `maxrss_kb cpu_s`.
import fs from 'node:fs';

const target = process.env.ASYNCSCOPE_BENCH_RSS;
if (target) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    fs.writeFileSync(target, `${usage.maxRSS} ${(usage.userCPUTime + usage.systemCPUTime) / 1e6}`);
  });
}
