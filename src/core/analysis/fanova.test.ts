/**
 * Exact fANOVA shares of hand-built trees on the unit square, checked against the closed form.
 */
import { describe, expect, it } from 'vitest';
import { treeFirstOrderShares } from './fanova';
import type { RegressionTree } from './regressionTree';

/** A tree from node tuples [feature, threshold, left, right, value] (feature −1 for a leaf). */
function tree(nodes: [number, number, number, number, number][]): RegressionTree {
  return {
    feature: Int32Array.from(nodes, (n) => n[0]),
    threshold: Float64Array.from(nodes, (n) => n[1]),
    left: Int32Array.from(nodes, (n) => n[2]),
    right: Int32Array.from(nodes, (n) => n[3]),
    value: Float64Array.from(nodes, (n) => n[4]),
  };
}

const unitMin = Float64Array.of(0, 0);
const unitMax = Float64Array.of(1, 1);

describe('treeFirstOrderShares', () => {
  it('gives all variance to the only feature split on', () => {
    const t = tree([[0, 0.3, 1, 2, 0], [-1, 0, -1, -1, 1], [-1, 0, -1, -1, 5]]);
    const s = treeFirstOrderShares(t, unitMin, unitMax)!;
    expect(s[0]).toBeCloseTo(1, 12);
    expect(s[1]).toBe(0);
  });

  it('splits an AND of two halves into 1/3, 1/3 and 1/3 interaction', () => {
    // f = 1 where x0 > 0.5 and x1 > 0.5: Var f = 3/16; f_0 = 0 | 1/2, Var f_0 = 1/16 → 1/3
    const t = tree([
      [0, 0.5, 1, 2, 0],
      [-1, 0, -1, -1, 0],
      [1, 0.5, 3, 4, 0],
      [-1, 0, -1, -1, 0],
      [-1, 0, -1, -1, 1],
    ]);
    const s = treeFirstOrderShares(t, unitMin, unitMax)!;
    expect(s[0]).toBeCloseTo(1 / 3, 12);
    expect(s[1]).toBeCloseTo(1 / 3, 12);
  });

  it('weights by the box: a split at 0.9 on a range [0, 2] and an additive second feature', () => {
    // f = a(x0) + b(x1), a = 0 | 2 at x0 = 0.9 of [0, 2], b = 0 | 1 at x1 = 0.5 of [0, 1]
    // Var a = 4 · 0.45 · 0.55, Var b = 1/4; additive, so the shares are Var a / (Var a + Var b)
    const t = tree([
      [0, 0.9, 1, 2, 0],
      [1, 0.5, 3, 4, 0],
      [1, 0.5, 5, 6, 0],
      [-1, 0, -1, -1, 0],
      [-1, 0, -1, -1, 1],
      [-1, 0, -1, -1, 2],
      [-1, 0, -1, -1, 3],
    ]);
    const s = treeFirstOrderShares(t, Float64Array.of(0, 0), Float64Array.of(2, 1))!;
    const va = 4 * 0.45 * 0.55;
    expect(s[0]).toBeCloseTo(va / (va + 0.25), 12);
    expect(s[1]).toBeCloseTo(0.25 / (va + 0.25), 12);
  });

  it('returns null for a constant tree', () => {
    expect(treeFirstOrderShares(tree([[-1, 0, -1, -1, 3]]), unitMin, unitMax)).toBeNull();
  });
});
