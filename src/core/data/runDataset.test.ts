// buildRunDataset's normalisation: the statistics of the set as imported (passed through from the
// import or the stored meta), worked out as the import would for a source without them.
import { describe, expect, it } from 'vitest';
import { tinyConfig } from '../../../tests/helpers/tinyConfig';
import { createRng } from '../random';
import { computeNormalization, KNOWN_NORMALIZATIONS, type Normalization } from './normalization';
import { buildRunDataset, type RunDatasetSource } from './runDataset';

/** 60 random 8×8 images, labelled, as an image-folder import would store them. */
function source(overrides: Partial<RunDatasetSource> = {}): RunDatasetSource {
  const rng = createRng(2);
  const images = Uint8Array.from({ length: 60 * 8 * 8 * 3 }, (_, i) => (i % 3 === 0 ? 200 : 0) + Math.floor(rng.next() * 50));
  return {
    name: 'mine', format: 'image-folder', images, labels: Int32Array.from({ length: 60 }, (_, i) => i % 3), numImages: 60, imageSize: 8,
    classNames: ['a', 'b', 'c'], isSourceTest: null, ...overrides,
  };
}

describe('buildRunDataset normalisation', () => {
  const config = tinyConfig({ numTrainImages: 1000, numTestImages: 1000 });

  it('keeps the statistics the source carries', () => {
    const given: Normalization = { mean: [0.3, 0.2, 0.1], std: [0.2, 0.25, 0.3], source: 'computed' };
    expect(buildRunDataset(source({ normalization: given }), config).normalization).toEqual(given);
  });

  it('works them out over the whole set (not the training part) when the source has none', () => {
    const s = source();
    const d = buildRunDataset(s, config);
    expect(d.test.numImages).toBeGreaterThan(0);
    expect(d.normalization).toEqual(computeNormalization({ images: s.images, numImages: s.numImages }));
    expect(d.normalization).not.toEqual(computeNormalization(d.train));
    expect(buildRunDataset(source({ format: 'cifar10' }), config).normalization).toEqual(KNOWN_NORMALIZATIONS.cifar10);
  });
});
