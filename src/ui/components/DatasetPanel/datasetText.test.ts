// The dataset panel's normalisation line: a stored set's statistics and source, an old set without
// them, and the built-in set's line agreeing with CIFAR-10's values in core.
import { describe, expect, it } from 'vitest';
import { CIFAR10_NORMALIZATION, KNOWN_NORMALIZATIONS } from '../../../core/data/normalization';
import { BUILTIN_NORMALIZATION_TEXT, describeDatasetNormalization } from './datasetText';

describe('dataset panel normalisation text', () => {
  it('names the statistics and where they came from', () => {
    expect(describeDatasetNormalization(KNOWN_NORMALIZATIONS.mnist)).toBe("normalised with mean 0.131 0.131 0.131, std 0.308 0.308 0.308 (MNIST's published statistics)");
    expect(describeDatasetNormalization({ mean: [0.5, 0.25, 0], std: [0.1, 0.2, 1], source: 'computed' })).toBe('normalised with mean 0.500 0.250 0.000, std 0.100 0.200 1.000 (computed over its images)');
    expect(describeDatasetNormalization(undefined)).toMatch(/computed when a run first loads it/);
  });

  it("states the built-in set's CIFAR-10 values as core has them", () => {
    expect(BUILTIN_NORMALIZATION_TEXT).toContain(describeDatasetNormalization(CIFAR10_NORMALIZATION).replace(/^normalised with | \(.*$/g, ''));
  });
});
