/**
 * The two convolution gradients as tfjs KERNELS built only from a backend's own kernels (Transpose,
 * Conv2D, Slice, BatchMatMul, Reshape, Reverse, PadV2), so any backend that has a fast forward Conv2D
 * gets fast gradients by registration, without touching the model code:
 *
 * - Conv2DBackpropFilter (the wasm backend has none): the identity of conv2dFastGrad.ts,
 *   dW = conv2d(xᵀ [Cin, H, W, N], dyᵀ [Ho, Wo, N, Cout], stride 1, dilation s) → [Cin, kh, kw, Cout] → [kh, kw, Cin, Cout],
 *   and for unpadded 1×1 filters the matrix product x[:, ::s, ::s, :]ᵀ · dy (the subsampling as a strided
 *   1×1 conv with the identity filter, the transpose explicit).
 * - Conv2DBackpropInput as a forward conv: dx = conv2d(dilate_s(dy), W rotated 180° with Cin/Cout swapped,
 *   stride 1, pads kh−1−padTop / kw−1−padLeft and the rest so that dx is H × W)
 *   (same identity as gpu/kernels/conv2dBackpropInput.ts). dilate_s is a PadV2 of dy reshaped to
 *   [N, Ho, 1, Wo, 1, C] followed by a Reshape and a Slice.
 *
 * Every intermediate is released with backend.disposeData; the returned TensorInfo belongs to the caller,
 * as any kernel output. NHWC float32 only; other cases return null and the caller falls back.
 * Must not import: gpu/, worker/, ui/, DOM.
 */
import * as tf from '@tensorflow/tfjs';
import { backendKernels, type KernelArgs } from './backendKernels';

export type { KernelArgs } from './backendKernels';

/** Attributes tfjs passes to Conv2DBackpropFilter / Conv2DBackpropInput. */
export interface ConvGradAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape?: [number, number, number, number];
  inputShape?: [number, number, number, number];
}

/**
 * Conv2DBackpropFilter by the identity. inputs x [N, H, W, Cin], dy [N, Ho, Wo, Cout]; attrs.filterShape
 * [kh, kw, Cin, Cout]. Returns dW [kh, kw, Cin, Cout], or null when the case is not NHWC float32.
 */
export function conv2dFilterGradKernel(backendName: string, args: KernelArgs): tf.TensorInfo | null {
  const { x, dy } = args.inputs;
  const a = args.attrs as unknown as ConvGradAttrs;
  if (!x || !dy || !a.filterShape || a.dataFormat === 'NCHW' || x.dtype !== 'float32' || dy.dtype !== 'float32') return null;
  const { run, free, upload } = backendKernels(backendName, args.backend);
  const [kh, kw, cin, cout] = a.filterShape;
  const info = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], a.filterShape, a.strides, 1, a.pad, a.dimRoundingMode);
  const { strideHeight: sh, strideWidth: sw, outHeight: ho, outWidth: wo, padInfo } = info;
  const [n, h, w] = x.shape as [number, number, number, number];
  if (kh === 1 && kw === 1 && padInfo.top === 0 && padInfo.left === 0) {
    // x[:, ::s, ::s, :] as a 1×1 convolution with the identity filter: strided slices are slow copies on
    // wasm (25 ms for [64, 32, 32, 16]), a strided 1×1 conv is ~1 ms
    let xs = x;
    let eye: tf.TensorInfo | null = null;
    if (sh > 1 || sw > 1) {
      const ident = new Float32Array(cin * cin);
      for (let c = 0; c < cin; c++) ident[c * cin + c] = 1;
      eye = upload([1, 1, cin, cin], ident); // [1, 1, Cin, Cin]
      xs = run('Conv2D', { x, filter: eye }, { strides: [sh, sw], pad: 'valid', dataFormat: 'NHWC', dilations: [1, 1] }); // [N, Ho, Wo, Cin]
    }
    const rows = n * ho * wo;
    const xr = run('Reshape', { x: xs }, { shape: [rows, cin] }); // [rows, Cin]
    const xT = run('Transpose', { x: xr }, { perm: [1, 0] }); // [Cin, rows]
    const xT3 = run('Reshape', { x: xT }, { shape: [1, cin, rows] }); // [1, Cin, rows]
    const dyr = run('Reshape', { x: dy }, { shape: [1, rows, cout] }); // [1, rows, Cout]
    // no transposeA: wasm's BatchMatMul with a transposed operand is ~8× slower than this transpose + product
    const g = run('BatchMatMul', { a: xT3, b: dyr }, { transposeA: false, transposeB: false }); // [1, Cin, Cout]
    const out = run('Reshape', { x: g }, { shape: [1, 1, cin, cout] }); // [kh, kw, Cin, Cout]
    for (const t of [xr, xT, xT3, dyr, g]) free(t);
    if (eye) free(eye);
    if (xs !== x) free(xs);
    return out;
  }
  const bottom = kh + (ho - 1) * sh - h - padInfo.top;
  const right = kw + (wo - 1) * sw - w - padInfo.left;
  const xT = run('Transpose', { x }, { perm: [3, 1, 2, 0] }); // [Cin, H, W, N]
  const dyT = run('Transpose', { x: dy }, { perm: [1, 2, 0, 3] }); // [Ho, Wo, N, Cout]
  const pad = [[0, 0], [padInfo.top, Math.max(0, bottom)], [padInfo.left, Math.max(0, right)], [0, 0]];
  let g = run('Conv2D', { x: xT, filter: dyT }, { strides: [1, 1], pad, dataFormat: 'NHWC', dilations: [sh, sw] }); // [Cin, kh + max(0, −bottom), kw + max(0, −right), Cout]
  if (bottom < 0 || right < 0) {
    const cropped = run('Slice', { x: g }, { begin: [0, 0, 0, 0], size: [cin, kh, kw, cout] }); // [Cin, kh, kw, Cout]
    free(g);
    g = cropped;
  }
  const out = run('Transpose', { x: g }, { perm: [1, 2, 0, 3] }); // [kh, kw, Cin, Cout]
  for (const t of [xT, dyT, g]) free(t);
  return out;
}

/** The forward convolution that computes dx: dy's dilation, the pads, and the output it must give. */
export interface InputGradPlan {
  strideH: number;
  strideW: number;
  /** Shape of dilate_s(dy) [N, (Ho−1)·sh + 1, (Wo−1)·sw + 1, Cout]. */
  dilatedShape: [number, number, number, number];
  /** Explicit pads of the forward conv, [[0,0],[T',B'],[L',R'],[0,0]]. */
  pads: tf.backend_util.ExplicitPadding;
}

/**
 * Plan of the input-gradient identity for one problem (shared with gpu/kernels/conv2dBackpropInput.ts);
 * null when a transformed pad would be negative.
 */
export function planInputGrad(dyShape: readonly number[], filterShape: readonly number[], attrs: Pick<ConvGradAttrs, 'strides' | 'pad' | 'dimRoundingMode'> & { inputShape: [number, number, number, number] }): InputGradPlan | null {
  const [kh, kw] = filterShape as [number, number, number, number];
  const info = tf.backend_util.computeConv2DInfo(
    attrs.inputShape, filterShape as [number, number, number, number], attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, false, 'channelsLast',
  );
  const [n, ho, wo, cout] = dyShape as [number, number, number, number];
  const [, h, w] = attrs.inputShape;
  const { strideHeight: sh, strideWidth: sw, padInfo } = info;
  const hd = (ho - 1) * sh + 1;
  const wd = (wo - 1) * sw + 1;
  const top = kh - 1 - padInfo.top;
  const left = kw - 1 - padInfo.left;
  const bottom = h - hd - top + kh - 1; // output rows: hd + top + bottom − kh + 1 = H
  const right = w - wd - left + kw - 1;
  if (Math.min(top, left, bottom, right) < 0) return null;
  return { strideH: sh, strideW: sw, dilatedShape: [n, hd, wd, cout], pads: [[0, 0], [top, bottom], [left, right], [0, 0]] };
}

/**
 * Conv2DBackpropInput as a forward conv. inputs dy [N, Ho, Wo, Cout], filter [kh, kw, Cin, Cout];
 * attrs.inputShape [N, H, W, Cin]. Returns dx [N, H, W, Cin], or null when the identity does not apply
 * (NCHW, a dtype other than float32, a transformed pad that would be negative).
 */
export function conv2dInputGradKernel(backendName: string, args: KernelArgs): tf.TensorInfo | null {
  const { dy, filter } = args.inputs;
  const a = args.attrs as unknown as ConvGradAttrs;
  if (!dy || !filter || !a.inputShape || a.dataFormat === 'NCHW' || dy.dtype !== 'float32' || filter.dtype !== 'float32') return null;
  const plan = planInputGrad(dy.shape, filter.shape, { ...a, inputShape: a.inputShape });
  if (!plan) return null;
  const [n, ho, wo, cout] = dy.shape as [number, number, number, number];
  const { strideH: sh, strideW: sw, dilatedShape: [, hd, wd] } = plan;
  const { run, free } = backendKernels(backendName, args.backend);
  const flipped = run('Reverse', { x: filter }, { dims: [0, 1] }); // [kh, kw, Cin, Cout], rotated 180°
  const rotated = run('Transpose', { x: flipped }, { perm: [0, 1, 3, 2] }); // [kh, kw, Cout, Cin]
  free(flipped);
  let dilated = dy;
  if (sh > 1 || sw > 1) {
    const dy6 = run('Reshape', { x: dy }, { shape: [n, ho, 1, wo, 1, cout] }); // [N, Ho, 1, Wo, 1, Cout]
    const padded = run('PadV2', { x: dy6 }, { paddings: [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]], constantValue: 0 }); // [N, Ho, sh, Wo, sw, Cout]
    const flat = run('Reshape', { x: padded }, { shape: [n, ho * sh, wo * sw, cout] }); // [N, Ho·sh, Wo·sw, Cout]
    dilated = run('Slice', { x: flat }, { begin: [0, 0, 0, 0], size: [n, hd, wd, cout] }); // [N, hd, wd, Cout]
    for (const t of [dy6, padded, flat]) free(t);
  }
  const out = run('Conv2D', { x: dilated, filter: rotated }, { strides: [1, 1], pad: plan.pads, dataFormat: 'NHWC', dilations: [1, 1] }); // [N, H, W, Cin]
  free(rotated);
  if (dilated !== dy) free(dilated);
  return out;
}
