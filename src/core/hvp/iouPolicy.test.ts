// The manual IoU policy (hvp/iouPolicy.ts): the bound's linear schedule, pairs below the bound when
// nothing missed, the lowest-IoU draw kept and counted when the bound is unattainable, and the
// documented draw order from the view stream.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../config/runConfig';
import { augmentFromConfig, sampleViewParams } from '../data/viewParams';
import { createRng } from '../random';
import { boxIou } from './iou';
import { IOU_POLICY_ATTEMPTS, iouPolicyBound, sampleIouPolicyPairs } from './iouPolicy';

const aug = augmentFromConfig(DEFAULT_CONFIG);
const M = 16;

describe('iouPolicyBound', () => {
  it('moves linearly from the start (step 0) to the end (last step)', () => {
    const c = { iouPolicyStart: 0.6, iouPolicyEnd: 0.2, totalSteps: 11 };
    expect(iouPolicyBound(c, 0)).toBe(0.6);
    expect(iouPolicyBound(c, 10)).toBeCloseTo(0.2, 12);
    expect(iouPolicyBound(c, 5)).toBeCloseTo(0.4, 12);
    expect(iouPolicyBound(c, 20)).toBeCloseTo(0.2, 12); // clamped past the end
    expect(iouPolicyBound({ ...c, totalSteps: 1 }, 0)).toBe(0.6);
    expect(iouPolicyBound({ ...c, iouPolicyStart: 0.1, iouPolicyEnd: 0.5 }, 5)).toBeCloseTo(0.3, 12); // rising works too
  });
});

describe('sampleIouPolicyPairs', () => {
  it('emits only pairs below the bound when nothing missed, view-major', () => {
    const d = sampleIouPolicyPairs(createRng(3), aug, M, 0.3, 32, 32);
    expect(d.misses).toBe(0);
    expect(d.params).toHaveLength(2 * M);
    for (let m = 0; m < M; m++) {
      const iou = boxIou(d.params[m]!, d.params[M + m]!);
      expect(iou).toBeLessThan(0.3);
      expect(d.ious[m]).toBe(iou);
    }
    expect(d.attempts).toBeGreaterThanOrEqual(M);
  });

  it('keeps the lowest-IoU pair drawn and counts a miss when the bound is unattainable', () => {
    // Bound 0: an IoU is never below 0, so every image uses all its attempts and misses.
    const maxAttempts = 7;
    const d = sampleIouPolicyPairs(createRng(5), aug, M, 0, 32, 32, maxAttempts);
    expect(d.misses).toBe(M);
    expect(d.attempts).toBe(M * maxAttempts);
    // Replay the documented order: image by image, attempts of (view 0, view 1).
    const rng = createRng(5);
    for (let m = 0; m < M; m++) {
      const pairs = Array.from({ length: maxAttempts }, () => [sampleViewParams(rng, aug, 32, 32), sampleViewParams(rng, aug, 32, 32)] as const);
      const ious = pairs.map(([a, b]) => boxIou(a, b));
      const lowest = ious.indexOf(Math.min(...ious)); // the earliest on ties
      expect(d.params[m]).toEqual(pairs[lowest]![0]);
      expect(d.params[M + m]).toEqual(pairs[lowest]![1]);
    }
    expect(IOU_POLICY_ATTEMPTS).toBe(100);
  });

  it('stops at the first pair under the bound (draw order) and is reproducible', () => {
    const a = sampleIouPolicyPairs(createRng(9), aug, M, 0.4, 32, 32);
    const b = sampleIouPolicyPairs(createRng(9), aug, M, 0.4, 32, 32);
    expect(b).toEqual(a);
    const rng = createRng(9);
    for (let m = 0; m < M; m++) {
      for (;;) {
        const v0 = sampleViewParams(rng, aug, 32, 32), v1 = sampleViewParams(rng, aug, 32, 32);
        if (boxIou(v0, v1) < 0.4) {
          expect([a.params[m], a.params[M + m]]).toEqual([v0, v1]);
          break;
        }
      }
    }
  });

  it('a bound of 1 keeps the first pair of an image whose two crops are not identical', () => {
    const d = sampleIouPolicyPairs(createRng(2), aug, 1, 1, 32, 32);
    const rng = createRng(2);
    const v0 = sampleViewParams(rng, aug, 32, 32), v1 = sampleViewParams(rng, aug, 32, 32);
    expect(boxIou(v0, v1)).toBeLessThan(1);
    expect(d.params).toEqual([v0, v1]);
    expect(d.misses).toBe(0);
  });
});
