import { describe, expect, it } from 'vitest';
import { createBatchSampler } from './batchSampler';

describe('batch sampler', () => {
  it('covers every image once per epoch and drops the short tail', () => {
    const s = createBatchSampler(10, 3, 5);
    const seen = [...s.nextBatch(), ...s.nextBatch(), ...s.nextBatch()];
    expect(new Set(seen).size).toBe(9);
    expect(s.epoch).toBe(0);
    s.nextBatch();
    expect(s.epoch).toBe(1);
  });
  it('is deterministic by seed and resumes exactly from a saved state', () => {
    const a = createBatchSampler(20, 4, 1);
    const b = createBatchSampler(20, 4, 1);
    for (let i = 0; i < 7; i++) expect(a.nextBatch()).toEqual(b.nextBatch());
    const resumed = createBatchSampler(20, 4, JSON.parse(JSON.stringify(a.getState())));
    for (let i = 0; i < 12; i++) expect(resumed.nextBatch()).toEqual(a.nextBatch());
  });
  it('refuses a batch larger than the set', () => {
    expect(() => createBatchSampler(3, 4, 0)).toThrow(/exceeds/);
  });
});
