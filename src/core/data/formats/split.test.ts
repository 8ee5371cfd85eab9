import { describe, expect, it } from 'vitest';
import type { ImageSet } from '../types';
import { toDataset } from './split';
import type { ImportResult } from './types';

const SIZE = 2;
const PER = SIZE * SIZE * 3;

/** An import of n images whose first two bytes encode their index; labels from `labelOf`. */
function fakeImport(n: number, labelOf: ((i: number) => number) | null, isTest?: (i: number) => boolean): ImportResult {
  const images = new Uint8Array(n * PER);
  for (let i = 0; i < n; i++) {
    images[i * PER] = i & 255;
    images[i * PER + 1] = i >> 8;
    images[i * PER + 2] = 7;
  }
  const labels = labelOf ? Int32Array.from({ length: n }, (_, i) => labelOf(i)) : null;
  const numClasses = labels ? Math.max(...labels) + 1 : 0;
  return {
    name: 'fake',
    format: 'image-folder',
    set: { images, labels, numImages: n, height: SIZE, width: SIZE },
    classNames: Array.from({ length: numClasses }, (_, c) => `c${c}`),
    isSourceTest: isTest ? Uint8Array.from({ length: n }, (_, i) => (isTest(i) ? 1 : 0)) : null,
    skipped: [],
    warnings: [],
  };
}

/** Source indices of a split part, read back from the pixels. */
const ids = (set: ImageSet): number[] => Array.from({ length: set.numImages }, (_, k) => set.images[k * PER]! + 256 * set.images[k * PER + 1]!);
const countBy = (xs: ArrayLike<number>): Record<number, number> => Array.from(xs).reduce<Record<number, number>>((m, x) => ((m[x] = (m[x] ?? 0) + 1), m), {});

// classes of 40, 30, 20 and 10 images, interleaved
const classOf = (i: number): number => (i % 10 < 4 ? 0 : i % 10 < 7 ? 1 : i % 10 < 9 ? 2 : 3);

describe('toDataset', () => {
  it("uses the source's own test marking, copying pixels and labels", () => {
    const r = fakeImport(10, (i) => i % 3, (i) => i >= 7);
    const d = toDataset(r, { name: 'cifar', seed: 1, testFraction: 0.5 });
    expect(d.name).toBe('cifar');
    expect(d.classNames).toEqual(['c0', 'c1', 'c2']);
    expect(d.numClasses).toBe(3);
    expect(ids(d.train)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(ids(d.test)).toEqual([7, 8, 9]);
    expect(Array.from(d.test.labels!)).toEqual([1, 2, 0]);
    expect(d.train.images.length).toBe(7 * PER);
    expect(d.train.images.buffer.byteLength).toBe(7 * PER);
    expect([d.test.height, d.test.width]).toEqual([SIZE, SIZE]);
  });

  it('caps the source test set at maxTest with a stratified, seeded subset', () => {
    const r = fakeImport(300, classOf, (i) => i >= 100);
    const a = toDataset(r, { name: 'x', seed: 5, testFraction: 0.1, maxTest: 50 });
    expect(a.train.numImages).toBe(100);
    expect(a.test.numImages).toBe(50);
    expect(countBy(a.test.labels!)).toEqual({ 0: 20, 1: 15, 2: 10, 3: 5 });
    expect(ids(a.test).every((i) => i >= 100)).toBe(true);
    expect(ids(toDataset(r, { name: 'x', seed: 5, testFraction: 0.1, maxTest: 50 }).test)).toEqual(ids(a.test));
    expect(ids(toDataset(r, { name: 'x', seed: 6, testFraction: 0.1, maxTest: 50 }).test)).not.toEqual(ids(a.test));
  });

  it('holds out a stratified part fixed by the seed when the source marks no test set', () => {
    const r = fakeImport(100, classOf);
    const opts = { name: 'x', seed: 42, testFraction: 0.2 };
    const a = toDataset(r, opts);
    expect(a.test.numImages).toBe(20);
    expect(a.train.numImages).toBe(80);
    expect(countBy(a.test.labels!)).toEqual({ 0: 8, 1: 6, 2: 4, 3: 2 });
    expect(countBy(a.train.labels!)).toEqual({ 0: 32, 1: 24, 2: 16, 3: 8 });
    // a partition of the images, labels travelling with their pixels
    expect([...ids(a.train), ...ids(a.test)].sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    ids(a.test).forEach((id, k) => expect(a.test.labels![k]).toBe(classOf(id)));
    // same seed → same split; another seed → another split
    expect(ids(toDataset(r, opts).test)).toEqual(ids(a.test));
    expect(ids(toDataset(r, { ...opts, seed: 43 }).test)).not.toEqual(ids(a.test));
  });

  it('keeps every class in train, and applies maxTest to the held-out part', () => {
    const r = fakeImport(12, (i) => (i === 11 ? 1 : 0));
    const d = toDataset(r, { name: 'x', seed: 3, testFraction: 0.5 });
    expect(d.train.labels).toContain(1);
    expect(d.test.numImages).toBe(6);
    expect(toDataset(r, { name: 'x', seed: 3, testFraction: 0.5, maxTest: 2 }).test.numImages).toBe(2);
  });

  it('splits an unlabelled set into held-out parts with null labels', () => {
    const r = fakeImport(40, null);
    const d = toDataset(r, { name: 'photos', seed: 9, testFraction: 0.25 });
    expect(d.numClasses).toBe(0);
    expect(d.classNames).toEqual([]);
    expect(d.train.labels).toBeNull();
    expect(d.test.labels).toBeNull();
    expect(d.test.numImages).toBe(10);
    expect(new Set([...ids(d.train), ...ids(d.test)]).size).toBe(40);
  });

  it('falls back to a held-out split when the source marks every image as test', () => {
    const r = fakeImport(20, (i) => i % 2, () => true);
    const d = toDataset(r, { name: 'x', seed: 1, testFraction: 0.2 });
    expect([d.train.numImages, d.test.numImages]).toEqual([16, 4]);
  });

  it('keeps at least one training image and rejects invalid options', () => {
    expect(toDataset(fakeImport(1, (i) => i), { name: 'x', seed: 1, testFraction: 0.5 }).train.numImages).toBe(1);
    expect(toDataset(fakeImport(5, null), { name: 'x', seed: 1, testFraction: 0 }).test.numImages).toBe(0);
    expect(() => toDataset(fakeImport(5, null), { name: 'x', seed: 1, testFraction: 1 })).toThrow(RangeError);
    expect(() => toDataset(fakeImport(5, null), { name: 'x', seed: 1, testFraction: 0.2, maxTest: -1 })).toThrow(/maxTest/);
  });
});
