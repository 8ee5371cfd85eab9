// PyTorch interop: our resnet18 (width 64 = torchvision's shapes) exported as a torchvision state
// dict (src/core/checkpoint/torchStateDict.ts + safetensors.ts) loads with strict=True into
// torchvision.models.resnet18 with the CIFAR stem via python/load_checkpoint.py, and gives the same
// eval-mode features as model.embed. Runs tests/python/torch_features.py with a Python that has
// torch + torchvision (HVP_PYTHON if set, else python3, else /usr/bin/python3; Debian: apt-get install
// python3-torch python3-torchvision, which .ci/run does). Without one the test is skipped, except
// under CI=true, where it fails.
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCheckpoint } from '../src/core/checkpoint/checkpointFile';
import { encodeSafetensors } from '../src/core/checkpoint/safetensors';
import { torchvisionBackboneState } from '../src/core/checkpoint/torchStateDict';
import { createRng } from '../src/core/random';
import type { RunConfig } from '../src/core/config/runConfig';
import type { HostTensor } from '../src/core/state/hostTensor';
import { createSimSiamModel } from '../src/core/models/simsiamModel';
import { perturbBatchNorms, readModelState } from './helpers/modelState';
import { tinyConfig } from './helpers/tinyConfig';
import { findTorchPython, TORCH_MISSING } from './helpers/torchPython';

const SCRIPT = join(import.meta.dirname, 'python', 'torch_features.py');

const python = findTorchPython();
const MISSING = TORCH_MISSING;
if (!python && !process.env.CI) console.warn(`torchInterop: skipped, ${MISSING}`);

interface TorchResult {
  features: number[];
  shape: number[];
  missing: string[];
  unexpected: string[];
  num_batches_tracked: { dtype: string; value: number };
  metadata: Record<string, unknown>;
}

let dir = '';
beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = mkdtempSync(join(tmpdir(), 'hvp-torch-'));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('PyTorch interop', () => {
  it.runIf(python || process.env.CI)(
    `resnet18 width 64 loads strictly into torchvision and matches model.embed within 1e-4${python ? '' : ` (fails: ${MISSING})`}`,
    async () => {
      expect(python, MISSING).not.toBeNull();
      const model = createSimSiamModel(tinyConfig({ backbone: 'resnet18', backboneWidth: 64 }), 21);
      perturbBatchNorms(model, 8);
      const state = await readModelState(model);
      const x = tf.randomNormal([2, 16, 16, 3], 0, 1, 'float32', 3) as tf.Tensor4D; // normalised NHWC images
      const ours = await model.embed(x).data(); // [2, 512]
      const nchw = await tf.transpose(x, [0, 3, 1, 2]).data(); // [2, 3, 16, 16]
      model.dispose();

      const record = { step: 37, note: 'interop' };
      const files = { input: join(dir, 'input.safetensors'), backbone: join(dir, 'backbone.safetensors'), full: join(dir, 'full.safetensors') };
      writeFileSync(files.input, encodeSafetensors(new Map([['input', { dtype: 'F32', shape: [2, 3, 16, 16], data: nchw as Float32Array }]])));
      writeFileSync(files.backbone, encodeSafetensors(torchvisionBackboneState(state, 37), { format: 'pt', 'hvp.record': JSON.stringify(record) }));
      writeFileSync(files.full, realCheckpoint(tinyConfig({ backbone: 'resnet18', backboneWidth: 64 }), state, 37)); // what the app exports

      const run = spawnSync(python!, [SCRIPT, files.input, files.backbone, files.full], { encoding: 'utf8', timeout: 120_000 });
      expect(run.status, `torch_features.py failed:\n${run.stderr}`).toBe(0);
      const { results } = JSON.parse(run.stdout) as { results: TorchResult[] };
      expect(results).toHaveLength(2);
      for (const r of results) {
        expect(r.missing).toEqual([]);
        expect(r.unexpected).toEqual([]);
        expect(r.num_batches_tracked).toEqual({ dtype: 'torch.int64', value: 37 });
        expect(r.shape).toEqual([2, 512]);
        let maxDiff = 0;
        for (let i = 0; i < ours.length; i++) maxDiff = Math.max(maxDiff, Math.abs(ours[i]! - r.features[i]!));
        expect(maxDiff).toBeLessThan(1e-4);
      }
      expect(Math.max(...Array.from(ours, Math.abs))).toBeGreaterThan(0.05); // non-trivial features
      expect(results[0]!.metadata).toEqual({ format: 'pt', 'hvp.record': record });
      expect(results[1]!.metadata).toMatchObject({ format: 'pt', 'hvp.record': { format: 'hvp-playground/checkpoint', progress: { step: 37 } } });
    },
  );

  it.runIf(python || process.env.CI)('a checkpoint of the small default-style backbone (resnet10, width 8) loads and matches too', async () => {
    expect(python, MISSING).not.toBeNull();
    const config = tinyConfig({ backbone: 'resnet10', backboneWidth: 8 });
    const model = createSimSiamModel(config, 5);
    perturbBatchNorms(model, 3);
    const state = await readModelState(model);
    const x = tf.randomNormal([2, 16, 16, 3], 0, 1, 'float32', 9) as tf.Tensor4D;
    const ours = await model.embed(x).data(); // [2, 64]
    const nchw = await tf.transpose(x, [0, 3, 1, 2]).data();
    model.dispose();
    const input = join(dir, 'input8.safetensors');
    const full = join(dir, 'full8.safetensors');
    writeFileSync(input, encodeSafetensors(new Map([['input', { dtype: 'F32', shape: [2, 3, 16, 16], data: nchw as Float32Array }]])));
    writeFileSync(full, realCheckpoint(config, state, 4));
    const run = spawnSync(python!, [SCRIPT, input, full], { encoding: 'utf8', timeout: 120_000 });
    expect(run.status, `torch_features.py failed:\n${run.stderr}`).toBe(0);
    const [r] = (JSON.parse(run.stdout) as { results: TorchResult[] }).results;
    expect(r!.missing).toEqual([]);
    expect(r!.unexpected).toEqual([]);
    expect(r!.shape).toEqual([2, 64]);
    expect(Math.max(...Array.from(ours, (v, i) => Math.abs(v - r!.features[i]!)))).toBeLessThan(1e-4);
  });
});

/** A checkpoint file as the app writes it (encodeCheckpoint) around `state`, with one momentum buffer. */
function realCheckpoint(config: RunConfig, state: Map<string, HostTensor>, step: number): Uint8Array {
  const rng = createRng(1).getState();
  const progress = { step, sampler: { epochRngState: rng, epoch: 0, position: 0 }, viewRng: rng, selectRng: rng };
  const optimizer = new Map([['backbone.conv1.weight.momentum', state.get('backbone.conv1.weight')!]]);
  return encodeCheckpoint(
    { appVersion: 'test', createdAt: '', config, probeRng: rng, dataset: { name: 'x', numTrain: 1, numTest: 1, height: 32, width: 32, hash: '0' }, history: { metrics: [], knn: [] }, backend: 'cpu' },
    { progress, model: state, optimizer },
  );
}
