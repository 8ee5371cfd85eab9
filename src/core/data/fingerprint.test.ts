// Dataset fingerprints: equal for the same data, different when pixels, labels or sizes differ,
// and the mismatch message names both datasets and what differs.
import { describe, expect, it } from 'vitest';
import { generateBuiltinDataset } from './builtinDataset';
import { fingerprintDataset, fingerprintMismatch } from './fingerprint';

describe('fingerprintDataset', () => {
  const a = generateBuiltinDataset({ seed: 1, numTrain: 64, numTest: 16 });
  it('is stable for the same data and differs for other data', () => {
    const same = fingerprintDataset(generateBuiltinDataset({ seed: 1, numTrain: 64, numTest: 16 }));
    expect(same).toEqual(fingerprintDataset(a));
    expect(fingerprintDataset(generateBuiltinDataset({ seed: 2, numTrain: 64, numTest: 16 })).hash).not.toBe(same.hash);
    const relabelled = { ...a, train: { ...a.train, labels: a.train.labels!.map((l) => (l + 1) % 10) } };
    expect(fingerprintDataset(relabelled).hash).not.toBe(same.hash);
    const onePixel = { ...a, train: { ...a.train, images: a.train.images.slice() } };
    onePixel.train.images[0] ^= 1;
    expect(fingerprintDataset(onePixel).hash).not.toBe(same.hash);
  });
  it('explains a mismatch naming both datasets', () => {
    const b = fingerprintDataset(generateBuiltinDataset({ seed: 1, numTrain: 32, numTest: 16 }));
    expect(fingerprintMismatch(fingerprintDataset(a), fingerprintDataset(a))).toBeNull();
    expect(fingerprintMismatch(fingerprintDataset(a), b)).toMatch(/trained on "shapes-10" \(64 training.*but the loaded dataset is "shapes-10" \(32 training/);
  });
  it('says what differs: name, counts, size, or else the pixels or labels', () => {
    const fa = fingerprintDataset(a);
    expect(fingerprintMismatch(fa, { ...fa, numTrain: 60, numTest: 20, hash: '00000000' })).toMatch(/\. They differ in the image counts \(64 \+ 16 vs 60 \+ 20\)\.$/);
    expect(fingerprintMismatch(fa, { ...fa, name: 'toys', height: 16, width: 16, hash: '00000000' })).toMatch(/They differ in the name \("shapes-10" vs "toys"\), the image size \(32×32 vs 16×16\)\.$/);
    expect(fingerprintMismatch(fa, { ...fa, hash: '00000000' })).toMatch(/Name, image counts and image size agree, so the pixels or labels differ \(other files, or files changed since\)\.$/);
  });
});
