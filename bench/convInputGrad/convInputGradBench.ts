/**
 * Conv input-gradient benchmark page (bench/convInputGrad/index.html; run with bench/runBench.mjs, see
 * bench/README.md "What limits the step"): for every conv shape of a CIFAR ResNet (bench/kernels/shapes.ts)
 * in two configs — the small step config (width 8, batch 16, 16×16; the training forward of SimSiam runs
 * it per view) and the default-size one (width 16, batch 32, 32×32) — times tfjs's stock webgpu
 * Conv2DBackpropInput kernelFunc against ours (src/gpu/kernels/conv2dBackpropInput.ts), both called
 * directly. Per shape: one warm-up call of each, then `rounds` rounds alternating the two, each timing
 * `reps` calls queued back to back and one awaited read (ms per call, wall clock including tfjs's CPU cost
 * per dispatch); the median over rounds is reported, and per config the per-step total weights each shape
 * by the number of convs of a ResNet-18 (layout [2, 2, 2, 2]) that have it, the stem excluded (its input
 * is the image, so backprop computes no dx for it).
 * `forward=1` instead times the forward Conv2D of the same shapes: tfjs's default tiled program against its
 * direct one (flag WEBGPU_USE_NAIVE_CONV2D_DEBUG), with the relative difference of their outputs.
 * Must not import: worker/, ui/.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import {
  conv2dBackpropInputConfig,
  conv2dBackpropInputIdentity,
  planInputGrad,
  stockConv2dBackpropInput,
  type Conv2DBackpropInputAttrs,
} from '../../src/gpu/kernels/conv2dBackpropInput';
import { resnetConvGrads, type ConvGradShape } from '../kernels/shapes';

type Call = () => tf.TensorInfo;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** ms per call of `reps` queued calls and one awaited read. sync point: awaits data(). */
async function timeCalls(call: Call, reps: number): Promise<number> {
  const backend = tf.backend() as WebGPUBackend;
  const t0 = performance.now();
  let last: tf.TensorInfo | null = null;
  for (let i = 0; i < reps; i++) {
    if (last) backend.disposeData(last.dataId);
    last = call();
  }
  const t = tf.engine().makeTensorFromTensorInfo(last!);
  await t.data();
  const ms = (performance.now() - t0) / reps;
  t.dispose();
  return ms;
}

async function timeShape(s: ConvGradShape, reps: number, rounds: number) {
  const backend = tf.backend() as WebGPUBackend;
  const stock = stockConv2dBackpropInput()!;
  const conv2d = tf.getKernel('Conv2D', 'webgpu')!.kernelFunc;
  const [n, h, w] = s.x;
  const ho = Math.floor((h + 2 * s.pad - s.filter[0]) / s.stride) + 1;
  const wo = Math.floor((w + 2 * s.pad - s.filter[1]) / s.stride) + 1;
  const dy = tf.randomNormal([n, ho, wo, s.filter[3]], 0, 1, 'float32', 1) as tf.Tensor4D; // [N, Ho, Wo, Cout]
  const filter = tf.randomNormal(s.filter, 0, 0.3, 'float32', 2) as tf.Tensor4D; // [kh, kw, Cin, Cout]
  const attrs: Conv2DBackpropInputAttrs = { inputShape: s.x, strides: s.stride, pad: s.pad, dataFormat: 'NHWC' };
  const plan = planInputGrad(dy.shape, filter.shape, attrs);
  if (!plan) throw new Error(`no identity plan for ${s.name}`);
  const calls: Record<'stock' | 'ours', Call> = {
    stock: () => stock({ inputs: { dy, filter }, backend, attrs: attrs as unknown as tf.NamedAttrMap }) as tf.TensorInfo,
    ours: () => conv2dBackpropInputIdentity(backend, dy, filter, plan, conv2d),
  };
  await timeCalls(calls.stock, 1);
  await timeCalls(calls.ours, 1);
  const ms = { stock: [] as number[], ours: [] as number[] };
  for (let r = 0; r < rounds; r++) {
    ms.stock.push(await timeCalls(calls.stock, reps));
    ms.ours.push(await timeCalls(calls.ours, reps));
  }
  tf.dispose([dy, filter]);
  const stockMs = median(ms.stock);
  const oursMs = median(ms.ours);
  return { name: s.name, x: s.x, filter: s.filter, stride: s.stride, count: s.count, stockMs, oursMs, speedup: stockMs / oursMs };
}

/**
 * Forward Conv2D of one shape with tfjs's default program (tiled implicit GEMM, Conv2DMMProgram) vs its
 * direct one (flag WEBGPU_USE_NAIVE_CONV2D_DEBUG, Conv2DNaiveProgram): ms per call as timeShape, and the
 * max |difference| of the two outputs relative to max |output| (both must compute the same conv).
 */
async function timeForward(s: ConvGradShape, reps: number, rounds: number) {
  const x = tf.randomNormal(s.x, 0, 1, 'float32', 3) as tf.Tensor4D; // [N, H, W, Cin]
  const filter = tf.randomNormal(s.filter, 0, 0.3, 'float32', 4) as tf.Tensor4D; // [kh, kw, Cin, Cout]
  const backend = tf.backend() as WebGPUBackend;
  const conv2d = tf.getKernel('Conv2D', 'webgpu')!.kernelFunc;
  const attrs = { strides: s.stride, pad: s.pad, dataFormat: 'NHWC', dilations: 1 } as unknown as tf.NamedAttrMap;
  const conv = (naive: boolean): Call => () => {
    tf.env().set('WEBGPU_USE_NAIVE_CONV2D_DEBUG', naive); // read by the kernelFunc at each call
    return conv2d({ inputs: { x, filter }, backend, attrs }) as tf.TensorInfo;
  };
  const [tiled, naive] = [tf.engine().makeTensorFromTensorInfo(conv(false)()), tf.engine().makeTensorFromTensorInfo(conv(true)())];
  const [a, b] = await Promise.all([tiled.data(), naive.data()]);
  let err = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    err = Math.max(err, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(a[i]!));
  }
  tf.dispose([tiled, naive]);
  const ms = { tiled: [] as number[], naive: [] as number[] };
  for (let r = 0; r < rounds; r++) {
    ms.tiled.push(await timeCalls(conv(false), reps));
    ms.naive.push(await timeCalls(conv(true), reps));
  }
  tf.env().set('WEBGPU_USE_NAIVE_CONV2D_DEBUG', false);
  tf.dispose([x, filter]);
  const tiledMs = median(ms.tiled);
  const naiveMs = median(ms.naive);
  return { name: s.name, x: s.x, filter: s.filter, stride: s.stride, count: s.count, tiledMs, naiveMs, speedup: tiledMs / naiveMs, relDiff: err / scale };
}

async function main(): Promise<void> {
  const q = new URLSearchParams(location.search);
  const reps = Number(q.get('reps') ?? 3);
  const rounds = Number(q.get('rounds') ?? 3);
  if (!(await tf.setBackend('webgpu'))) throw new Error('The WebGPU backend did not initialise');
  await tf.ready();
  const config = conv2dBackpropInputConfig('webgpu'); // captures the stock kernel (registers ours; unused here)
  if (tf.getKernel(config.kernelName, 'webgpu') == null) tf.registerKernel(config);
  const configs = [
    { config: 'small: width 8, batch 16, 16×16', shapes: resnetConvGrads(8, 16, 16) },
    { config: 'default size: width 16, batch 32, 32×32', shapes: resnetConvGrads(16, 32, 32) },
  ];
  const out = [];
  const forward = [];
  for (const c of q.get('forward') === '1' ? configs : []) {
    const rows = [];
    for (const s of c.shapes) rows.push(await timeForward(s, reps, rounds));
    const tiledPerStep = rows.reduce((a, r) => a + r.count * r.tiledMs, 0);
    const naivePerStep = rows.reduce((a, r) => a + r.count * r.naiveMs, 0);
    forward.push({ config: c.config, rows, tiledPerStepMs: tiledPerStep, naivePerStepMs: naivePerStep, speedup: tiledPerStep / naivePerStep });
  }
  for (const c of q.get('forward') === '1' ? [] : configs) {
    const rows = [];
    for (const s of c.shapes) rows.push(await timeShape(s, reps, rounds));
    // The stem's input is the image: backprop computes no dx for it.
    const weight = (r: { name: string; count: number }) => (r.name === 'stem' ? 0 : r.count);
    const stockPerStep = rows.reduce((a, r) => a + weight(r) * r.stockMs, 0);
    const oursPerStep = rows.reduce((a, r) => a + weight(r) * r.oursMs, 0);
    out.push({ config: c.config, rows, stockPerStepMs: stockPerStep, oursPerStepMs: oursPerStep, speedup: stockPerStep / oursPerStep });
  }
  const info = (tf.backend() as WebGPUBackend).adapterInfo as unknown as Record<string, string> | undefined;
  const result = { backend: tf.getBackend(), adapter: { vendor: info?.vendor, architecture: info?.architecture }, reps, rounds, results: out, forward };
  (window as unknown as { __benchResults: unknown }).__benchResults = result;
  document.getElementById('out')!.textContent = JSON.stringify(result, null, 2);
}

main().catch((e) => {
  (window as unknown as { __benchResults: unknown }).__benchResults = { error: String(e instanceof Error ? e.stack : e) };
  document.getElementById('out')!.textContent = String(e);
});
