// The ViT backbone through the unchanged checkpoint code: its state dict has timm's keys, torch
// layouts (patch conv OIHW, linear weights [out, in] — qkv [3D, D] —, cls_token / pos_embed as
// they are), no BatchNorm counters, survives safetensors and comes back bit-identical; the tfjs
// LayersModel export refuses it with a message saying to export the checkpoint.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readModelState } from '../../../tests/helpers/modelState';
import { tinyConfig } from '../../../tests/helpers/tinyConfig';
import { createSimSiamModel, type SimSiamModel } from '../models/simsiamModel';
import type { HostTensor } from '../state/hostTensor';
import { CIFAR10_NORMALIZATION } from '../data/normalization';
import { exportBackboneLayersModel, UnsupportedExportError } from './layersModelExport';
import { decodeSafetensors, encodeSafetensors } from './safetensors';
import { fromTorchStateDict, toTorchStateDict, BACKBONE_PREFIX } from './torchStateDict';

const D = 16, P = 4, DEPTH = 2;
const config = tinyConfig({ backbone: 'vit', imageSize: 16, vitPatchSize: P, vitDim: D, vitDepth: DEPTH, vitHeads: 2 });
let model: SimSiamModel;
let state: Map<string, HostTensor>;

beforeAll(async () => {
  await tf.setBackend('cpu');
  model = createSimSiamModel(config, 3);
  state = await readModelState(model);
});
afterAll(() => model.dispose());

/** timm VisionTransformer state_dict keys of a depth-`depth` model without head. */
function timmKeys(depth: number): string[] {
  const block = ['norm1.weight', 'norm1.bias', 'attn.qkv.weight', 'attn.qkv.bias', 'attn.proj.weight', 'attn.proj.bias', 'norm2.weight', 'norm2.bias', 'mlp.fc1.weight', 'mlp.fc1.bias', 'mlp.fc2.weight', 'mlp.fc2.bias'];
  const keys = ['cls_token', 'pos_embed', 'patch_embed.proj.weight', 'patch_embed.proj.bias', 'norm.weight', 'norm.bias'];
  for (let i = 0; i < depth; i++) keys.push(...block.map((k) => `blocks.${i}.${k}`));
  return keys.sort();
}

describe('ViT checkpoints', () => {
  it('export as a timm state dict: timm keys, torch layouts, no BN counters', () => {
    const sd = toTorchStateDict(state, 7, BACKBONE_PREFIX);
    expect([...sd.keys()].sort()).toEqual(timmKeys(DEPTH));
    const shape = (k: string) => sd.get(k)!.shape;
    expect(shape('patch_embed.proj.weight')).toEqual([D, 3, P, P]); // OIHW
    expect(shape('blocks.0.attn.qkv.weight')).toEqual([3 * D, D]); // [out, in]
    expect(shape('blocks.1.mlp.fc1.weight')).toEqual([4 * D, D]);
    expect(shape('blocks.1.mlp.fc2.weight')).toEqual([D, 4 * D]);
    expect(shape('cls_token')).toEqual([1, 1, D]);
    expect(shape('pos_embed')).toEqual([1, 1 + (16 / P) ** 2, D]);

    // Element checks: torch qkv[o][i] = ours[i][o]; OIHW[o][c][h][w] = HWIO[h][w][c][o]; pos_embed unchanged.
    const ours = (k: string) => state.get(BACKBONE_PREFIX + k)!.data as Float32Array;
    const theirs = (k: string) => sd.get(k)!.data as Float32Array;
    const [o, i] = [37, 5];
    expect(theirs('blocks.0.attn.qkv.weight')[o * D + i]).toBe(ours('blocks.0.attn.qkv.weight')[i * 3 * D + o]);
    const [oc, c, h, w] = [9, 2, 3, 1];
    expect(theirs('patch_embed.proj.weight')[((oc * 3 + c) * P + h) * P + w]).toBe(ours('patch_embed.proj.weight')[((h * P + w) * 3 + c) * D + oc]);
    expect(Array.from(theirs('pos_embed'))).toEqual(Array.from(ours('pos_embed')));
  });

  it('survives safetensors and comes back into our layouts bit for bit', () => {
    const sd = toTorchStateDict(state, 7, BACKBONE_PREFIX);
    const decoded = decodeSafetensors(encodeSafetensors(sd, { format: 'pt' }));
    const back = fromTorchStateDict(decoded.tensors, BACKBONE_PREFIX);
    expect(back.numBatchesTracked).toBeNull();
    const backboneKeys = [...state.keys()].filter((k) => k.startsWith(BACKBONE_PREFIX)).sort();
    expect([...back.state.keys()].sort()).toEqual(backboneKeys);
    for (const k of backboneKeys) {
      expect(back.state.get(k)!.shape, k).toEqual(state.get(k)!.shape);
      expect(Array.from(back.state.get(k)!.data), k).toEqual(Array.from(state.get(k)!.data));
    }
  });

  it('the tfjs LayersModel export refuses the ViT and says to export the checkpoint', () => {
    let err: unknown;
    try {
      exportBackboneLayersModel(state, config, CIFAR10_NORMALIZATION);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UnsupportedExportError);
    expect((err as Error).message).toMatch(/tfjs export supports the ResNet backbones \(resnet10, resnet18\); this run's backbone is "vit"\. Export the checkpoint instead\./);
    expect((err as UnsupportedExportError).hint).toMatch(/timm's state_dict names/);
  });
});
