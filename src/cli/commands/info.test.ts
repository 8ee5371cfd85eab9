// `info`'s summary of the run's normalisation: the record's statistics and source, or CIFAR-10's
// for a record written before per-dataset normalisation (said so), in the text rows and the JSON.
import { describe, expect, it } from 'vitest';
import type { LoadedCheckpoint } from '../../core/checkpoint/checkpointFile';
import { DEFAULT_CONFIG } from '../../core/config/runConfig';
import type { DatasetFingerprint } from '../../core/data/fingerprint';
import { CIFAR10_NORMALIZATION, type Normalization } from '../../core/data/normalization';
import { describeCheckpoint } from './info';

/** Just the parts of a loaded checkpoint describeCheckpoint reads. */
function loaded(dataset: DatasetFingerprint): LoadedCheckpoint {
  const record = {
    config: DEFAULT_CONFIG, dataset, progress: { step: 3, sampler: { epoch: 0, position: 12 } },
    history: { metrics: [], knn: [] }, createdAt: '', appVersion: '0.1.0', backend: 'cpu', version: 1,
    tensors: { model: [], optimizer: [] },
  };
  return { record, snapshot: {}, notes: [] } as unknown as LoadedCheckpoint;
}

const fingerprint: DatasetFingerprint = { name: 'pets', numTrain: 40, numTest: 4, height: 16, width: 16, hash: '0123abcd' };
const row = (rows: [string, string][], key: string) => rows.find(([k]) => k === key)?.[1];

describe('info', () => {
  it("shows the record's normalisation with its source", () => {
    const norm: Normalization = { mean: [0.25, 0.5, 0.125], std: [0.2, 0.3, 1], source: 'computed' };
    const { rows, json } = describeCheckpoint('run.safetensors', 1024, loaded({ ...fingerprint, normalization: norm }));
    expect(row(rows, 'normalisation')).toBe('mean 0.2500 0.5000 0.1250, std 0.2000 0.3000 1.0000 (computed over the imported images; a constant channel gets std 1)');
    expect(json.normalization).toEqual({ ...norm, isInRecord: true });
  });

  it("shows CIFAR-10's statistics for a record without the field, and says why", () => {
    const { rows, json } = describeCheckpoint('old.safetensors', 1024, loaded(fingerprint));
    expect(row(rows, 'normalisation')).toMatch(/^mean 0\.4914 0\.4822 0\.4465, std 0\.2470 0\.2430 0\.2610 \(CIFAR-10's published statistics\); not in the record/);
    expect(json.normalization).toEqual({ ...CIFAR10_NORMALIZATION, isInRecord: false });
  });
});
