/**
 * A small seeded pseudo-random generator (mulberry32): the same seed gives the same numbers on every
 * machine, which `Math.random` cannot, so a synthetic trace and a bootstrap interval are the same
 * on every run. Statistical quality is ample for jittering durations and resampling; it is not for
 * cryptography.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
