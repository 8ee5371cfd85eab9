/**
 * Kernel benchmark page (bench/kernels/index.html; run with bench/runBench.mjs, see bench/kernels/README.md):
 * in the browser's WebGPU, measures
 *  - ms per optimizer step over the variables of a CIFAR ResNet-18 at width 16, fused WebGPU optimizer
 *    (src/gpu) vs its plain-tfjs reference (src/core/train/optimizers), for SGD, LARS and AdamW, plus the
 *    number of GPU dispatches per step (a machine-independent count);
 *  - ms per conv filter gradient for every conv shape of that network at batch 32, 32×32:
 *    tfjs's stock Conv2DBackpropFilter kernel vs conv2dFilterGrad (src/core/ops/conv2dFastGrad.ts, the
 *    transposed-conv identity) vs the split-K WGSL kernel (src/gpu/kernels/conv2dBackpropFilter.ts).
 * Timing is wall clock up to an awaited `data()` of the result (the GPU queue runs in order), so it
 * includes tfjs's per-dispatch CPU overhead. The variants are measured in alternating rounds and the
 * median is reported, because the shared machines this runs on are noisy.
 * Query: ?optRounds=5&optSteps=4&convReps=3&only=opt|conv. Results: window.__benchResults.
 * Must not import: src/worker, src/ui.
 */
import * as tf from '@tensorflow/tfjs';
import { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import type { Optimizer } from '../../src/core/optim/optimizer';
import { conv2dFilterGrad } from '../../src/core/ops/conv2dFastGrad';
import { createAdamw } from '../../src/core/optim/optimizers/adamw';
import { createLars } from '../../src/core/optim/optimizers/lars';
import { createSgd } from '../../src/core/optim/optimizers/sgd';
import { conv2dBackpropFilterWebGPU, stockConv2dBackpropFilter } from '../../src/gpu/kernels/conv2dBackpropFilter';
import { createFusedOptimizer, registerGpuKernels } from '../../src/gpu/register';
import { resnetConvGrads, resnetVariables, type ConvGradShape } from './shapes';

declare global {
  interface Window {
    __benchResults?: unknown;
  }
}

const query = new URLSearchParams(location.search);
const OPT_ROUNDS = Number(query.get('optRounds') ?? 5);
const OPT_STEPS = Number(query.get('optSteps') ?? 4);
const CONV_REPS = Number(query.get('convReps') ?? 3);
const ONLY = query.get('only');
const out = document.getElementById('out')!;
const log = (line: string) => {
  out.textContent += `${line}\n`;
  console.log(line);
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Counts `runWebGPUProgram` calls (= compute dispatches) made by `fn`. */
function countDispatches(fn: () => void): number {
  const backend = tf.backend() as WebGPUBackend;
  const original = backend.runWebGPUProgram;
  let n = 0;
  // Own property shadowing the prototype method for the duration of `fn`.
  backend.runWebGPUProgram = function (this: WebGPUBackend, ...args: Parameters<WebGPUBackend['runWebGPUProgram']>) {
    n++;
    return original.apply(this, args);
  };
  try {
    fn();
  } finally {
    delete (backend as Partial<WebGPUBackend>).runWebGPUProgram;
  }
  return n;
}

const OPTIMIZERS = {
  sgd: { opts: { momentum: 0.9, weightDecay: 5e-4 }, ref: () => createSgd({ momentum: 0.9, weightDecay: 5e-4 }) },
  lars: {
    opts: { momentum: 0.9, weightDecay: 1e-5, eta: 0.02, clipLr: true },
    ref: () => createLars({ momentum: 0.9, weightDecay: 1e-5, eta: 0.02, clipLr: true }),
  },
  adamw: { opts: { weightDecay: 0.04 }, ref: () => createAdamw({ weightDecay: 0.04 }) },
} as const;

/** One optimizer over its own copy of the ResNet variables, fed clones of shared base gradients. */
function makeRunner(opt: Optimizer, baseGrads: Map<string, tf.Tensor>) {
  const params = new Map(
    [...baseGrads].map(([n, g], k) => [n, tf.variable(tf.randomNormal(g.shape, 0, 0.1, 'float32', k + 1))]),
  );
  const lastParam = [...params.values()].at(-1)!;
  // tf.clone shares the base gradient's data (no GPU work); apply() disposes only the clone.
  const step = () => opt.apply(params, new Map([...baseGrads].map(([n, g]) => [n, tf.clone(g)])), 0.05);
  return {
    step,
    /** ms per step over `steps` steps, awaiting the last parameter. */
    async time(steps: number): Promise<number> {
      const t0 = performance.now();
      for (let i = 0; i < steps; i++) step();
      await lastParam.data();
      return (performance.now() - t0) / steps;
    },
    dispose() {
      opt.dispose();
      tf.dispose([...params.values()]);
    },
  };
}

async function benchOptimizer(kind: keyof typeof OPTIMIZERS) {
  const vars = resnetVariables(16);
  const baseGrads = new Map(vars.map((v, k) => [v.name, tf.randomNormal(v.shape, 0, 0.01, 'float32', 500 + k)]));
  const cfg = OPTIMIZERS[kind];
  const ref = makeRunner(cfg.ref(), baseGrads);
  const fused = makeRunner(createFusedOptimizer(kind, cfg.opts as never), baseGrads);
  for (const r of [ref, fused]) {
    r.step(); // creates state, compiles pipelines
    await r.time(1);
  }
  const dispatches = { reference: countDispatches(ref.step), fused: countDispatches(fused.step) };
  const times = { reference: [] as number[], fused: [] as number[] };
  for (let round = 0; round < OPT_ROUNDS; round++) {
    times.reference.push(await ref.time(OPT_STEPS));
    times.fused.push(await fused.time(OPT_STEPS));
  }
  ref.dispose();
  fused.dispose();
  tf.dispose([...baseGrads.values()]);
  const referenceMs = median(times.reference);
  const fusedMs = median(times.fused);
  return {
    numVariables: vars.length,
    numParams: vars.reduce((a, v) => a + v.shape.reduce((p, d) => p * d, 1), 0),
    referenceMs,
    fusedMs,
    speedup: referenceMs / fusedMs,
    dispatchesPerStep: dispatches,
    samples: times,
  };
}

interface ConvRow extends ConvGradShape {
  stockMs: number;
  fastMs: number;
  splitKMs: number;
  speedup: number;
  splitKSpeedup: number;
}

const CONV_VARIANTS = ['stock', 'fast', 'splitK'] as const;
type ConvVariant = (typeof CONV_VARIANTS)[number];

async function benchConv() {
  const rows: ConvRow[] = [];
  // The stock kernelFunc, called directly: registerGpuKernels may have replaced it in the registry.
  const stock = stockConv2dBackpropFilter('webgpu');
  if (!stock) throw new Error('no stock Conv2DBackpropFilter kernel for webgpu');
  for (const c of resnetConvGrads(16, 32, 32)) {
    const info = tf.backend_util.computeConv2DInfo(c.x, c.filter, c.stride, 1, c.pad);
    const x = tf.randomNormal(c.x, 0, 1, 'float32', 7) as tf.Tensor4D;
    const dy = tf.randomNormal([c.x[0], info.outHeight, info.outWidth, c.filter[3]], 0, 1, 'float32', 8) as tf.Tensor4D;
    const attrs = { strides: c.stride, pad: c.pad, dataFormat: 'NHWC' as const, filterShape: c.filter };
    const variants: Record<ConvVariant, () => tf.Tensor> = {
      stock: () =>
        tf.engine().makeTensorFromTensorInfo(
          stock({ inputs: { x, dy }, backend: tf.backend(), attrs: attrs as unknown as tf.NamedAttrMap }) as tf.TensorInfo,
        ),
      fast: () => conv2dFilterGrad(x, dy, c.filter, c.stride, c.pad),
      splitK: () => conv2dBackpropFilterWebGPU(x, dy, attrs),
    };
    const times: Record<ConvVariant, number[]> = { stock: [], fast: [], splitK: [] };
    for (let rep = -1; rep < CONV_REPS; rep++) {
      for (const k of CONV_VARIANTS) {
        const t0 = performance.now();
        const r = variants[k]();
        await r.data();
        r.dispose();
        if (rep >= 0) times[k].push(performance.now() - t0); // rep −1 is the warm-up
      }
    }
    const [stockMs, fastMs, splitKMs] = CONV_VARIANTS.map((k) => median(times[k]));
    const row = { ...c, stockMs, fastMs, splitKMs, speedup: stockMs / fastMs, splitKSpeedup: stockMs / splitKMs };
    rows.push(row);
    log(
      `conv ${c.name} x=[${c.x}] f=[${c.filter}] s=${c.stride} ×${c.count}: stock ${row.stockMs.toFixed(1)} ms, ` +
        `identity ${row.fastMs.toFixed(1)} ms (${row.speedup.toFixed(2)}×), ` +
        `splitK ${row.splitKMs.toFixed(1)} ms (${row.splitKSpeedup.toFixed(2)}×)`,
    );
    tf.dispose([x, dy]);
  }
  const perStep = (k: 'stockMs' | 'fastMs' | 'splitKMs') => rows.reduce((a, r) => a + r[k] * r.count, 0);
  return {
    rows,
    stockMsPerStep: perStep('stockMs'),
    fastMsPerStep: perStep('fastMs'),
    splitKMsPerStep: perStep('splitKMs'),
  };
}

async function main() {
  const t0 = performance.now();
  try {
    const adapter = await navigator.gpu?.requestAdapter();
    await tf.setBackend('webgpu');
    await tf.ready();
    if (!(tf.backend() instanceof WebGPUBackend)) throw new Error(`backend is ${tf.getBackend()}, not webgpu`);
    registerGpuKernels();
    const optimizer: Record<string, unknown> = {};
    if (ONLY !== 'conv') {
      for (const kind of Object.keys(OPTIMIZERS) as (keyof typeof OPTIMIZERS)[]) {
        const r = await benchOptimizer(kind);
        optimizer[kind] = r;
        log(
          `optimizer ${kind} (${r.numVariables} variables, ${r.numParams} params): reference ` +
            `${r.referenceMs.toFixed(2)} ms/step (${r.dispatchesPerStep.reference} dispatches), fused ` +
            `${r.fusedMs.toFixed(2)} ms/step (${r.dispatchesPerStep.fused} dispatches), ${r.speedup.toFixed(2)}×`,
        );
      }
    }
    const conv = ONLY !== 'opt' ? await benchConv() : null;
    if (conv) {
      const [stock, fast, splitK] = [conv.stockMsPerStep, conv.fastMsPerStep, conv.splitKMsPerStep].map((v) =>
        v.toFixed(0),
      );
      log(`conv filter grads per ResNet-18 step: stock ${stock} ms, identity ${fast} ms, splitK ${splitK} ms`);
    }
    window.__benchResults = {
      adapter: adapter ? { vendor: adapter.info.vendor, architecture: adapter.info.architecture } : null,
      settings: { optRounds: OPT_ROUNDS, optSteps: OPT_STEPS, convReps: CONV_REPS },
      optimizer,
      conv,
      elapsedMs: performance.now() - t0,
    };
  } catch (e) {
    window.__benchResults = { error: e instanceof Error ? `${e.message}\n${e.stack}` : String(e) };
    log(String(e));
  }
}

void main();
