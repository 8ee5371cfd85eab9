// PyTorch parity of the random streams and the views (python/hvp_torch/random.py, views.py,
// views_render.py): the same seeds, derived stream names and saved states give identical draws;
// the same generator state gives identical view parameters for pair and multi-crop configs
// (locals included); pair IoU / centre / jitter distances agree; and Python's batched torch
// renderer matches the CPU reference (src/core/ops/renderViews.ts) within 1e-4 for every
// augmentation on and off, with CIFAR and non-CIFAR normalisation. Runs tests/python/random_views.py
// with a Python that has torch (tests/helpers/torchPython.ts); skipped without one, except under CI=true.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type RunConfig } from '../src/core/config/runConfig';
import { centerDistance, pairCenterDistances, pairIous } from '../src/core/hvp/iou';
import type { ViewParams } from '../src/core/data/types';
import { augmentFromConfig, sampleBatchViewParams } from '../src/core/data/viewParams';
import { renderViewsReference } from '../src/core/ops/renderViews';
import { createRng, deriveSeed, hashString, rngFromState, type Rng, type RngState } from '../src/core/random';
import { createBatchSampler, type BatchSamplerState } from '../src/core/train/batchSampler';
import { cropScale, jitterDistance } from '../src/core/hvp/pairStats';
import { pairList } from '../src/core/hvp/pairs';
import { localAugment, sampledCropCounts } from '../src/core/hvp/stepViews';
import { findTorchPython, TORCH_MISSING } from './helpers/torchPython';

const SCRIPT = join(import.meta.dirname, 'python', 'random_views.py');
const python = findTorchPython();
if (!python && !process.env.CI) console.warn(`torchRandomViews: skipped, ${TORCH_MISSING}`);

type Op = [string, ...number[]];
interface RngCase { seed?: number; state?: RngState; ops: Op[] }
interface ViewCase { seed?: number; state?: RngState; config: RunConfig; numImages: number; height: number; width: number; numSteps: number }
interface RenderCase { name: string; imagesFile: string; numImages: number; height: number; width: number; params: ViewParams[]; outSize: number; mean?: number[]; std?: number[] }
interface PyResult {
  hashes: number[];
  derived: number[];
  rng: { draws: unknown[][]; state: number[] }[];
  views: { steps: { globals: ViewParams[]; locals: ViewParams[] }[]; state: number[] }[];
  pairs: { ious: number[]; centers: number[]; jitter: number[]; scales: number[] }[];
  renders: { file: string; shape: number[]; dtype: string }[];
  samplers: { batches: number[][]; state: BatchSamplerState; epoch: number }[];
}
interface SamplerCase { numImages: number; batchSize: number; seed?: number; state?: BatchSamplerState; numBatches: number }

function runOps(rng: Rng, ops: Op[]): unknown[][] {
  const times = <T>(n: number, f: () => T): T[] => Array.from({ length: n }, f);
  return ops.map(([name, a = 0, b = 0, c = 0]) => {
    if (name === 'next') return times(a, () => rng.next());
    if (name === 'u32') return times(a, () => Math.round(rng.next() * 4294967296));
    if (name === 'uniform') return times(c, () => rng.uniform(a, b));
    if (name === 'int') return times(b, () => rng.int(a));
    if (name === 'intRange') return times(c, () => rng.intRange(a, b));
    if (name === 'bernoulli') return times(b, () => rng.bernoulli(a));
    if (name === 'normal') return times(a, () => rng.normal());
    return rng.permutation(a);
  });
}

/** The view draws of one training step, as trainer.ts makes them (hvp/stepViews.ts). */
function stepViews(rng: Rng, config: RunConfig, M: number, H: number, W: number): { globals: ViewParams[]; locals: ViewParams[] } {
  const { numGlobals, numLocals } = sampledCropCounts(config, config.method === 'dino' || config.method === 'ibot' ? 'multiCrop' : 'pair');
  const globals = sampleBatchViewParams(rng, augmentFromConfig(config), numGlobals, M, H, W);
  const locals = numLocals > 0 ? sampleBatchViewParams(rng, localAugment(config), numLocals, M, H, W) : [];
  return { globals, locals };
}

const cfg = (o: Partial<RunConfig>): RunConfig => ({ ...DEFAULT_CONFIG, ...o });
const VIEW_CONFIGS: RunConfig[] = [
  cfg({ method: 'simsiam', hvpMode: 'hard', numViews: 4 }),
  cfg({ method: 'simclr', hvpMode: 'off', blurProb: 0.5, solarizeProb: 0.2, cropScaleMin: 0.08 }),
  cfg({ method: 'byol', hvpMode: 'random', numViews: 6, jitterProb: 1, jitterHue: 0.5, jitterBrightness: 1.5, grayscaleProb: 0.5 }),
  cfg({ method: 'dino', hvpMode: 'hard', numViews: 4, numLocalViews: 3, blurProb: 1, blurSigmaMin: 0.1, blurSigmaMax: 3 }),
  cfg({ method: 'ibot', hvpMode: 'hard', numViews: 2, numLocalViews: 4, localScaleMin: 0.01, localScaleMax: 0.3 }),
  cfg({ method: 'dino', hvpMode: 'off', numLocalViews: 2, cropScaleMin: 0.9, cropScaleMax: 1 }),
  cfg({ method: 'simsiam', hvpMode: 'hard', numViews: 4, cropScaleMin: 0.001, cropScaleMax: 0.002 }), // many crop fallbacks on a 7×40 image
];
const VIEW_SHAPES: [number, number][] = [[32, 32], [32, 32], [64, 64], [32, 32], [24, 24], [32, 32], [7, 40]];

/** Base params (no augmentation) plus the given fields. */
const vp = (o: Partial<ViewParams>): ViewParams => ({
  top: 0, left: 0, height: 20, width: 20, isFlipped: false, hasJitter: false, brightness: 1, contrast: 1, saturation: 1, hue: 0,
  jitterOrder: [0, 1, 2, 3], isGrayscale: false, blurSigma: 0, isSolarized: false, ...o,
});

/** Render cases: M source images, each case one augmentation (or all) on, V = N·M params. */
function renderCases(M: number, src: number): { name: string; params: ViewParams[]; outSize: number }[] {
  const rng = createRng(77);
  const box = (): Partial<ViewParams> => {
    const h = 1 + rng.int(src), w = 1 + rng.int(src);
    return { top: rng.int(src - h + 1), left: rng.int(src - w + 1), height: h, width: w };
  };
  const many = (n: number, f: (i: number) => Partial<ViewParams>): ViewParams[] => Array.from({ length: n * M }, (_, i) => vp({ ...box(), ...f(i) }));
  const orders: [number, number, number, number][] = [[0, 1, 2, 3], [3, 2, 1, 0], [1, 3, 0, 2], [2, 0, 3, 1]];
  const jit = (i: number): Partial<ViewParams> => ({ hasJitter: true, brightness: 0.3 + (i % 5) * 0.35, contrast: 0.2 + (i % 7) * 0.3, saturation: (i % 4) * 0.6, hue: -0.5 + (i % 11) * 0.1, jitterOrder: orders[i % 4]! });
  const sampled = sampleBatchViewParams(rng, augmentFromConfig(cfg({ cropScaleMin: 0.08, flipProb: 0.5, jitterProb: 0.8, jitterHue: 0.2, grayscaleProb: 0.3, blurProb: 0.5, blurSigmaMin: 0.1, blurSigmaMax: 2.5, solarizeProb: 0.3 })), 4, M, src, src);
  return [
    { name: 'crop only (up- and downscale)', params: many(2, () => ({})), outSize: 16 },
    { name: 'whole image, same size (identity)', params: many(1, () => ({ top: 0, left: 0, height: src, width: src })), outSize: src },
    { name: 'flip', params: many(2, () => ({ isFlipped: true })), outSize: 13 },
    { name: 'brightness', params: many(2, (i) => ({ hasJitter: true, brightness: 0.2 + i * 0.3 })), outSize: 12 },
    { name: 'contrast', params: many(2, (i) => ({ hasJitter: true, contrast: 0.1 + i * 0.35 })), outSize: 12 },
    { name: 'saturation', params: many(2, (i) => ({ hasJitter: true, saturation: i * 0.4 })), outSize: 12 },
    { name: 'hue', params: many(3, (i) => ({ hasJitter: true, hue: -0.5 + i * 0.13 })), outSize: 12 },
    { name: 'jitter, all four in several orders', params: many(4, jit), outSize: 12 },
    { name: 'grayscale', params: many(2, () => ({ isGrayscale: true })), outSize: 12 },
    { name: 'blur (radius 1 to the cap of 8)', params: many(3, (i) => ({ blurSigma: 0.1 + i * 0.45 })), outSize: 20 },
    { name: 'blur on a view smaller than its kernel', params: many(2, (i) => ({ blurSigma: 1 + i })), outSize: 5 },
    { name: 'solarize', params: many(2, () => ({ isSolarized: true })), outSize: 12 },
    { name: 'everything on', params: many(3, (i) => ({ ...jit(i), isFlipped: i % 2 === 0, isGrayscale: i % 3 === 0, blurSigma: 0.3 + (i % 4) * 0.5, isSolarized: true })), outSize: 16 },
    { name: 'sampled from a config with every augmentation', params: sampled, outSize: 16 },
    { name: 'degenerate 1-pixel crops', params: many(1, () => ({ height: 1, width: 1, top: 3, left: 5, hasJitter: true, hue: 0.3, contrast: 0.5 })), outSize: 4 },
  ];
}

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hvp-rv-'));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('PyTorch random streams and views', () => {
  it.runIf(python || process.env.CI)(`rng, view params, pair geometry and rendering match hvp_torch${python ? '' : ` (fails: ${TORCH_MISSING})`}`, () => {
    expect(python, TORCH_MISSING).not.toBeNull();
    // --- request ---
    const hashes = ['', 'views', 'data', 'select', 'dataset/split', 'dataset/trainSubset', 'ibot_mask:12:3', 'init:student.backbone.conv1', 'ünïcødé ✓ 𝔘'];
    const derived: [number, string][] = [[1, 'views'], [0, 'data'], [4294967295, 'select'], [-7, 'probe'], [123456789, 'dataset/split'], [2 ** 31, 'views']];
    const midState = (() => {
      const r = createRng(5);
      for (let i = 0; i < 1000; i++) r.next();
      return r.getState();
    })();
    const allOps: Op[] = [['next', 50], ['u32', 20], ['uniform', -3, 7.5, 30], ['int', 10, 40], ['int', 1e6, 20], ['intRange', 3, 9, 40], ['bernoulli', 0.3, 40], ['normal', 200], ['permutation', 50], ['permutation', 1], ['next', 5]];
    const rngCases: RngCase[] = [
      { seed: 0, ops: allOps }, { seed: 1, ops: allOps }, { seed: 4294967295, ops: allOps }, { seed: -1, ops: [['next', 10]] },
      { seed: deriveSeed(42, 'views'), ops: allOps }, { state: midState, ops: allOps },
      { state: [0, 0, 0, 0], ops: [['u32', 30]] }, { state: [4294967295, 4294967295, 4294967295, 4294967295], ops: [['u32', 30], ['next', 10]] },
    ];
    const viewCases: ViewCase[] = VIEW_CONFIGS.map((config, i) => ({ seed: 10 + i, config, numImages: 5, height: VIEW_SHAPES[i]![0], width: VIEW_SHAPES[i]![1], numSteps: 3 }));
    viewCases.push({ state: midState, config: VIEW_CONFIGS[3]!, numImages: 4, height: 32, width: 32, numSteps: 2 });

    const pairParams = stepViews(createRng(3), cfg({ method: 'simsiam', numViews: 5, jitterHue: 0.5 }), 6, 32, 32).globals;
    const M = 3, SRC = 20;
    const images = new Uint8Array(M * SRC * SRC * 3);
    const pix = createRng(99);
    for (let i = 0; i < images.length; i++) images[i] = pix.int(256);
    writeFileSync(join(dir, 'images.u8'), images);
    const means: { mean?: number[]; std?: number[] }[] = [{ mean: [0.4914, 0.4822, 0.4465], std: [0.247, 0.243, 0.261] }, { mean: [0.1307, 0.1307, 0.1307], std: [0.3081, 0.3081, 0.3081] }, { mean: [0.6, 0.2, 0.45], std: [0.05, 0.9, 0.33] }];
    const renders: RenderCase[] = renderCases(M, SRC).map((c, i) => ({ ...c, imagesFile: 'images.u8', numImages: M, height: SRC, width: SRC, ...means[i % means.length]! }));
    const midSampler = createBatchSampler(37, 8, deriveSeed(4, 'data'));
    for (let b = 0; b < 6; b++) midSampler.nextBatch(); // into the second epoch
    const samplerCases: SamplerCase[] = [
      { numImages: 37, batchSize: 8, seed: deriveSeed(4, 'data'), numBatches: 14 },
      { numImages: 10, batchSize: 10, seed: 1, numBatches: 3 },
      { numImages: 37, batchSize: 8, state: midSampler.getState(), numBatches: 9 },
    ];
    const req = { samplers: samplerCases, hashes, derived, rng: rngCases, views: viewCases, pairs: [{ params: pairParams, numViews: 5, numImages: 6, height: 32, width: 32 }], renders };
    writeFileSync(join(dir, 'request.json'), JSON.stringify(req));

    const run = spawnSync(python!, [SCRIPT, join(dir, 'request.json'), dir], { encoding: 'utf8', timeout: 300_000, maxBuffer: 1 << 28 });
    expect(run.status, `random_views.py failed:\n${run.stderr}`).toBe(0);
    const py = JSON.parse(run.stdout) as PyResult;

    // --- random streams: exact ---
    expect(py.hashes).toEqual(hashes.map(hashString));
    expect(py.derived).toEqual(derived.map(([s, n]) => deriveSeed(s, n)));
    rngCases.forEach((c, i) => {
      const rng = c.state ? rngFromState(c.state) : createRng(c.seed!);
      const draws = runOps(rng, c.ops);
      const got = py.rng[i]!;
      c.ops.forEach(([name], j) => {
        if (name === 'normal') {
          // log / cos may differ by an ulp between V8 and libm: compare to 1e-15 and count exact ones
          const ours = draws[j] as number[], theirs = got.draws[j] as number[];
          let maxDiff = 0;
          ours.forEach((x, k) => (maxDiff = Math.max(maxDiff, Math.abs(x - theirs[k]!))));
          expect(maxDiff, `normal draws of rng case ${i}`).toBeLessThan(1e-14);
        } else {
          expect(got.draws[j], `${name} draws of rng case ${i}`).toEqual(draws[j]);
        }
      });
      expect(got.state, `state after rng case ${i}`).toEqual([...rng.getState()]);
    });

    // --- data order (train/batchSampler.ts): exact, from a seed and from a saved state ---
    samplerCases.forEach((c, i) => {
      const sampler = createBatchSampler(c.numImages, c.batchSize, c.state ?? c.seed!);
      const batches = Array.from({ length: c.numBatches }, () => Array.from(sampler.nextBatch()));
      expect(py.samplers[i], `sampler case ${i}`).toEqual({ batches, state: { ...sampler.getState(), epochRngState: [...sampler.getState().epochRngState] }, epoch: sampler.epoch });
    });

    // --- view parameters: exact, every step, globals and locals, and the stream state after ---
    viewCases.forEach((c, i) => {
      const rng = c.state ? rngFromState(c.state) : createRng(deriveSeed(c.seed!, 'views'));
      for (let s = 0; s < c.numSteps; s++) {
        const ours = stepViews(rng, c.config, c.numImages, c.height, c.width);
        const theirs = py.views[i]!.steps[s]!;
        expect(theirs.globals.length, `globals of view case ${i}`).toBe(ours.globals.length);
        expect(theirs.locals.length, `locals of view case ${i}`).toBe(ours.locals.length);
        expect(theirs, `view case ${i} (${c.config.method}, hvp ${c.config.hvpMode}) step ${s}`).toEqual(ours);
      }
      expect(py.views[i]!.state).toEqual([...rng.getState()]);
    });
    expect(py.views[3]!.steps[0]!.locals.length).toBe(2 * 3 * 5); // DINO with HVP: N/2 · l locals per image

    // --- pair geometry ---
    const pr = py.pairs[0]!;
    const close = (a: ArrayLike<number>, b: number[], tol: number, what: string): void => {
      expect(b.length, what).toBe(a.length);
      for (let k = 0; k < b.length; k++) expect(Math.abs(a[k]! - b[k]!), `${what} [${k}]`).toBeLessThanOrEqual(tol);
    };
    close(pairIous(pairParams, 5, 6), pr.ious, 0, 'pair IoUs (float32)');
    close(pairCenterDistances(pairParams, 5, 6, 32, 32), pr.centers, 0, 'pair centre distances (float32)');
    const jit: number[] = [], scales = pairParams.map((p) => cropScale(p, 32, 32));
    for (let m = 0; m < 6; m++) for (const [k, l] of pairList(5)) jit.push(jitterDistance(pairParams[k * 6 + m]!, pairParams[l * 6 + m]!));
    close(jit, pr.jitter, 0, 'jitter distances');
    close(scales, pr.scales, 0, 'crop scales');
    expect(centerDistance(pairParams[0]!, pairParams[6]!, 32, 32)).toBeCloseTo(pr.centers[0]!, 6);

    // --- rendering within 1e-4 of the float64 CPU reference ---
    const report: string[] = [];
    renders.forEach((c, i) => {
      const ref = renderViewsReference(images, Array.from({ length: M }, (_, m) => m), SRC, c.params, c.outSize); // [V, S, S, 3] in [0, 1]
      const got = new Float32Array(new Uint8Array(readFileSync(join(dir, py.renders[i]!.file))).buffer);
      expect(py.renders[i]!.shape).toEqual([c.params.length, 3, c.outSize, c.outSize]);
      expect(py.renders[i]!.dtype).toBe('torch.float32');
      expect(got.length).toBe(ref.length);
      let maxDiff = 0;
      for (let k = 0; k < ref.length; k++) maxDiff = Math.max(maxDiff, Math.abs((ref[k]! - c.mean![k % 3]!) / c.std![k % 3]! - got[k]!));
      report.push(`${c.name}: ${maxDiff.toExponential(2)}`);
      expect(maxDiff, `render "${c.name}"`).toBeLessThan(1e-4);
    });
    console.log(`torchRandomViews: render max |diff| per case (normalised units)\n  ${report.join('\n  ')}`);
  });
});
