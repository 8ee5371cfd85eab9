import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { collapseReason, effectiveRankFromEigenvalues, embeddingMoments, healthFromScatter, meanColumnStd } from './health';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Health of host rows via the device path (moments) + the host spectrum. */
async function healthOf(rows: number[][]) {
  const z = tf.tensor2d(rows);
  const m = await embeddingMoments(z);
  m.centred.dispose();
  z.dispose();
  return healthFromScatter(m.meanStd, m.scatter, rows.length, rows[0]!.length).health;
}

describe('collapse health', () => {
  it('identity rows (centred: a regular simplex) have full effective rank', async () => {
    const d = 8;
    const rows = Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => (i === j ? 1 : 0)));
    const h = await healthOf(rows);
    // Centring removes one direction: d-1 equal singular values → effective rank d-1.
    expect(h.effectiveRank).toBeCloseTo(d - 1, 4);
    expect(h.maxRank).toBe(d);
    // std of each column: sqrt(1/d·(1-1/d)) → ratio to 1/√d = sqrt(1-1/d).
    expect(h.meanStd / h.uniformStd).toBeCloseTo(Math.sqrt(1 - 1 / d), 5);
    expect(h.collapse).toBeNull();
  });

  it('an isotropic spectrum has effective rank = its size; rank-1 data has rank 1', () => {
    expect(effectiveRankFromEigenvalues([4, 4, 4, 4, 4])).toBeCloseTo(5, 10);
    expect(effectiveRankFromEigenvalues([9, 0, 0, 0])).toBeCloseTo(1, 10);
    expect(effectiveRankFromEigenvalues([0, 0])).toBe(1);
  });

  it('rank-1 embeddings (all on one line through the mean) are flagged as collapsed by rank', async () => {
    const dir = [0.6, 0.8, 0, 0];
    const rows = [-2, -1, 0, 1, 2, 3].map((t) => dir.map((v) => v * t * 0.3 + (v === 0 ? 0.5 : 0)));
    const h = await healthOf(rows);
    expect(h.effectiveRank).toBeCloseTo(1, 4);
    expect(h.collapse === 'rank' || h.collapse === 'std-and-rank').toBe(true);
  });

  it('identical embeddings have zero std and are collapsed by std and rank', async () => {
    const rows = Array.from({ length: 6 }, () => [0.5, 0.5, 0.5, 0.5]);
    const h = await healthOf(rows);
    expect(h.meanStd).toBeCloseTo(0, 6);
    expect(h.collapse).toBe('std-and-rank');
  });

  it('device std matches the host reference', async () => {
    const rows = [[1, 2, 0], [3, -1, 2], [0, 0, 1], [2, 5, -3]];
    const m = await embeddingMoments(tf.tensor2d(rows));
    m.centred.dispose();
    expect(m.meanStd).toBeCloseTo(meanColumnStd(rows.flat(), 4, 3), 5);
  });

  it('thresholds: std below 0.2/√d or rank below 2', () => {
    expect(collapseReason(0.19, 1, 10)).toBe('std');
    expect(collapseReason(0.21, 1, 10)).toBeNull();
    expect(collapseReason(0.5, 1, 1.9)).toBe('rank');
  });
});
