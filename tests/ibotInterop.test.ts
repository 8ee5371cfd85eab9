// PyTorch interop of iBOT:
// - the position-embedding resize for local views (models/vitPosEmbed.ts) equals
//   torch.nn.functional.interpolate(mode='bicubic', scale_factor = (g' + 0.1)/g) as DINO's/iBOT's
//   interpolate_pos_encoding calls it, on the identity basis (every weight compared);
// - the whole method: its state dict (safetensors) loads strictly into a plain-torch iBOT with the
//   authors' module names (tests/python/ibot_outputs.py: masked_embed, last_layer / last_layer2 with
//   torch weight_norm, teacher without masked_embed, center / center2), and torch's per-sample term
//   table and combination scores (iBOTLoss.hvs) on the same globals, 8 px locals and masks equal
//   probeCandidates within 1e-4.
// Python as in torchInterop.test.ts; skipped without one except under CI=true, where it fails.
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeSafetensors, type SafetensorsTensor } from '../src/core/checkpoint/safetensors';
import { toTorchStateDict } from '../src/core/checkpoint/torchStateDict';
import { DEFAULT_CONFIG, type RunConfig } from '../src/core/config/runConfig';
import { createIbotMethod } from '../src/core/methods/ibotMethod';
import { ibotMasks } from '../src/core/methods/ibotMasks';
import { posEmbedResizeMatrix } from '../src/core/models/vitPosEmbed';
import { perturbWeights } from './helpers/perturbWeights';
import { findTorchPython, TORCH_MISSING } from './helpers/torchPython';

const python = findTorchPython();
if (!python && !process.env.CI) console.warn(`ibotInterop: skipped, ${TORCH_MISSING}`);

/** torch's resize of each of the g² basis grids: W [g'², g²] row-major. */
const TORCH_SCRIPT = `
import json, sys, torch
out = {}
for spec in sys.argv[1:]:
    g, h = map(int, spec.split(':'))
    basis = torch.eye(g * g, dtype=torch.float64).reshape(g * g, 1, g, g)
    r = torch.nn.functional.interpolate(basis, scale_factor=((h + 0.1) / g, (h + 0.1) / g), mode='bicubic', align_corners=False)
    assert r.shape[-1] == h, r.shape
    out[spec] = r.reshape(g * g, h * h).t().reshape(-1).tolist()
print(json.dumps(out))
`;

let dir = '';
beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = mkdtempSync(join(tmpdir(), 'hvp-ibot-'));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('iBOT PyTorch interop', () => {
  it.runIf(python || process.env.CI)(`equals torch bicubic interpolate_pos_encoding${python ? '' : ` (fails: ${TORCH_MISSING})`}`, () => {
    expect(python, TORCH_MISSING).not.toBeNull();
    const specs = ['8:4', '4:2', '8:6', '16:8', '4:3'];
    const run = spawnSync(python!, ['-c', TORCH_SCRIPT, ...specs], { encoding: 'utf8', timeout: 120_000 });
    expect(run.status, `torch failed:\n${run.stderr}`).toBe(0);
    const want = JSON.parse(run.stdout) as Record<string, number[]>;
    for (const spec of specs) {
      const [g, h] = spec.split(':').map(Number) as [number, number];
      const ours = posEmbedResizeMatrix(h, g);
      expect(ours.length).toBe(want[spec]!.length);
      let maxDiff = 0;
      for (let i = 0; i < ours.length; i++) maxDiff = Math.max(maxDiff, Math.abs(ours[i]! - want[spec]![i]!));
      expect(maxDiff, spec).toBeLessThan(1e-6);
    }
  });

  it.runIf(python || process.env.CI)(`loads strictly into a plain-torch iBOT and scores as iBOTLoss.hvs within 1e-4${python ? '' : ` (fails: ${TORCH_MISSING})`}`, () => {
    expect(python, TORCH_MISSING).not.toBeNull();
    const G = 4;
    const L = 2;
    const M = 3;
    const heads = 2;
    const cfg: RunConfig = {
      ...DEFAULT_CONFIG, method: 'ibot', backbone: 'vit', imageSize: 16, vitPatchSize: 4, vitDim: 16, vitDepth: 2, vitHeads: heads, vitDropPath: 0,
      dinoOutDim: 12, dinoHiddenDim: 16, dinoBottleneckDim: 8, patchOutDim: 10, numViews: G, numLocalViews: 1, localSize: 8, maskRatio: 0.4,
      teacherTemp: 0.04, teacherTempWarmupSteps: 0, teacherPatchTemp: 0.07, studentTemp: 0.1, patchLossWeight: 0.7,
    };
    const method = createIbotMethod(cfg, 3);
    perturbWeights([...method.params, ...method.buffers]);
    method.buffers.get('center')!.assign(tf.randomUniform([1, 12], -0.5, 0.5, 'float32', 1));
    method.buffers.get('center2')!.assign(tf.randomUniform([1, 1, 10], -0.5, 0.5, 'float32', 2));
    const globals = tf.randomNormal([G * M, 16, 16, 3], 0, 1, 'float32', 3) as tf.Tensor4D;
    const locals = tf.randomNormal([L * M, 8, 8, 3], 0, 1, 'float32', 4) as tf.Tensor4D;
    const combos = [[0, 1, 0], [0, 3, 1], [2, 1, 1], [2, 3, 0]];
    method.beginStep(6);
    const ours = method.probeCandidates(globals, locals, { numGlobals: G, numLocals: L }, tf.tensor2d(combos, [4, 3], 'int32'));
    const masks = ibotMasks({ seed: 3, stepIdx: 6, grid: 4, ratio: 0.4 }, [0, 1, 2, 3], M);

    const state = new Map([...method.params, ...method.buffers].map(([n, v]) => [n, { dtype: 'float32' as const, shape: v.shape, data: v.dataSync() as Float32Array }]));
    const f32 = (t: tf.Tensor): SafetensorsTensor => ({ dtype: 'F32', shape: t.shape, data: t.dataSync() as Float32Array });
    const files = { state: join(dir, 'state.safetensors'), inputs: join(dir, 'inputs.safetensors') };
    writeFileSync(files.state, encodeSafetensors(toTorchStateDict(state, 0), { format: 'pt' }));
    writeFileSync(files.inputs, encodeSafetensors(new Map([
      ['globals', f32(tf.transpose(globals, [0, 3, 1, 2]))], // NCHW
      ['locals', f32(tf.transpose(locals, [0, 3, 1, 2]))],
      ['masks', { dtype: 'F32', shape: [G * M, 4, 4], data: masks }],
      ['combos', { dtype: 'F32', shape: [4, 3], data: Float32Array.from(combos.flat()) }],
    ])));
    const run = spawnSync(python!, [join(import.meta.dirname, 'python', 'ibot_outputs.py'), files.state, files.inputs, String(heads), String(G), String(L), '0.04', '0.07', '0.1', '0.7'], { encoding: 'utf8', timeout: 120_000 });
    expect(run.status, `ibot_outputs.py failed:\n${run.stderr}`).toBe(0);
    const torch = JSON.parse(run.stdout) as { terms: number[]; scores: number[] };
    const close = (a: ArrayLike<number>, b: number[]) => {
      expect(a.length).toBe(b.length);
      let worst = 0;
      for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / Math.max(1, Math.abs(b[i]!)));
      return worst;
    };
    expect(close(ours.terms!.dataSync(), torch.terms)).toBeLessThan(1e-4);
    expect(close(ours.scores.dataSync(), torch.scores)).toBeLessThan(1e-4);
    expect(new Set(torch.scores.map((v) => v.toFixed(3))).size).toBeGreaterThan(4); // non-trivial scores
    method.dispose();
  });
});
