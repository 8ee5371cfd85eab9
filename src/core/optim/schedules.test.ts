import { describe, expect, it } from 'vitest';
import { cosineMomentum, cosineWithWarmup } from './schedules';

describe('cosineWithWarmup', () => {
  it('warms up linearly, peaks, then decays to the final value', () => {
    expect(cosineWithWarmup(0, 1, 110, 10)).toBeCloseTo(0.1);
    expect(cosineWithWarmup(9, 1, 110, 10)).toBeCloseTo(1);
    expect(cosineWithWarmup(10, 1, 110, 10)).toBeCloseTo(1);
    expect(cosineWithWarmup(60, 1, 110, 10)).toBeCloseTo(0.5);
    expect(cosineWithWarmup(110, 1, 110, 10)).toBeCloseTo(0);
    expect(cosineWithWarmup(500, 1, 110, 10, 0.1)).toBeCloseTo(0.1);
  });
  it('without warm-up starts at the base value and is monotone', () => {
    let prev = Infinity;
    for (let s = 0; s <= 100; s++) {
      const v = cosineWithWarmup(s, 0.5, 100, 0);
      expect(v).toBeLessThanOrEqual(prev + 1e-12);
      prev = v;
    }
    expect(cosineWithWarmup(0, 0.5, 100, 0)).toBeCloseTo(0.5);
  });
});

describe('cosineMomentum (BYOL target momentum)', () => {
  it('is τ_base at k = 0, halfway to 1 at K/2 and 1 at K, rising monotonically', () => {
    expect(cosineMomentum(0, 0.99, 100)).toBeCloseTo(0.99, 12);
    expect(cosineMomentum(50, 0.99, 100)).toBeCloseTo(0.995, 12);
    expect(cosineMomentum(100, 0.99, 100)).toBeCloseTo(1, 12);
    // τ_k = 1 − (1 − τ_base)·(cos(πk/K) + 1)/2 at k = 25
    expect(cosineMomentum(25, 0.9, 100)).toBeCloseTo(1 - 0.1 * (Math.cos(Math.PI / 4) + 1) / 2, 12);
    let prev = 0;
    for (let k = 0; k <= 100; k++) {
      const v = cosineMomentum(k, 0.9, 100);
      expect(v).toBeGreaterThanOrEqual(prev);
      prev = v;
    }
  });
  it('clamps steps outside [0, K] and handles K = 1', () => {
    expect(cosineMomentum(-3, 0.99, 10)).toBeCloseTo(0.99, 12);
    expect(cosineMomentum(12, 0.99, 10)).toBeCloseTo(1, 12);
    expect(cosineMomentum(0, 0.95, 1)).toBeCloseTo(0.95, 12);
    expect(cosineMomentum(1, 0.95, 1)).toBeCloseTo(1, 12);
  });
});
