/**
 * Our kernels for tfjs-backend-wasm, registered by selectEngine before it starts wasm:
 * - Conv2DBackpropFilter, which wasm lacks: the forward-conv identity (ops/conv2dGradKernels.ts).
 * - Conv2DBackpropInput: the forward-conv identity where it measured faster than wasm's own direct loop
 *   (every filter but strided 1×1 ones), else wasm's stock kernel.
 * - Sum / Mean over all axes but the channel one (BatchNorm statistics) as a matrix product, where wasm
 *   would transpose the whole tensor first; other reductions go to wasm's kernels.
 * - FusedBatchNorm as a 1×1 depthwise convolution with bias (XNNPACK) instead of wasm's scalar loop.
 * - HvpRenderViews, the fused view renderer: the CPU reference on the packed uint8 images, as on 'cpu'.
 * The pair-selection op and training BatchNorm are pure tfjs ops and run on wasm unchanged.
 * Must not import: gpu/, worker/, ui/, DOM.
 */
import * as tf from '@tensorflow/tfjs';
import { backendKernels, type KernelArgs } from '../ops/backendKernels';
import { conv2dFilterGradKernel, conv2dInputGradKernel } from '../ops/conv2dGradKernels';
import { RENDER_VIEWS_KERNEL, renderViewsCpuKernel } from '../ops/renderViewsOp';

const BACKEND = 'wasm';

/**
 * How Conv2DBackpropInput runs on wasm: 'auto' = the measured per-shape choice
 * ({@link prefersInputGradIdentity}); 'identity' and 'stock' force one (benchmarks, parity tests).
 */
export type InputGradPolicy = 'auto' | 'identity' | 'stock';
let inputGradPolicy: InputGradPolicy = 'auto';

/** Overrides the Conv2DBackpropInput choice (benchmarks and parity tests); 'auto' restores the default. */
export function setWasmInputGradPolicy(policy: InputGradPolicy): void {
  inputGradPolicy = policy;
}

/**
 * The measured choice (bench/cpu/convGradBench.ts, bench/README.md "CPU engines"): the forward-conv
 * identity for every filter larger than 1×1 (stride 1: 9 ms against wasm's stock 60–100 ms, as fast as
 * the forward conv; stride 2: 23–34 ms against 38–51 ms, the dilated dy making 4× the work), wasm's stock
 * kernel for strided 1×1 filters (8.5 ms against 15 ms).
 */
export function prefersInputGradIdentity(filterShape: readonly number[], strides: number | readonly number[]): boolean {
  const [kh, kw] = filterShape;
  const [sh, sw] = typeof strides === 'number' ? [strides, strides] : strides;
  return !(kh === 1 && kw === 1 && ((sh ?? 1) > 1 || (sw ?? 1) > 1));
}

let stockInputGrad: tf.KernelFunc | null = null;

function inputGrad(args: KernelArgs): tf.TensorInfo {
  const strides = (args.attrs as unknown as { strides: number | [number, number] }).strides;
  const filter = args.inputs.filter;
  const useIdentity = inputGradPolicy === 'identity' || (inputGradPolicy === 'auto' && filter != null && prefersInputGradIdentity(filter.shape, strides));
  if (useIdentity) {
    const out = conv2dInputGradKernel(BACKEND, args);
    if (out) return out;
  }
  if (!stockInputGrad) throw new Error('wasm: no stock Conv2DBackpropInput kernel to fall back to');
  return stockInputGrad(args as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
}

function filterGrad(args: KernelArgs): tf.TensorInfo {
  const out = conv2dFilterGradKernel(BACKEND, args);
  if (!out) throw new Error('wasm: Conv2DBackpropFilter supports NHWC float32 only');
  return out;
}

/** wasm's stock Sum / Mean, kept for the cases the matrix product does not cover. */
const stockReduce = new Map<string, tf.KernelFunc>();

/**
 * Sum / Mean over every axis but the last (BatchNorm's per-channel statistics and gradients on NHWC
 * tensors) as one matrix product w·X, X = x viewed as [rows, C] and w a row of 1 (Sum) or 1/rows (Mean).
 * wasm's own kernels first transpose the whole tensor so that the reduced axes are innermost.
 */
function leadingAxesReduce(kernelName: 'Sum' | 'Mean') {
  return (args: KernelArgs): tf.TensorInfo => {
    const { x } = args.inputs;
    const a = args.attrs as unknown as { axis: number | number[]; keepDims: boolean };
    const stock = stockReduce.get(kernelName)!;
    if (!x || x.dtype !== 'float32' || x.shape.length < 2) return stock(args as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
    const rank = x.shape.length;
    const axes = tf.util.parseAxisParam(a.axis, x.shape).sort((p, q) => p - q);
    const isLeading = axes.length === rank - 1 && axes.every((ax, i) => ax === i);
    if (!isLeading) return stock(args as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
    const { run, free } = backendKernels(BACKEND, args.backend);
    const c = x.shape[rank - 1]!;
    const rows = tf.util.sizeFromShape(x.shape) / c;
    const w = run('Fill', {}, { shape: [1, 1, rows], value: kernelName === 'Mean' ? 1 / rows : 1, dtype: 'float32' }); // [1, 1, rows]
    const xr = run('Reshape', { x }, { shape: [1, rows, c] }); // [1, rows, C]
    const y = run('BatchMatMul', { a: w, b: xr }, { transposeA: false, transposeB: false }); // [1, 1, C]
    const outShape = a.keepDims ? [...x.shape.slice(0, -1).map(() => 1), c] : [c];
    const out = run('Reshape', { x: y }, { shape: outShape });
    for (const t of [w, xr, y]) free(t);
    return out;
  };
}

let stockBatchNorm: tf.KernelFunc | null = null;

/**
 * FusedBatchNorm, y = (x − mean)·scale/√(var + eps) + offset per channel, as a 1×1 depthwise convolution
 * with bias (XNNPACK): the per-channel factor and shift are computed from the [C]-sized inputs on the
 * host, and x is viewed as [1, 1, rows, C]. wasm's own FusedBatchNorm is a scalar loop, ~16× slower on
 * the step's activations (bench/README.md "CPU engines").
 */
function batchNormAsDepthwise(args: KernelArgs): tf.TensorInfo {
  const { x, mean, variance, offset, scale } = args.inputs;
  const eps = (args.attrs as unknown as { varianceEpsilon: number }).varianceEpsilon;
  const stock = () => stockBatchNorm!(args as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
  if (!x || !mean || !variance || x.dtype !== 'float32' || x.shape.length < 1) return stock();
  const c = x.shape[x.shape.length - 1]!;
  const params = [mean, variance, offset, scale];
  if (params.some((t) => t != null && (t.dtype !== 'float32' || tf.util.sizeFromShape(t.shape) !== c))) return stock();
  const backend = args.backend as { readSync(id: object): unknown };
  const { run, free, upload } = backendKernels(BACKEND, args.backend);
  const read = (t: tf.TensorInfo | undefined) => (t ? (backend.readSync(t.dataId) as Float32Array) : null); // [C]-sized: cheap
  const [m, v, o, g] = params.map(read) as [Float32Array, Float32Array, Float32Array | null, Float32Array | null];
  const factor = new Float32Array(c); // [C] = scale / √(var + eps)
  const shift = new Float32Array(c); // [C] = offset − mean·factor
  for (let i = 0; i < c; i++) {
    factor[i] = (g ? g[i]! : 1) / Math.sqrt(v[i]! + eps);
    shift[i] = (o ? o[i]! : 0) - m[i]! * factor[i]!;
  }
  const filter = upload([1, 1, c, 1], factor); // [1, 1, C, 1]
  const bias = upload([c], shift); // [C]
  const rows = tf.util.sizeFromShape(x.shape) / c;
  const x4 = run('Reshape', { x }, { shape: [1, 1, rows, c] }); // [1, 1, rows, C]
  const y4 = run('FusedDepthwiseConv2D', { x: x4, filter, bias }, { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [1, 1], activation: 'linear' }); // [1, 1, rows, C]
  const out = run('Reshape', { x: y4 }, { shape: [...x.shape] });
  for (const t of [filter, bias, x4, y4]) free(t);
  return out;
}

let isRegistered = false;

/** Registers the kernels above for 'wasm' (once). Call after tfjs-backend-wasm was imported. */
export function registerWasmKernels(): void {
  if (isRegistered) return;
  isRegistered = true;
  const stock = tf.getKernel('Conv2DBackpropInput', BACKEND);
  if (stock) {
    stockInputGrad = stock.kernelFunc;
    tf.unregisterKernel('Conv2DBackpropInput', BACKEND);
  }
  // The stock kernel's setupFunc (binding its wasm function) still runs when the backend starts.
  tf.registerKernel({ kernelName: 'Conv2DBackpropInput', backendName: BACKEND, kernelFunc: inputGrad as unknown as tf.KernelFunc, setupFunc: stock?.setupFunc });
  for (const name of ['Sum', 'Mean'] as const) {
    const k = tf.getKernel(name, BACKEND);
    if (!k) continue;
    stockReduce.set(name, k.kernelFunc);
    tf.unregisterKernel(name, BACKEND);
    tf.registerKernel({ kernelName: name, backendName: BACKEND, kernelFunc: leadingAxesReduce(name) as unknown as tf.KernelFunc, setupFunc: k.setupFunc });
  }
  const bn = tf.getKernel('FusedBatchNorm', BACKEND);
  if (bn) {
    stockBatchNorm = bn.kernelFunc;
    tf.unregisterKernel('FusedBatchNorm', BACKEND);
    tf.registerKernel({ kernelName: 'FusedBatchNorm', backendName: BACKEND, kernelFunc: batchNormAsDepthwise as unknown as tf.KernelFunc, setupFunc: bn.setupFunc });
  }
  if (tf.getKernel('Conv2DBackpropFilter', BACKEND) == null) {
    tf.registerKernel({ kernelName: 'Conv2DBackpropFilter', backendName: BACKEND, kernelFunc: filterGrad as unknown as tf.KernelFunc });
  }
  if (tf.getKernel(RENDER_VIEWS_KERNEL, BACKEND) == null) {
    tf.registerKernel({ kernelName: RENDER_VIEWS_KERNEL, backendName: BACKEND, kernelFunc: renderViewsCpuKernel as unknown as tf.KernelFunc });
  }
}
