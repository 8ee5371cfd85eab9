import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { tinyConfig } from '../../../tests/helpers/tinyConfig';
import type { BackboneName } from '../config/runConfig';
import { createSimSiamModel } from '../models/simsiamModel';
import { perturbBatchNorms, readModelState } from '../../../tests/helpers/modelState';
import { CIFAR10_NORMALIZATION, KNOWN_NORMALIZATIONS } from '../data/normalization';
import { exportBackboneLayersModel, layersModelArtifacts } from './layersModelExport';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

async function checkExport(backbone: BackboneName, width: number, size: number): Promise<void> {
  const cfg = tinyConfig({ backbone, backboneWidth: width, imageSize: size });
  const model = createSimSiamModel(cfg, 11);
  perturbBatchNorms(model, 5);
  const exported = exportBackboneLayersModel(await readModelState(model), cfg, KNOWN_NORMALIZATIONS.mnist);
  // the files as a user would write them: JSON text and raw bytes
  const json = JSON.parse(JSON.stringify(exported.modelJson)) as typeof exported.modelJson;
  const loaded = await tf.loadLayersModel(tf.io.fromMemory(layersModelArtifacts({ ...exported, modelJson: json, weightData: exported.weightData.slice(0) })));
  const x = tf.randomNormal([3, size, size, 3], 0, 1, 'float32', 4) as tf.Tensor4D; // normalised images
  const ours = model.embed(x);
  const theirs = loaded.predict(x) as tf.Tensor2D;
  expect(theirs.shape).toEqual([3, 8 * width]);
  const a = await ours.data();
  const b = await theirs.data();
  let maxDiff = 0;
  for (let i = 0; i < a.length; i++) maxDiff = Math.max(maxDiff, Math.abs(a[i]! - b[i]!));
  expect(maxDiff).toBeLessThan(1e-4);
  expect(Math.max(...Array.from(a, Math.abs))).toBeGreaterThan(0.05); // features are not trivially zero
  // the run's statistics (here MNIST's), not CIFAR-10's
  expect(loaded.getUserDefinedMetadata()).toMatchObject({ imageSize: size, backbone, normalizeMean: [0.1307, 0.1307, 0.1307], normalizeStd: [0.3081, 0.3081, 0.3081], normalizationSource: 'mnist' });
  tf.dispose([x, ours, theirs]);
  loaded.dispose();
  model.dispose();
}

describe('LayersModel export', () => {
  it('resnet10 width 8 at 16×16: tf.loadLayersModel output equals model.embed (eval BN)', async () => {
    await checkExport('resnet10', 8, 16);
  });

  it('resnet18 width 4 at 15×15 (identity blocks, odd sizes through stride-2 padding)', async () => {
    await checkExport('resnet18', 4, 15);
  });

  it('writes a manifest that matches the weight bytes and names the weights file', async () => {
    const cfg = tinyConfig({ backbone: 'resnet10', backboneWidth: 2 });
    const model = createSimSiamModel(cfg, 1);
    const exported = exportBackboneLayersModel(await readModelState(model), cfg, CIFAR10_NORMALIZATION, { weightsFileName: 'backbone.bin' });
    const [group] = exported.modelJson.weightsManifest;
    expect(group!.paths).toEqual(['backbone.bin']);
    const numel = group!.weights.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1), 0);
    expect(exported.weightData.byteLength).toBe(4 * numel);
    expect(group!.weights.map((s) => s.name)).toContain('layer2.0.downsample.0/kernel');
    model.dispose();
  });

  it('refuses a state that is not the configured backbone', async () => {
    const cfg = tinyConfig({ backbone: 'resnet10', backboneWidth: 2 });
    const model = createSimSiamModel(cfg, 1);
    const state = await readModelState(model);
    expect(() => exportBackboneLayersModel(state, { ...cfg, backbone: 'resnet18' }, CIFAR10_NORMALIZATION)).toThrow(/"backbone\.layer1\.1\.conv1\.weight" is missing/);
    expect(() => exportBackboneLayersModel(state, { ...cfg, backboneWidth: 4 }, CIFAR10_NORMALIZATION)).toThrow(/"backbone\.conv1\.weight" is float32 \[3, 3, 3, 2\], expected float32 \[3, 3, 3, 4\]/);
    const wider = createSimSiamModel(tinyConfig({ backbone: 'resnet18', backboneWidth: 2 }), 1);
    const widerState = await readModelState(wider);
    expect(() => exportBackboneLayersModel(widerState, cfg, CIFAR10_NORMALIZATION)).toThrow(/does not use: backbone\.layer1\.1/);
    model.dispose();
    wider.dispose();
  });
});
