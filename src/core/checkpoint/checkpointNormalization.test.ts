// The run's normalisation in the checkpoint record (`dataset.normalization = { mean, std, source }`,
// the field python/hvp_torch/run.py reads): it round-trips, is not part of the dataset hash, malformed
// values are refused with a clear message, and an old record without it resumes with CIFAR-10's
// values bit-identically (tfjs CPU backend).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtinDatasetFor } from '../../../tests/helpers/builtinDatasetFor';
import { tinyConfig } from '../../../tests/helpers/tinyConfig';
import { stepLosses } from '../../../tests/helpers/trainerSteps';
import { fingerprintDataset, fingerprintMismatch } from '../data/fingerprint';
import { CIFAR10_NORMALIZATION, computeNormalization, type Normalization } from '../data/normalization';
import type { Dataset } from '../data/types';
import { createRng } from '../random';
import { emptyHistory } from '../run/runHistory';
import { createTrainer } from '../train/trainer';
import type { TrainerSnapshot } from '../state/trainerState';
import { APP_VERSION } from '../version';
import { CheckpointFormatError } from './checkpointFormatError';
import { decodeCheckpoint, encodeCheckpoint } from './checkpointFile';
import { RECORD_METADATA_KEY } from './record';
import { backboneLayersModelFiles } from './runRecord';
import { decodeSafetensors } from './safetensors';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const config = tinyConfig({ hvpMode: 'hard', numViews: 3, numTrainImages: 16, batchSize: 4 });
const builtin = builtinDatasetFor(config);
/** The built-in pixels brightened: its own computed statistics differ from CIFAR-10's. */
const bright: Dataset = (() => {
  const lift = (s: Dataset['train']) => ({ ...s, images: s.images.map((v) => 128 + (v >> 1)) });
  const train = lift(builtin.train);
  return { ...builtin, name: 'bright', train, test: lift(builtin.test), normalization: computeNormalization(train) };
})();

function encode(data: Dataset, snap: TrainerSnapshot, datasetExtra: Record<string, unknown> = {}): Uint8Array {
  const dataset = { ...fingerprintDataset(data), ...datasetExtra } as ReturnType<typeof fingerprintDataset>;
  return encodeCheckpoint({ appVersion: APP_VERSION, createdAt: new Date(0).toISOString(), config, probeRng: createRng(5).getState(), dataset, history: emptyHistory(), backend: 'cpu' }, snap);
}

const rawRecord = (bytes: Uint8Array) => JSON.parse(decodeSafetensors(bytes).metadata[RECORD_METADATA_KEY]!) as { dataset: Record<string, unknown> };

describe('normalisation in the checkpoint record', () => {
  it('round-trips record.dataset.normalization and the resumed run continues with it exactly', async () => {
    const straight = createTrainer(config, bright);
    const all = await stepLosses(straight, 4);
    straight.dispose();
    const first = createTrainer(config, bright);
    const head = await stepLosses(first, 2);
    const bytes = encode(bright, await first.snapshot());
    first.dispose();

    const stored = rawRecord(bytes).dataset.normalization as Normalization;
    expect(stored).toEqual({ mean: bright.normalization.mean, std: bright.normalization.std, source: 'computed' });
    expect(Object.keys(stored).sort()).toEqual(['mean', 'source', 'std']); // the shape the Python package reads
    const { record, snapshot, notes } = decodeCheckpoint(bytes);
    expect(notes).toEqual([]);
    expect(record.dataset.normalization).toEqual(bright.normalization);
    expect(snapshot.normalization).toEqual(bright.normalization);
    // not part of the fingerprint: the same data with other statistics still matches
    expect(fingerprintMismatch(record.dataset, fingerprintDataset({ ...bright, normalization: CIFAR10_NORMALIZATION }))).toBeNull();

    const resumed = createTrainer(record.config, bright, { resumeFrom: snapshot });
    expect(resumed.normalization).toEqual(bright.normalization);
    expect([...head, ...(await stepLosses(resumed, 2))]).toEqual(all);
    // exports carry the run's statistics
    const [json] = backboneLayersModelFiles(snapshot, config, 'm');
    const meta = JSON.parse(new TextDecoder().decode(json!.bytes)).userDefinedMetadata;
    expect(meta.normalizeMean).toEqual(bright.normalization.mean);
    expect(meta.normalizeStd).toEqual(bright.normalization.std);
    resumed.dispose();
  });

  it("resumes an old record without the field with CIFAR-10's statistics, bit-identically, and says so", async () => {
    const straight = createTrainer(config, builtin); // the built-in set: CIFAR-10's statistics
    const all = await stepLosses(straight, 4);
    straight.dispose();
    const first = createTrainer(config, builtin);
    const head = await stepLosses(first, 2);
    const { normalization: _, ...oldSnap } = await first.snapshot(); // as written before the field existed
    first.dispose();
    const bytes = encode(builtin, oldSnap);
    expect('normalization' in rawRecord(bytes).dataset).toBe(false);

    const { record, snapshot, notes } = decodeCheckpoint(bytes);
    expect(notes.join(' ')).toMatch(/predates per-dataset normalisation.*CIFAR-10/);
    expect(record.dataset.normalization).toBeUndefined();
    expect(snapshot.normalization).toEqual(CIFAR10_NORMALIZATION);
    // Even offered the same pixels with other statistics, the run keeps CIFAR-10's.
    const resumed = createTrainer(record.config, { ...builtin, normalization: computeNormalization(builtin.train) }, { resumeFrom: snapshot });
    expect(resumed.normalization).toEqual(CIFAR10_NORMALIZATION);
    expect([...head, ...(await stepLosses(resumed, 2))]).toEqual(all);
    // Saved again, the record now names the statistics explicitly.
    expect(rawRecord(encode(builtin, await resumed.snapshot())).dataset.normalization).toEqual(CIFAR10_NORMALIZATION);
    resumed.dispose();
  });

  it('refuses malformed values with a message naming the field', async () => {
    const t = createTrainer(config, builtin);
    const { normalization: _, ...snap } = await t.snapshot();
    t.dispose();
    const cases: [unknown, RegExp][] = [
      [{ mean: [0.1, 0.2], std: [0.2, 0.2, 0.2], source: 'computed' }, /mean must be three finite numbers/],
      [{ mean: [0.1, null, 0.3], std: [0.2, 0.2, 0.2], source: 'computed' }, /mean must be three finite numbers/], // NaN is null in JSON
      [{ mean: [0.1, 0.2, 0.3], std: [0.2, 0, 0.2], source: 'computed' }, /std must be three finite numbers > 0/],
      [{ mean: [0.1, 0.2, 0.3], std: [0.2, -1, 0.2], source: 'computed' }, /std must be three finite numbers > 0/],
      [{ mean: [0.1, 0.2, 0.3], std: [0.2, 0.2, 0.2], source: 'imagenet' }, /source must be one of/],
      ['cifar10', /not an object/],
    ];
    for (const [value, message] of cases) {
      const bytes = encode(builtin, snap, { normalization: value });
      expect(() => decodeCheckpoint(bytes), JSON.stringify(value)).toThrow(CheckpointFormatError);
      expect(() => decodeCheckpoint(bytes), JSON.stringify(value)).toThrow(/dataset normalisation \(dataset\.normalization\) is malformed/);
      expect(() => decodeCheckpoint(bytes), JSON.stringify(value)).toThrow(message);
    }
  });
});
