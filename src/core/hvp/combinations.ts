/**
 * Candidate view combinations of a multi-crop HVP step (DINO / iBOT; methods/multiCropMethod.ts):
 * one even global view id × one odd global view id × a subset of l of the L local view ids (the
 * authors' dino branch index_generator / MinSim.all_combinations: even × odd keeps DINO's asymmetric
 * gt1/gt2 augmentations apart). The full list, in itertools.product order (even, then odd, then
 * the local subsets in itertools.combinations order), has (G/2)·(G/2)·C(L, l) entries.
 *
 * When there are more than `cap`, exactly `cap` DISTINCT ones are drawn with the run's seeded
 * select generator, as the authors' older MinSim (`randperm(len)[:limit]`): a partial Fisher–Yates
 * shuffle of the indices of the full list, in draw order. Nothing is enumerated for the draw, so
 * huge lists (4 × C(16, 8)) cost only `cap` draws.
 *
 * Table layout: int32 [C, 2 + l] row-major; column 0 the even global id, column 1 the odd global id,
 * columns 2… the local ids (0-based within the locals, increasing).
 * Must not import: tfjs, DOM.
 */
import type { Rng } from '../random';

/** A combination table: C rows of 2 + l view ids. */
export interface ComboTable {
  /** int32 [C·(2 + l)] row-major. */
  table: Int32Array;
  numCombos: number;
  /** Locals per combination (l). */
  numLocalsPerCombo: number;
}

/** C(n, k) as a float64 integer (exact up to 2^53). */
export function binomial(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let r = 1;
  for (let i = 1; i <= Math.min(k, n - k); i++) r = (r * (n - Math.min(k, n - k) + i)) / i;
  return Math.round(r);
}

function checkCounts(numGlobals: number, numLocals: number, l: number): void {
  if (!Number.isInteger(numGlobals) || numGlobals < 2 || numGlobals % 2 !== 0) throw new RangeError(`Combinations need an even number of global views ≥ 2 (even × odd pairs), got ${numGlobals}`);
  if (!Number.isInteger(l) || l < 0 || !Number.isInteger(numLocals) || numLocals < l) throw new RangeError(`Combinations need 0 ≤ l ≤ L local views, got l = ${l}, L = ${numLocals}`);
}

/** How many combinations there are: (G/2)² · C(L, l). */
export function numCombinations(numGlobals: number, numLocals: number, l: number): number {
  checkCounts(numGlobals, numLocals, l);
  return (numGlobals / 2) ** 2 * binomial(numLocals, l);
}

/**
 * The `rank`-th l-subset of {0 … L−1} in itertools.combinations (lexicographic) order, written to
 * out[offset … offset + l).
 */
function unrankSubset(rank: number, numLocals: number, l: number, out: Int32Array, offset: number): void {
  let r = rank;
  let next = 0;
  for (let j = 0; j < l; j++) {
    // Smallest first element x ≥ next such that the subsets starting below x are ≤ r.
    for (let x = next; x < numLocals; x++) {
      const count = binomial(numLocals - x - 1, l - j - 1); // subsets with x at position j
      if (r < count) {
        out[offset + j] = x;
        next = x + 1;
        break;
      }
      r -= count;
    }
  }
}

/** Writes the combination with index `index` of the full list into row `row` of `table`. */
function writeCombo(index: number, numGlobals: number, numLocals: number, l: number, table: Int32Array, row: number): void {
  const half = numGlobals / 2;
  const numSubsets = binomial(numLocals, l);
  const subset = index % numSubsets;
  const pair = Math.floor(index / numSubsets); // even-major: pair = e·half + o
  const base = row * (2 + l);
  table[base] = 2 * Math.floor(pair / half);
  table[base + 1] = 2 * (pair % half) + 1;
  unrankSubset(subset, numLocals, l, table, base + 2);
}

/** Every combination, in itertools.product order. */
export function allCombinations(numGlobals: number, numLocals: number, l: number): ComboTable {
  const n = numCombinations(numGlobals, numLocals, l);
  const table = new Int32Array(n * (2 + l));
  for (let i = 0; i < n; i++) writeCombo(i, numGlobals, numLocals, l, table, i);
  return { table, numCombos: n, numLocalsPerCombo: l };
}

/**
 * The candidates of one selection step: all combinations when there are at most `cap`, else `cap`
 * distinct ones drawn from `rng` (randperm[:cap] of the full list's indices, in draw order).
 * NOTE: advances rng (cap draws) only when the list exceeds the cap.
 */
export function candidateCombinations(rng: Rng, numGlobals: number, numLocals: number, l: number, cap: number): ComboTable {
  if (!Number.isInteger(cap) || cap < 1) throw new RangeError(`The combination cap must be a positive integer, got ${cap}`);
  const n = numCombinations(numGlobals, numLocals, l);
  if (n <= cap) return allCombinations(numGlobals, numLocals, l);
  if (n > 2 ** 32) throw new RangeError(`${n} combinations are too many to draw from (G = ${numGlobals}, L = ${numLocals}, l = ${l}); use fewer local views`);
  // Partial Fisher–Yates over the virtual array [0, n): `moved` holds the swapped-out entries.
  const moved = new Map<number, number>();
  const table = new Int32Array(cap * (2 + l));
  for (let i = 0; i < cap; i++) {
    const j = i + rng.int(n - i);
    const pick = moved.get(j) ?? j;
    moved.set(j, moved.get(i) ?? i);
    writeCombo(pick, numGlobals, numLocals, l, table, i);
  }
  return { table, numCombos: cap, numLocalsPerCombo: l };
}

/** One uniformly random combination per image, rows of an [M, 2 + l] table (hvpMode 'random'). NOTE: advances rng (M draws). */
export function randomCombinations(rng: Rng, numImages: number, numGlobals: number, numLocals: number, l: number): Int32Array {
  const n = numCombinations(numGlobals, numLocals, l);
  const table = new Int32Array(numImages * (2 + l));
  for (let m = 0; m < numImages; m++) writeCombo(rng.int(n), numGlobals, numLocals, l, table, m);
  return table;
}

/** The combination without selection, once per image: globals 0 and 1, locals 0 … l−1. */
export function identityCombinations(numImages: number, l: number): Int32Array {
  const table = new Int32Array(numImages * (2 + l));
  for (let m = 0; m < numImages; m++) {
    table[m * (2 + l) + 1] = 1;
    for (let j = 0; j < l; j++) table[m * (2 + l) + 2 + j] = j;
  }
  return table;
}

/** The candidate global pairs (even, odd), in combination order: pair p = e·(G/2) + o. */
export function candidateGlobalPairs(numGlobals: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let e = 0; e < numGlobals; e += 2) for (let o = 1; o < numGlobals; o += 2) out.push([e, o]);
  return out;
}
