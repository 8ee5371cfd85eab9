// The ViT backbone on the tfjs CPU backend: timm names and shapes, parameter count by hand,
// DINO-style init, CLS features, drop_path seeded per (step, call) through createBackbone and the
// identity in eval mode, weight-decay exclusions, and clear errors for bad shapes.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../random';
import { createBackbone, type BackboneConfig } from './backbone';
import { createParamStore } from './paramStore';
import { createVit, vitParamCount } from './vit';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** The tiny test ViT: 16×16 views, patch 4 (16 tokens), dim 16, depth 2, 2 heads. */
const TINY = { imageSize: 16, patchSize: 4, dim: 16, depth: 2, numHeads: 2, dropPath: 0 };
const TINY_CFG: BackboneConfig = { backbone: 'vit', backboneWidth: 2, imageSize: 16, vitPatchSize: 4, vitDim: 16, vitDepth: 2, vitHeads: 2, vitDropPath: 0.5 };
const images = (seed: number, b = 4): tf.Tensor4D => tf.randomNormal([b, 16, 16, 3], 0, 1, 'float32', seed) as tf.Tensor4D;

describe('vit', () => {
  it('creates timm-named parameters with tfjs layouts and CLS features [B, D]', () => {
    const store = createParamStore(1);
    const vit = createVit(store, TINY);
    const shape = (n: string) => store.params.get(n)?.shape;
    expect(shape('patch_embed.proj.weight')).toEqual([4, 4, 3, 16]); // HWIO
    expect(shape('patch_embed.proj.bias')).toEqual([16]);
    expect(shape('cls_token')).toEqual([1, 1, 16]);
    expect(shape('pos_embed')).toEqual([1, 17, 16]);
    expect(shape('blocks.1.attn.qkv.weight')).toEqual([16, 48]); // [in, out]
    expect(shape('blocks.1.attn.proj.bias')).toEqual([16]);
    expect(shape('blocks.0.mlp.fc1.weight')).toEqual([16, 64]);
    expect(shape('blocks.0.mlp.fc2.weight')).toEqual([64, 16]);
    expect(shape('blocks.0.norm2.weight')).toEqual([16]);
    expect(shape('norm.bias')).toEqual([16]);
    expect(store.buffers.size).toBe(0);
    expect(vit.numPatches).toBe(16);
    const x = images(1);
    const f = vit.forward(x, false, null);
    expect(f.shape).toEqual([4, 16]);
    expect(Array.from(f.dataSync()).every(Number.isFinite)).toBe(true);
    tf.dispose([x, f]);
    store.dispose();
  });

  it('has the hand-counted number of parameters (and ViT-Tiny/16 at 224 px has 5,524,416 without its head)', () => {
    const store = createParamStore(1);
    createVit(store, TINY);
    const total = [...store.params.values()].reduce((s, v) => s + v.size, 0);
    // patch 4·4·3·16 + 16 = 784; cls 16; pos 17·16 = 272; per block: norm1 32 + qkv 16·48 + 48 = 816 +
    // proj 16·16 + 16 = 272 + norm2 32 + fc1 16·64 + 64 = 1088 + fc2 64·16 + 16 = 1040 → 3280; final norm 32.
    const hand = 784 + 16 + 272 + 2 * 3280 + 32;
    expect(hand).toBe(7664);
    expect(total).toBe(hand);
    expect(vitParamCount(TINY)).toBe(hand);
    // DeiT-Ti / timm vit_tiny_patch16_224 has 5,717,416 parameters including its 192·1000 + 1000 head.
    expect(vitParamCount({ imageSize: 224, patchSize: 16, dim: 192, depth: 12 })).toBe(5_717_416 - 193_000);
    store.dispose();
  });

  it('initialises as DINO: trunc-normal(0.02) linears / pos / cls, zero biases, LayerNorm 1 and 0, conv U(±1/√fanIn)', () => {
    const store = createParamStore(4);
    createVit(store, { ...TINY, dim: 32, numHeads: 4 });
    const vals = (n: string) => Array.from(store.params.get(n)!.dataSync());
    const std = (a: number[]) => Math.sqrt(a.reduce((s, x) => s + x * x, 0) / a.length);
    for (const n of ['blocks.0.mlp.fc1.weight', 'blocks.1.attn.qkv.weight', 'pos_embed']) {
      expect(std(vals(n)), n).toBeGreaterThan(0.017);
      expect(std(vals(n)), n).toBeLessThan(0.023);
    }
    expect(vals('cls_token').some((x) => x !== 0)).toBe(true);
    for (const n of ['blocks.0.attn.qkv.bias', 'blocks.1.mlp.fc2.bias', 'norm.bias', 'blocks.0.norm1.bias']) expect(vals(n).every((x) => x === 0), n).toBe(true);
    for (const n of ['norm.weight', 'blocks.1.norm2.weight']) expect(vals(n).every((x) => x === 1), n).toBe(true);
    const bound = 1 / Math.sqrt(3 * 4 * 4);
    for (const n of ['patch_embed.proj.weight', 'patch_embed.proj.bias']) {
      const a = vals(n);
      expect(Math.max(...a.map(Math.abs)), n).toBeLessThanOrEqual(bound);
      expect(Math.max(...a.map(Math.abs)), n).toBeGreaterThan(0.8 * bound);
    }
    store.dispose();
  });

  it('the CLS feature depends on every patch (attention mixes tokens)', () => {
    const store = createParamStore(2);
    const vit = createVit(store, TINY);
    const x = images(3, 1);
    const base = vit.forward(x, false, null);
    const bump = tf.tensor4d(Array.from({ length: 16 * 16 * 3 }, (_, i) => (i === (15 * 16 + 15) * 3 ? 1 : 0)), [1, 16, 16, 3]); // last pixel of the last patch
    const moved = vit.forward(tf.add(x, bump) as tf.Tensor4D, false, null);
    expect(tf.max(tf.abs(tf.sub(moved, base))).dataSync()[0]).toBeGreaterThan(1e-4);
    store.dispose();
  });

  it('excludes biases, LayerNorms, pos_embed and cls_token from weight decay (timm), not weights', () => {
    const store = createParamStore(1);
    const b = createBackbone(store, TINY_CFG, 'backbone.');
    for (const n of ['backbone.pos_embed', 'backbone.cls_token', 'backbone.norm.weight', 'backbone.blocks.0.norm1.weight', 'backbone.blocks.1.attn.qkv.bias', 'backbone.patch_embed.proj.bias']) {
      expect(b.isNoDecay(n), n).toBe(true);
    }
    for (const n of ['backbone.patch_embed.proj.weight', 'backbone.blocks.0.attn.qkv.weight', 'backbone.blocks.1.mlp.fc2.weight']) expect(b.isNoDecay(n), n).toBe(false);
    store.dispose();
  });

  it('refuses shapes it cannot build or inputs of another size, naming the value', () => {
    const store = createParamStore(1);
    expect(() => createVit(store, { ...TINY, patchSize: 5 })).toThrow(/patch size 5 does not divide the image size 16/);
    expect(() => createVit(store, { ...TINY, numHeads: 3 })).toThrow(/heads 3 do not divide the embedding dim 16/);
    expect(() => createVit(store, { ...TINY, dropPath: 1 })).toThrow(/drop_path must be in \[0, 1\)/);
    expect(() => createBackbone(store, { backbone: 'vit', backboneWidth: 2 })).toThrow(/needs "imageSize"/);
    const vit = createVit(store, TINY);
    const x = tf.zeros([1, 10, 10, 3]) as tf.Tensor4D;
    expect(() => vit.forward(x, false, null)).toThrow(/multiple of the patch size 4.*got \[1,10,10,3\]/);
    store.dispose();
  });
});

describe('vit drop_path through createBackbone', () => {
  it('linearly increases the rate over the blocks (0 … vitDropPath)', () => {
    const store = createParamStore(1);
    expect(createVit(store, { ...TINY, depth: 5, dropPath: 0.2 }).dropPathRates).toEqual([0, 0.05, 0.1, 0.15000000000000002, 0.2]);
    store.dispose();
  });

  it('is seeded by (step, call): the same step repeats exactly, calls and steps differ, eval mode is the identity', () => {
    const store = createParamStore(9);
    const b = createBackbone(store, TINY_CFG, 'backbone.');
    expect(b.isStochastic).toBe(true);
    const x = images(5, 32);
    const run = (isTraining: boolean) => Array.from(b.forward(x, isTraining, []).dataSync());
    expect(() => run(true)).toThrow(/call beginStep\(stepIdx\) before its training forwards/);

    b.beginStep(3);
    const s3c0 = run(true);
    const s3c1 = run(true);
    b.beginStep(3);
    expect(run(true)).toEqual(s3c0); // same step, same call → same masks
    expect(run(true)).toEqual(s3c1);
    expect(s3c1).not.toEqual(s3c0);
    b.beginStep(4);
    expect(run(true)).not.toEqual(s3c0);

    // Eval mode never drops: equal to a model without drop_path of the same seed, in either mode.
    const plainStore = createParamStore(9);
    const plain = createBackbone(plainStore, { ...TINY_CFG, vitDropPath: 0 }, 'backbone.');
    expect(plain.isStochastic).toBe(false);
    const reference = Array.from(plain.forward(x, true, []).dataSync());
    expect(run(false)).toEqual(reference);
    expect(s3c0).not.toEqual(reference);
    x.dispose();
    store.dispose();
    plainStore.dispose();
  });

  it('drops whole residual branches per sample in the documented draw order (block, attention then MLP, sample)', () => {
    const B = 32;
    const store = createParamStore(11);
    const vit = createVit(store, { ...TINY, dropPath: 0.5 }); // block 0: rate 0, block 1: rate 0.5
    const shallowStore = createParamStore(11); // same seed → the same patch_embed, cls, pos, blocks.0 and norm
    const shallow = createVit(shallowStore, { ...TINY, depth: 1 });
    const x = images(8, B);
    const out = Array.from(vit.forward(x, true, createRng(42)).dataSync());
    const noBlock1 = Array.from(shallow.forward(x, false, null).dataSync());
    const draws = createRng(42);
    const attnKept = Array.from({ length: B }, () => draws.next() < 0.5);
    const mlpKept = Array.from({ length: B }, () => draws.next() < 0.5);
    const D = 16;
    let numBothDropped = 0;
    for (let i = 0; i < B; i++) {
      const same = out.slice(i * D, (i + 1) * D).every((v, j) => Math.abs(v - noBlock1[i * D + j]!) < 1e-5);
      const bothDropped = !attnKept[i] && !mlpKept[i];
      expect(same, `sample ${i}`).toBe(bothDropped); // both branches of block 1 dropped ⇔ block 1 is skipped
      if (bothDropped) numBothDropped++;
    }
    expect(numBothDropped).toBeGreaterThan(0);
    expect(numBothDropped).toBeLessThan(B);
    x.dispose();
    store.dispose();
    shallowStore.dispose();
  });

  it('two backbones of one store (e.g. an EMA target) draw independent masks', () => {
    const store = createParamStore(9);
    const a = createBackbone(store, TINY_CFG, 'backbone.');
    const t = createBackbone(store, TINY_CFG, 'target.backbone.');
    for (const [name, v] of store.params) if (name.startsWith('target.')) v.assign(store.params.get(name.slice('target.'.length))!);
    const x = images(6, 32);
    a.beginStep(0);
    t.beginStep(0);
    expect(Array.from(t.forward(x, false, []).dataSync())).toEqual(Array.from(a.forward(x, false, []).dataSync()));
    expect(Array.from(t.forward(x, true, []).dataSync())).not.toEqual(Array.from(a.forward(x, true, []).dataSync()));
    x.dispose();
    store.dispose();
  });

  it('refuses a step index that is not a non-negative integer', () => {
    const store = createParamStore(1);
    const b = createBackbone(store, TINY_CFG);
    expect(() => b.beginStep(-1)).toThrow(/non-negative integer, got -1/);
    expect(() => b.beginStep(1.5)).toThrow(/got 1.5/);
    store.dispose();
  });
});
