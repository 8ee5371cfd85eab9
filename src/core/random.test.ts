import { describe, expect, it } from 'vitest';
import { createRng, deriveSeed, rngFromState } from './random';

describe('random', () => {
  it('same seed gives the same sequence; different seeds differ', () => {
    const a = createRng(42), b = createRng(42), c = createRng(43);
    const sa = Array.from({ length: 100 }, () => a.next());
    const sb = Array.from({ length: 100 }, () => b.next());
    const sc = Array.from({ length: 100 }, () => c.next());
    expect(sa).toEqual(sb);
    expect(sa).not.toEqual(sc);
    for (const x of sa) expect(x >= 0 && x < 1).toBe(true);
  });
  it('restoring a state continues the exact sequence', () => {
    const a = createRng(7);
    for (let i = 0; i < 37; i++) a.next();
    const b = rngFromState(a.getState());
    expect(Array.from({ length: 50 }, () => b.next())).toEqual(Array.from({ length: 50 }, () => a.next()));
  });
  it('state survives a JSON round trip', () => {
    const a = createRng(9);
    a.normal();
    const b = rngFromState(JSON.parse(JSON.stringify(a.getState())));
    expect(b.uniform(2, 3)).toBe(a.uniform(2, 3));
  });
  it('int, intRange and permutation stay in range and are roughly uniform', () => {
    const r = createRng(1);
    const counts = new Array(6).fill(0);
    for (let i = 0; i < 6000; i++) counts[r.int(6)]++;
    for (const c of counts) expect(Math.abs(c - 1000)).toBeLessThan(150);
    for (let i = 0; i < 100; i++) {
      const v = r.intRange(3, 5);
      expect(v >= 3 && v <= 5 && Number.isInteger(v)).toBe(true);
    }
    expect([...r.permutation(10)].sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
  it('normal draws have mean ~0 and variance ~1', () => {
    const r = createRng(3);
    const xs = Array.from({ length: 20000 }, () => r.normal());
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const v = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(v - 1)).toBeLessThan(0.05);
  });
  it('derived streams differ from each other and from the seed', () => {
    expect(deriveSeed(1, 'views')).not.toBe(deriveSeed(1, 'data'));
    expect(deriveSeed(1, 'views')).toBe(deriveSeed(1, 'views'));
  });
});
