import { describe, expect, it } from 'vitest';
import { numPairs, pairIndex, pairList } from './pairs';

describe('pairs', () => {
  it('lists pairs in itertools.combinations order', () => {
    expect(pairList(4)).toEqual([[0, 1], [0, 2], [0, 3], [1, 2], [1, 3], [2, 3]]);
    expect(pairList(2)).toEqual([[0, 1]]);
  });
  it('pairIndex inverts pairList for every N', () => {
    for (let n = 2; n <= 8; n++) {
      const pairs = pairList(n);
      expect(pairs.length).toBe(numPairs(n));
      pairs.forEach(([k, l], p) => {
        expect(pairIndex(k, l, n)).toBe(p);
        expect(pairIndex(l, k, n)).toBe(p);
      });
    }
  });
  it('rejects invalid pairs', () => {
    expect(() => pairIndex(1, 1, 4)).toThrow(RangeError);
    expect(() => pairIndex(0, 4, 4)).toThrow(RangeError);
  });
});
