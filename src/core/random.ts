/**
 * Seeded, serializable random number generator: every random draw of a run goes through here.
 *
 * Algorithm: sfc32 (Small Fast Counter, 128-bit state, period ≥ 2^32) seeded through splitmix32.
 * The state is four uint32 words, so a checkpoint can store it and a resumed run continues the
 * exact same sequence. Independent streams (data order, views, weight init, selection) are
 * derived with `deriveSeed(seed, streamName)` so adding draws to one stream never shifts another.
 *
 * Must not import: tfjs, DOM, anything outside core.
 */

/** Serializable generator state: four uint32 words. */
export type RngState = readonly [number, number, number, number];

/** A seeded generator. NOTE: every method mutates the generator's state. */
export interface Rng {
  /** Uniform float in [0, 1) with 32 bits of randomness. */
  next(): number;
  /** Uniform float in [lo, hi). */
  uniform(lo: number, hi: number): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Integer in [lo, hi] inclusive, as torch.randint(lo, hi + 1). */
  intRange(lo: number, hi: number): number;
  /** True with probability p. */
  bernoulli(p: number): boolean;
  /** Standard normal draw (Box–Muller; uses two uniforms per call, no cached spare). */
  normal(): number;
  /** A uniformly random permutation of [0, n) (Fisher–Yates). */
  permutation(n: number): number[];
  /** Copy of the current state. */
  getState(): RngState;
}

function splitmix32(a: number): () => number {
  let s = a >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** 32-bit FNV-1a hash of a string, used to name streams. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Seed of an independent stream of `seed`, e.g. deriveSeed(seed, 'views'). */
export function deriveSeed(seed: number, stream: string): number {
  const mix = splitmix32((seed >>> 0) ^ hashString(stream));
  mix();
  return mix();
}

/** Creates a generator from a seed (any integer; only the low 32 bits matter). */
export function createRng(seed: number): Rng {
  const sm = splitmix32(seed >>> 0);
  const state: [number, number, number, number] = [sm(), sm(), sm(), sm()];
  const rng = rngFromState(state);
  for (let i = 0; i < 12; i++) rng.next(); // warm up: decorrelate nearby seeds
  return rng;
}

/** Restores a generator from a state returned by getState(); the sequence continues exactly. */
export function rngFromState(initial: RngState): Rng {
  let [a, b, c, d] = initial.map((x) => x >>> 0);
  const nextU32 = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t;
  };
  const next = (): number => nextU32() / 4294967296;
  const rng: Rng = {
    next,
    uniform: (lo, hi) => lo + (hi - lo) * next(),
    int: (n) => Math.floor(next() * n),
    intRange: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    bernoulli: (p) => next() < p,
    normal: () => {
      const u1 = 1 - next(); // (0, 1]
      const u2 = next();
      return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    },
    permutation: (n) => {
      const p = Array.from({ length: n }, (_, i) => i);
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        const t = p[i]!;
        p[i] = p[j]!;
        p[j] = t;
      }
      return p;
    },
    getState: () => [a, b, c, d] as const,
  };
  return rng;
}
