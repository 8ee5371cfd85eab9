// Per-dataset normalisation: computed statistics equal a direct float64 computation, the guard for
// constant channels, which sets get published statistics, and the validation the record uses.
import { describe, expect, it } from 'vitest';
import { createRng } from '../random';
import {
  CIFAR10_NORMALIZATION, computeNormalization, describeNormalization, KNOWN_NORMALIZATIONS, knownNormalizationOf, MIN_STD,
  normalizationFor, normalizationProblem,
} from './normalization';

/** Direct per-channel mean and population std of uint8 RGB bytes, in [0, 1] units (two passes, float64). */
function direct(images: Uint8Array): { mean: number[]; std: number[] } {
  const n = images.length / 3;
  const mean = [0, 1, 2].map((c) => {
    let s = 0;
    for (let i = c; i < images.length; i += 3) s += images[i]! / 255;
    return s / n;
  });
  const std = [0, 1, 2].map((c) => {
    let s = 0;
    for (let i = c; i < images.length; i += 3) s += (images[i]! / 255 - mean[c]!) ** 2;
    return Math.sqrt(s / n);
  });
  return { mean, std };
}

/** A generated set whose channels have clearly different statistics (red bright, green dark, blue wide). */
function generatedSet(numImages: number, side: number, seed: number): Uint8Array {
  const rng = createRng(seed);
  const out = new Uint8Array(numImages * side * side * 3);
  for (let i = 0; i < out.length; i += 3) {
    out[i] = 150 + Math.floor(rng.next() * 100);
    out[i + 1] = Math.floor(rng.next() * 40);
    out[i + 2] = Math.floor(rng.next() * 256);
  }
  return out;
}

describe('computeNormalization', () => {
  it('equals a direct float64 computation of the per-channel mean and population std', () => {
    const images = generatedSet(7, 9, 3);
    const got = computeNormalization({ images, numImages: 7 });
    const want = direct(images);
    expect(got.source).toBe('computed');
    for (let c = 0; c < 3; c++) {
      expect(got.mean[c]).toBeCloseTo(want.mean[c]!, 12);
      expect(got.std[c]).toBeCloseTo(want.std[c]!, 12);
    }
    // and it is not CIFAR-10's (the generated set was built to differ)
    expect(Math.abs(got.mean[0] - CIFAR10_NORMALIZATION.mean[0])).toBeGreaterThan(0.1);
    expect(Math.abs(got.std[1] - CIFAR10_NORMALIZATION.std[1])).toBeGreaterThan(0.1);
  });

  it('gives std 1 to a constant (or nearly constant) channel and says so', () => {
    const images = new Uint8Array(4 * 4 * 3);
    for (let i = 0; i < images.length; i += 3) {
      images[i] = 200; // constant
      images[i + 1] = i % 2 ? 10 : 11; // spread 0.5 grey levels < MIN_STD
      images[i + 2] = (i * 37) % 256;
    }
    const n = computeNormalization({ images, numImages: 1 });
    expect(n.mean[0]).toBeCloseTo(200 / 255, 12);
    expect(n.std[0]).toBe(1);
    expect(n.std[1]).toBe(1);
    expect(n.std[2]).toBeGreaterThan(MIN_STD);
    expect(n.std[2]).toBeLessThan(1);
    expect(describeNormalization(n)).toMatch(/constant channel gets std 1/);
  });

  it('refuses an empty set', () => {
    expect(() => computeNormalization({ images: new Uint8Array(0), numImages: 0 })).toThrow(/no images/);
  });
});

describe('which statistics a set gets', () => {
  const set = { images: generatedSet(2, 4, 1), numImages: 2 };
  const digits = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

  it("uses the published statistics of CIFAR-10/100, MNIST and Fashion-MNIST", () => {
    expect(normalizationFor({ format: 'cifar10', name: 'cifar-10-binary', classNames: [], set })).toBe(KNOWN_NORMALIZATIONS.cifar10);
    expect(normalizationFor({ format: 'cifar100', name: 'cifar-100-binary', classNames: [], set })).toBe(KNOWN_NORMALIZATIONS.cifar100);
    expect(normalizationFor({ format: 'idx', name: 'MNIST', classNames: digits, set })).toBe(KNOWN_NORMALIZATIONS.mnist);
    const fashion = normalizationFor({ format: 'idx', name: 'Fashion-MNIST', classNames: ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'], set });
    expect(fashion).toBe(KNOWN_NORMALIZATIONS['fashion-mnist']);
    // grayscale sets: the same value in all three channels
    expect(KNOWN_NORMALIZATIONS.mnist.mean).toEqual([0.1307, 0.1307, 0.1307]);
    expect(KNOWN_NORMALIZATIONS.mnist.std).toEqual([0.3081, 0.3081, 0.3081]);
  });

  it('computes the statistics of image folders, KMNIST/EMNIST and other IDX sets', () => {
    const computed = computeNormalization(set);
    expect(normalizationFor({ format: 'image-folder', name: 'pets', classNames: ['cat', 'dog'], set })).toEqual(computed);
    expect(knownNormalizationOf({ format: 'idx', name: 'kmnist', classNames: digits })).toBeNull();
    expect(knownNormalizationOf({ format: 'idx', name: 'EMNIST letters', classNames: digits })).toBeNull();
    expect(knownNormalizationOf({ format: 'idx', name: 'MNIST', classNames: Array.from({ length: 26 }, (_, i) => String(i)) })).toBeNull();
    expect(knownNormalizationOf({ format: 'idx', name: 'MNIST', classNames: [] })).toBeNull();
  });

  it("gives an empty set CIFAR-10's statistics", () => {
    expect(normalizationFor({ format: 'image-folder', name: 'x', classNames: [], set: { images: new Uint8Array(0), numImages: 0 } })).toBe(CIFAR10_NORMALIZATION);
  });
});

describe('normalizationProblem', () => {
  it('accepts a valid normalisation and names what is wrong with a malformed one', () => {
    expect(normalizationProblem(CIFAR10_NORMALIZATION)).toBeNull();
    expect(normalizationProblem({ mean: [0.1, 0.2, 0.3], std: [0.2, 0.2, 0.2], source: 'computed' })).toBeNull();
    expect(normalizationProblem(null)).toMatch(/not an object/);
    expect(normalizationProblem({ mean: [0.1, 0.2], std: [1, 1, 1], source: 'computed' })).toMatch(/mean must be three finite numbers/);
    expect(normalizationProblem({ mean: [0.1, 0.2, null], std: [1, 1, 1], source: 'computed' })).toMatch(/mean must be three finite numbers/);
    expect(normalizationProblem({ mean: [0, 0, 0], std: [1, 0, 1], source: 'computed' })).toMatch(/std must be three finite numbers > 0/);
    expect(normalizationProblem({ mean: [0, 0, 0], std: [1, -1, 1], source: 'computed' })).toMatch(/std must be/);
    expect(normalizationProblem({ mean: [0, 0, 0], std: [1, 1, 1], source: 'imagenet' })).toMatch(/source must be one of/);
  });
});
