// IoU chart rows: the IoU policy's bound travels with each row, and its misses sum over the logged steps.
import { describe, expect, it } from 'vitest';
import type { StepMetrics } from '../../core/train/metrics';
import { iouPolicyMissTotals, toIouRows } from './selectors';

const step = (s: number, more: Partial<StepMetrics> = {}): StepMetrics => ({
  step: s, loss: 1, meanPairLoss: null, selectedIou: 0.2, meanIou: 0.2, lowestIouHitRate: 1, isSelectionStep: false, learningRate: 0.1, imagesPerSec: 1, msPerStep: 1, ...more,
});

describe('IoU rows of the IoU policy', () => {
  it('carry the bound (null elsewhere) and sum the misses', () => {
    const points = [step(1, { iouPolicyMisses: 2, iouPolicyBound: 0.5 }), step(2, { iouPolicyMisses: 0, iouPolicyBound: 0.4 })];
    expect(toIouRows(points).map((r) => r.iouPolicyBound)).toEqual([0.5, 0.4]);
    expect(toIouRows([step(1)])[0]!.iouPolicyBound).toBeNull();
    expect(iouPolicyMissTotals(points, 8)).toEqual({ misses: 2, images: 16 });
    expect(iouPolicyMissTotals([step(1)], 8)).toEqual({ misses: 0, images: 0 });
  });
});
