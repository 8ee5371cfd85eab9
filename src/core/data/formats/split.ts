/**
 * Turns an ImportResult into the Dataset the trainer uses: a train part and a held-out test part.
 *
 * - The source's own split wins when it has one (CIFAR test_batch / test.bin, IDX t10k files) and
 *   marks both train and test images; testFraction is then ignored and maxTest keeps a stratified,
 *   seeded subset of the source's test images (the rest are dropped, never moved into train).
 * - Otherwise a held-out part of round(testFraction · n) images (at most maxTest) is drawn with
 *   createRng(deriveSeed(seed, 'dataset/split')): the same seed gives the same split, another seed
 *   another. Labelled sets are stratified: every class gives its proportional share (largest
 *   remainder) and keeps at least one training image.
 *
 * Unlabelled sets (labels null, classNames []): the test part is still a held-out part, with labels
 * null and numClasses 0. kNN accuracy is undefined there and must not be computed (the evaluator
 * skips it and the UI hides the label panels); the held-out images still serve the embedding view
 * and a held-out loss.
 * The Dataset keeps the import's normalisation statistics (of the whole set), or works them out
 * (../normalization.ts) for a result that has none.
 * Must not import: tfjs, DOM.
 */
import { createRng, deriveSeed, type Rng } from '../../random';
import { normalizationFor } from '../normalization';
import type { Dataset, ImageSet } from '../types';
import type { ImportResult } from './types';

/** Options of toDataset. */
export interface SplitOptions {
  /** Dataset name shown in the UI and stored with checkpoints. */
  name: string;
  /** Seed of the held-out split (and of the maxTest subset). */
  seed: number;
  /** Fraction of the images held out as test when the source marks no test set, in [0, 1). */
  testFraction: number;
  /** Upper bound on test images (kNN evaluation cost grows with it); no bound when omitted. */
  maxTest?: number;
}

/**
 * Per-group quotas summing to `total` (or less when caps bind), proportional to group sizes by
 * largest remainder; group g never gets more than cap(size_g).
 */
function stratifiedQuotas(sizes: number[], total: number, cap: (size: number) => number): number[] {
  const n = sizes.reduce((a, b) => a + b, 0);
  if (n === 0) return sizes.map(() => 0);
  const exact = sizes.map((s) => (s * total) / n);
  const out = sizes.map((s, g) => Math.min(Math.floor(exact[g]!), cap(s)));
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = sizes.map((_, g) => g).sort((a, b) => exact[b]! - Math.floor(exact[b]!) - (exact[a]! - Math.floor(exact[a]!)) || a - b);
  while (left > 0) {
    let isGiven = false;
    for (const g of order) {
      if (left > 0 && out[g]! < cap(sizes[g]!)) {
        out[g]!++;
        left--;
        isGiven = true;
      }
    }
    if (!isGiven) break;
  }
  return out;
}

/** Picks `count` of `indices`, stratified by label (one group when unlabelled); returned ascending. */
function stratifiedPick(indices: number[], labels: Int32Array | null, count: number, rng: Rng, keepOnePerGroup: boolean): number[] {
  const groups = new Map<number, number[]>();
  for (const i of indices) {
    const key = labels ? labels[i]! : 0;
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push(i);
  }
  const keys = [...groups.keys()].sort((a, b) => a - b);
  const lists = keys.map((k) => groups.get(k)!);
  const quotas = stratifiedQuotas(
    lists.map((l) => l.length),
    count,
    keepOnePerGroup ? (s) => Math.max(0, s - 1) : (s) => s,
  );
  const picked: number[] = [];
  lists.forEach((list, g) => {
    const perm = rng.permutation(list.length);
    for (let k = 0; k < quotas[g]!; k++) picked.push(list[perm[k]!]!);
  });
  return picked.sort((a, b) => a - b);
}

/** The images (and labels) at `indices` of `set`, as a new tight ImageSet. */
function gather(set: ImageSet, indices: number[]): ImageSet {
  const per = set.height * set.width * 3;
  const images = new Uint8Array(indices.length * per);
  const labels = set.labels ? new Int32Array(indices.length) : null;
  indices.forEach((src, dst) => {
    images.set(set.images.subarray(src * per, (src + 1) * per), dst * per);
    if (labels) labels[dst] = set.labels![src]!;
  });
  return { images, labels, numImages: indices.length, height: set.height, width: set.width };
}

/**
 * Splits an import into train and test (see the file header). Copies the pixels: drop the
 * ImportResult afterwards to free its buffer. Throws RangeError on invalid options.
 */
export function toDataset(result: ImportResult, opts: SplitOptions): Dataset {
  const { testFraction, maxTest } = opts;
  if (!(Number.isFinite(testFraction) && testFraction >= 0 && testFraction < 1)) {
    throw new RangeError(`testFraction must be in [0, 1), got ${testFraction}`);
  }
  if (maxTest !== undefined && !(Number.isInteger(maxTest) && maxTest >= 0)) {
    throw new RangeError(`maxTest must be a whole number ≥ 0, got ${maxTest}`);
  }
  const { set, isSourceTest } = result;
  const n = set.numImages;
  const rng = createRng(deriveSeed(opts.seed, 'dataset/split'));
  const all = Array.from({ length: n }, (_, i) => i);
  let trainIdx: number[];
  let testIdx: number[];
  const marked = isSourceTest ? all.filter((i) => isSourceTest[i] === 1) : [];
  if (isSourceTest && marked.length > 0 && marked.length < n) {
    trainIdx = all.filter((i) => isSourceTest[i] !== 1);
    testIdx = maxTest !== undefined && marked.length > maxTest ? stratifiedPick(marked, set.labels, maxTest, rng, false) : marked;
  } else {
    let numTest = Math.round(testFraction * n);
    if (testFraction > 0 && n >= 2) numTest = Math.max(1, numTest);
    numTest = Math.min(numTest, Math.max(0, n - 1), maxTest ?? Infinity);
    testIdx = stratifiedPick(all, set.labels, numTest, rng, true);
    const isTest = new Uint8Array(n);
    for (const i of testIdx) isTest[i] = 1;
    trainIdx = all.filter((i) => isTest[i] === 0);
  }
  return {
    name: opts.name,
    classNames: [...result.classNames],
    numClasses: result.classNames.length,
    train: gather(set, trainIdx),
    test: gather(set, testIdx),
    // Statistics of the whole imported set (not of the training part), as stored with it.
    normalization: result.normalization ?? normalizationFor(result),
  };
}
