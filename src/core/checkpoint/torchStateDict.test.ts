import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tinyConfig } from '../../../tests/helpers/tinyConfig';
import { createSimSiamModel, type SimSiamModel } from '../models/simsiamModel';
import type { HostTensor } from '../state/hostTensor';
import { readModelState } from '../../../tests/helpers/modelState';
import { decodeSafetensors, encodeSafetensors } from './safetensors';
import { fromTorchStateDict, toTorchStateDict, torchvisionBackboneState } from './torchStateDict';

let model: SimSiamModel;
let state: Map<string, HostTensor>;

beforeAll(async () => {
  await tf.setBackend('cpu');
  model = createSimSiamModel(tinyConfig({ backbone: 'resnet10', backboneWidth: 2 }), 3);
  state = await readModelState(model);
});
afterAll(() => model.dispose());

describe('torch state dict', () => {
  it('backbone: torchvision keys, OIHW kernels, an int64 num_batches_tracked per BN, nothing of the heads', () => {
    const sd = torchvisionBackboneState(state, 123);
    const backboneKeys = [...state.keys()].filter((k) => k.startsWith('backbone.')).map((k) => k.slice('backbone.'.length));
    const bns = backboneKeys.filter((k) => k.endsWith('.running_mean')).map((k) => k.slice(0, -'.running_mean'.length));
    expect(bns).toContain('layer2.0.downsample.1');
    expect([...sd.keys()].sort()).toEqual([...backboneKeys, ...bns.map((b) => `${b}.num_batches_tracked`)].sort());
    expect(sd.get('conv1.weight')!.shape).toEqual([2, 3, 3, 3]);
    expect(sd.get('layer2.0.downsample.0.weight')!.shape).toEqual([4, 2, 1, 1]);
    const nbt = sd.get('layer1.0.bn2.num_batches_tracked')!;
    expect(nbt.dtype).toBe('I64');
    expect(nbt.shape).toEqual([]);
    expect(Array.from(nbt.data as BigInt64Array)).toEqual([123n]);
  });

  it('whole model: heads keep torch names, linear weights [out, in], affine-free BN gets a counter too', () => {
    const sd = toTorchStateDict(state, 0);
    expect(sd.get('projector.3.weight')!.shape).toEqual([16, 16]);
    expect(sd.get('predictor.0.weight')!.shape).toEqual([4, 16]);
    expect(sd.has('projector.4.num_batches_tracked')).toBe(true);
    expect(sd.has('projector.4.weight')).toBe(false);
  });

  it('survives a safetensors round trip back into our layout exactly', () => {
    const file = encodeSafetensors(torchvisionBackboneState(state, 7));
    const { state: back, numBatchesTracked } = fromTorchStateDict(decodeSafetensors(file).tensors, 'backbone.');
    expect(numBatchesTracked).toBe(7);
    const original = [...state].filter(([k]) => k.startsWith('backbone.'));
    expect(back.size).toBe(original.length);
    for (const [name, t] of original) {
      expect(back.get(name)!.shape, name).toEqual(t.shape);
      expect(Array.from(back.get(name)!.data), name).toEqual(Array.from(t.data));
    }
  });

  it('refuses a bad counter and an empty selection', () => {
    expect(() => toTorchStateDict(state, -1)).toThrow(/non-negative integer/);
    expect(() => toTorchStateDict(state, 1.5)).toThrow(/non-negative integer/);
    expect(() => toTorchStateDict(state, 0, 'teacher.')).toThrow(/no tensor named "teacher\.…"/);
  });
});
