// Small deterministic PRNG (mulberry32) so the demo cluster, the big-cluster generator and random
// fault injection are reproducible from a seed.

export type Rng = () => number;

export function createRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Stable 32-bit hash of a string (FNV-1a), used to derive per-object seeds. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function randInt(rng: Rng, min: number, max: number): number {
  return min + Math.floor(rng() * (max - min + 1));
}

/** Rounds to 15 significant digits: Perl prints floats that way, JavaScript would print up to 17. */
export function perlFloat(value: number): number {
  return Number(value.toPrecision(15));
}

/**
 * Orders items the way a Perl hash iteration would look to a client: stable for a given seed,
 * but not sorted, so clients that rely on list order notice (NOTES.md §2).
 */
export function hashOrder<T>(items: readonly T[], key: (item: T) => string, seed: number): T[] {
  return [...items].sort((a, b) => hashString(`${seed}:${key(a)}`) - hashString(`${seed}:${key(b)}`));
}
