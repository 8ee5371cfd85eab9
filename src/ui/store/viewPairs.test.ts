/**
 * Pins the UI's pair order to itertools.combinations order, the order core/train/pairs.ts and
 * the worker use for pairLosses / pairIous.
 */
import { describe, expect, it } from 'vitest';
import { numViewPairs, viewPairIdx } from './viewPairs';

describe('viewPairs', () => {
  it('indexes pairs in combinations order', () => {
    for (const n of [2, 3, 4, 6, 8]) {
      let p = 0;
      for (let k = 0; k < n; k++) {
        for (let l = k + 1; l < n; l++) {
          expect(viewPairIdx(k, l, n)).toBe(p);
          expect(viewPairIdx(l, k, n)).toBe(p);
          p++;
        }
      }
      expect(p).toBe(numViewPairs(n));
    }
  });
  it('rejects a view paired with itself or out of range', () => {
    expect(() => viewPairIdx(1, 1, 4)).toThrow(RangeError);
    expect(() => viewPairIdx(0, 4, 4)).toThrow(RangeError);
  });
});
