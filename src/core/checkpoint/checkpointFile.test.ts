// The checkpoint file end to end on the tfjs CPU backend: 2S steps in one go equal S steps, export to
// .safetensors bytes, import, S steps — identical losses and weights (the determinism test).
// And every kind of bad file gets a precise message: truncated, absurd header, not ours, newer format,
// another method, another backbone, missing or misshapen tensors.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtinDatasetFor } from '../../../tests/helpers/builtinDatasetFor';
import { tinyConfig } from '../../../tests/helpers/tinyConfig';
import { expectSameValues, stepLosses } from '../../../tests/helpers/trainerSteps';
import { fingerprintDataset } from '../data/fingerprint';
import { crc32 } from '../data/formats/crc32';
import { createRng } from '../random';
import { emptyHistory } from '../run/runHistory';
import { createTrainer, type Trainer } from '../train/trainer';
import { APP_VERSION } from '../version';
import { decodeCheckpoint, encodeCheckpoint, OPTIMIZER_PREFIX } from './checkpointFile';
import { RECORD_CRC_METADATA_KEY, RECORD_METADATA_KEY } from './record';
import { decodeSafetensors, encodeSafetensors, littleEndianBytes, type SafetensorsTensor } from './safetensors';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// 16 images, batch 4: the 6 steps cross an epoch boundary.
const config = tinyConfig({ hvpMode: 'hard', numViews: 3, numTrainImages: 16, batchSize: 4, momentum: 0.9 });
const data = builtinDatasetFor(config);

async function exportBytes(t: Trainer): Promise<Uint8Array> {
  const snap = await t.snapshot();
  return encodeCheckpoint({ appVersion: APP_VERSION, createdAt: new Date(0).toISOString(), config, probeRng: createRng(5).getState(), dataset: fingerprintDataset(data), history: emptyHistory(), backend: 'cpu' }, snap);
}

/** Re-encodes a checkpoint after `edit` changes its tensors and record; checksums are recomputed
 * (as a careful editor would), so the checks after them are what these tests reach. */
function rewrite(bytes: Uint8Array, edit: (tensors: Map<string, SafetensorsTensor>, record: Record<string, unknown>) => void): Uint8Array {
  const { tensors, metadata } = decodeSafetensors(bytes);
  const record = JSON.parse(metadata[RECORD_METADATA_KEY]!) as Record<string, unknown>;
  const out = new Map<string, SafetensorsTensor>();
  for (const [k, t] of tensors) out.set(k, t.storedDtype === 'I64' ? { dtype: 'I64', shape: t.shape, data: BigInt64Array.from(t.data as Int32Array, (x) => BigInt(x)) } : ({ dtype: t.dtype, shape: t.shape, data: t.data.slice() } as SafetensorsTensor));
  edit(out, record);
  if (record.tensorCrc32) record.tensorCrc32 = Object.fromEntries([...out].map(([k, t]) => [k, crc32(littleEndianBytes(t))]));
  const json = JSON.stringify(record);
  return encodeSafetensors(out, { ...metadata, [RECORD_METADATA_KEY]: json, [RECORD_CRC_METADATA_KEY]: String(crc32(new TextEncoder().encode(json))) });
}

let saved: Uint8Array;

describe('checkpoint file', () => {
  it('S steps + export + import + S steps equals 2S steps exactly (CPU backend)', async () => {
    const straight = createTrainer(config, data);
    const all = await stepLosses(straight, 6);
    const endStraight = await straight.snapshot();
    straight.dispose();

    const first = createTrainer(config, data);
    const head = await stepLosses(first, 3);
    saved = await exportBytes(first);
    first.dispose();

    const { record, snapshot, notes } = decodeCheckpoint(saved, 'run.safetensors');
    expect(notes).toEqual([]);
    expect(record.progress.step).toBe(3);
    expect(record.config).toEqual(config);
    const resumed = createTrainer(record.config, data, { resumeFrom: snapshot });
    const tail = await stepLosses(resumed, 3);
    const endResumed = await resumed.snapshot();
    resumed.dispose();
    expect([...head, ...tail]).toEqual(all);
    expectSameValues(endResumed.model, endStraight.model);
  });

  it('stores PyTorch layouts and names: OIHW convs, [out, in] linears, num_batches_tracked, optimizer.*', () => {
    const { tensors, metadata } = decodeSafetensors(saved);
    expect(metadata.format).toBe('pt');
    const w = config.backboneWidth;
    expect(tensors.get('backbone.conv1.weight')!.shape).toEqual([w, 3, 3, 3]);
    expect(tensors.get('projector.0.weight')!.shape).toEqual([8 * w, 8 * w]);
    expect(tensors.get('predictor.0.weight')!.shape).toEqual([config.predHiddenDim, config.projDim]);
    expect(tensors.get('backbone.bn1.num_batches_tracked')!.storedDtype).toBe('I64');
    expect(tensors.get(`${OPTIMIZER_PREFIX}backbone.conv1.weight.momentum`)!.shape).toEqual([w, 3, 3, 3]);
  });

  it('refuses a truncated file and an absurd header length, naming the file', () => {
    expect(() => decodeCheckpoint(saved.subarray(0, saved.length - 100), 'cut.safetensors')).toThrow(/^cut\.safetensors is incomplete: it was cut off/);
    const absurd = saved.slice();
    new DataView(absurd.buffer).setUint32(0, 0xfffffff0, true);
    expect(() => decodeCheckpoint(absurd, 'big.safetensors')).toThrow(/^big\.safetensors is not a checkpoint: its header is damaged or it is another kind of file\..*\(Technical detail: header length field says 4294967280 bytes/);
  });

  it('says a plain safetensors file is not an HVP checkpoint', () => {
    const plain = encodeSafetensors(new Map([['w', { dtype: 'F32', shape: [1], data: new Float32Array(1) } as SafetensorsTensor]]));
    expect(() => decodeCheckpoint(plain, 'weights.safetensors')).toThrow(/^weights\.safetensors holds model weights but no HVP Playground run, so there is nothing to resume.*\(Technical detail: a valid safetensors file with 1 tensors but no "hvp\.record" metadata\.\)$/);
  });

  it('refuses a newer format version, another method and another backbone with what to do', () => {
    const newer = rewrite(saved, (_, r) => { r.version = 99; });
    expect(() => decodeCheckpoint(newer)).toThrow(/format version 99.*Update the app/);
    const swav = rewrite(saved, (_, r) => { (r.config as Record<string, unknown>).method = 'swav'; });
    expect(() => decodeCheckpoint(swav)).toThrow(/method "swav", which this version .* does not have/);
    const vit = rewrite(saved, (_, r) => { (r.config as Record<string, unknown>).backbone = 'vit_tiny'; });
    expect(() => decodeCheckpoint(vit)).toThrow(/backbone "vit_tiny"/);
    // A resnet18 record over resnet10 tensors: decodes, but building the trainer names the mismatch.
    const r18 = rewrite(saved, (_, r) => { (r.config as Record<string, unknown>).backbone = 'resnet18'; });
    const loaded = decodeCheckpoint(r18);
    expect(() => createTrainer(loaded.record.config, data, { resumeFrom: loaded.snapshot })).toThrow(/model in the checkpoint does not fit this run: missing backbone\.layer1\.1\./);
  });

  it('refuses missing and misshapen tensors', () => {
    const missing = rewrite(saved, (t) => { t.delete('backbone.layer1.0.conv1.weight'); });
    expect(() => decodeCheckpoint(missing, 'm.safetensors')).toThrow(/^m\.safetensors is damaged: .*Export .*it lacks 1 tensor\(s\) its record lists: "backbone\.layer1\.0\.conv1\.weight"/);
    const misshapen = rewrite(saved, (t) => { t.set('backbone.bn1.weight', { dtype: 'F32', shape: [3], data: new Float32Array(3) }); });
    const loaded = decodeCheckpoint(misshapen);
    expect(() => createTrainer(loaded.record.config, data, { resumeFrom: loaded.snapshot })).toThrow(/backbone\.bn1\.weight is \[3\], expected \[2\]/);
    const badMomentum = rewrite(saved, (t) => { t.set(`${OPTIMIZER_PREFIX}backbone.bn1.weight.momentum`, { dtype: 'F32', shape: [5], data: new Float32Array(5) }); });
    const l2 = decodeCheckpoint(badMomentum);
    expect(() => createTrainer(l2.record.config, data, { resumeFrom: l2.snapshot })).toThrow(/SGD optimizer state .* "backbone\.bn1\.weight\.momentum" is \[5\], expected \[2\]/);
  });

  it('fills settings a checkpoint predates with defaults and says so', () => {
    const old = rewrite(saved, (_, r) => { delete (r.config as Record<string, unknown>).knnTemperature; });
    const { record, notes } = decodeCheckpoint(old);
    expect(record.config.knnTemperature).toBe(0.07);
    expect(notes.join(' ')).toMatch(/knnTemperature/);
  });
});
