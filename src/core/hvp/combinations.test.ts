// Candidate combinations of a multi-crop HVP step: the full list, the cap (distinct, deterministic
// by seed), random and identity combinations.
import { describe, expect, it } from 'vitest';
import { createRng } from '../random';
import { allCombinations, binomial, candidateCombinations, candidateGlobalPairs, identityCombinations, numCombinations, randomCombinations } from './combinations';

const rows = (table: Int32Array, width: number) => Array.from({ length: table.length / width }, (_, i) => Array.from(table.subarray(i * width, (i + 1) * width)));

/** itertools.product(evens, odds, combinations(range(L), l)), naively. */
function naiveAll(G: number, L: number, l: number): number[][] {
  const subsets: number[][] = [];
  const rec = (start: number, cur: number[]) => {
    if (cur.length === l) return void subsets.push([...cur]);
    for (let x = start; x < L; x++) rec(x + 1, [...cur, x]);
  };
  rec(0, []);
  const out: number[][] = [];
  for (let e = 0; e < G; e += 2) for (let o = 1; o < G; o += 2) for (const s of subsets) out.push([e, o, ...s]);
  return out;
}

describe('combinations', () => {
  it('counts (G/2)²·C(L, l) and lists them in itertools.product order', () => {
    expect(binomial(16, 8)).toBe(12870);
    expect(numCombinations(4, 16, 10)).toBe(4 * 8008); // the authors' example: 32032
    for (const [G, L, l] of [[2, 0, 0], [2, 3, 1], [4, 4, 2], [6, 5, 3], [4, 6, 0]] as const) {
      const all = allCombinations(G, L, l);
      expect(all.numCombos).toBe(numCombinations(G, L, l));
      expect(rows(all.table, 2 + l)).toEqual(naiveAll(G, L, l));
    }
  });

  it('returns all combinations, drawing nothing, when they fit under the cap', () => {
    const rng = createRng(3);
    const before = rng.getState();
    const c = candidateCombinations(rng, 4, 4, 2, 24);
    expect(c.numCombos).toBe(24);
    expect(rows(c.table, 4)).toEqual(naiveAll(4, 4, 2));
    expect(rng.getState()).toEqual(before);
  });

  it('respects the cap with distinct valid combinations, deterministic by seed', () => {
    const G = 4, L = 8, l = 3; // 4 · 56 = 224
    const a = candidateCombinations(createRng(7), G, L, l, 50);
    const b = candidateCombinations(createRng(7), G, L, l, 50);
    const d = candidateCombinations(createRng(8), G, L, l, 50);
    expect(a.numCombos).toBe(50);
    expect(a.table).toEqual(b.table);
    expect(d.table).not.toEqual(a.table);
    const all = new Set(naiveAll(G, L, l).map((r) => r.join()));
    const got = rows(a.table, 2 + l).map((r) => r.join());
    expect(new Set(got).size).toBe(50);
    for (const r of got) expect(all.has(r)).toBe(true);
    // A cap of all but one still gives distinct combinations (the partial shuffle never repeats).
    const nearly = candidateCombinations(createRng(1), G, L, l, 223);
    expect(new Set(rows(nearly.table, 2 + l).map((r) => r.join())).size).toBe(223);
  });

  it('draws huge lists without enumerating them', () => {
    const c = candidateCombinations(createRng(2), 4, 16, 10, 128);
    expect(c.numCombos).toBe(128);
    for (const r of rows(c.table, 12)) {
      expect(r[0]! % 2).toBe(0);
      expect(r[1]! % 2).toBe(1);
      const locals = r.slice(2);
      expect(locals.every((x, i) => x >= 0 && x < 16 && (i === 0 || x > locals[i - 1]!))).toBe(true);
    }
  });

  it('random and identity combinations', () => {
    const r = rows(randomCombinations(createRng(4), 5, 4, 4, 2), 4);
    expect(r).toHaveLength(5);
    const all = new Set(naiveAll(4, 4, 2).map((x) => x.join()));
    for (const x of r) expect(all.has(x.join())).toBe(true);
    expect(rows(identityCombinations(2, 3), 5)).toEqual([[0, 1, 0, 1, 2], [0, 1, 0, 1, 2]]);
    expect(candidateGlobalPairs(4)).toEqual([[0, 1], [0, 3], [2, 1], [2, 3]]);
  });

  it('refuses bad counts with a message', () => {
    expect(() => numCombinations(3, 2, 1)).toThrow(/even number of global views/);
    expect(() => numCombinations(4, 2, 3)).toThrow(/0 ≤ l ≤ L/);
    expect(() => candidateCombinations(createRng(1), 4, 2, 1, 0)).toThrow(/cap/);
  });
});
