/**
 * Reproducible random samples for verification visits: the same seed and population always draw the
 * same students, so an inspector can re-draw the sample from the recorded seed.
 */

/** mulberry32: a small seeded generator of numbers in [0, 1), the same on every platform. */
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

/** A generator from a text seed: FNV-1a over its characters seeds mulberry32. */
function generator(seed: string): () => number {
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    h ^= seed.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return seededRandom(h);
}

/** How many of `population` a percentage asks for: at least one when there is anyone to visit. */
export function sampleSize(population: number, percent: number): number {
  if (population === 0 || percent <= 0) return 0;
  return Math.min(population, Math.max(1, Math.ceil((population * percent) / 100)));
}

/** Draws `sampleSize` ids; the ids are sorted first so the order they were loaded in does not matter. */
export function drawSample(ids: readonly number[], percent: number, seed: string): number[] {
  const pool = [...ids].sort((a, b) => a - b);
  const next = generator(seed);
  const n = sampleSize(pool.length, percent);
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(next() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, n).sort((a, b) => a - b);
}
