/**
 * WebGPU input gradient of a 2-D convolution as a forward convolution (overrides tfjs's kernel
 * 'Conv2DBackpropInput' for a WebGPU backend). dy [N, Ho, Wo, Cout], W [kh, kw, Cin, Cout] → dx [N, H, W, Cin].
 *
 * Identity: dx = conv2d(dilate_s(dy), W', stride 1, pads T' = kh − 1 − padTop, L' = kw − 1 − padLeft and
 * B', R' chosen so that the output is exactly H × W), where W'[a, b, co, ci] = W[kh−1−a, kw−1−b, ci, co]
 * (the filter rotated by 180° with in/out channels swapped) and dilate_s puts s − 1 zeros between the
 * rows and columns of dy (nothing to do for stride 1). tfjs's webgpu Conv2DBackpropInput runs the direct
 * `Conv2DDerInputProgram` (flag WEBGPU_USE_NAIVE_CONV2D_TRANSPOSE defaults to true: one thread per dx
 * element, no workgroup memory), while its forward Conv2D is a tiled implicit GEMM; this kernel reuses
 * that forward kernel. Dispatches: the filter transform (one small program), the dilation (stride > 1,
 * one program writing an s²× larger dy, 3/4 zeros for s = 2) and tfjs's Conv2D.
 *
 * Handles NHWC float32 with non-negative transformed pads; anything else (NCHW, a pad larger than the
 * filter) goes to the stock kernel captured before ours replaced it.
 *
 * NOT registered by gpu/register.ts: on SwiftShader WebGPU it is 3–10× slower than the stock kernel on
 * every ResNet shape (bench/convInputGrad, bench/README.md "What limits the step"), because tfjs's tiled
 * forward Conv2D is itself ~10× slower per call than the direct stock dx there (workgroup barriers cost
 * per invocation), and stride 2 quadruples its work on the dilated dy. It is kept, with its parity test
 * (harness/convInputGrad.ts) and benchmark, so the comparison can be re-run on a real GPU, where the
 * tiled GEMM is the fast path; register it (conv2dBackpropInputConfig) only where that bench says so.
 * Must not import: core/ (except core/ops contracts), worker/, ui/, DOM.
 */
import * as tf from '@tensorflow/tfjs';
import { webgpu_util, type WebGPUBackend, type WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { planInputGrad, type InputGradPlan } from '../../core/ops/conv2dGradKernels';

// The plan (dilation, pads) is the op contract's, shared with the pure-kernel version in core/ops.
export { planInputGrad, type InputGradPlan };

/** tfjs's kernel name. */
export const CONV2D_BACKPROP_INPUT = 'Conv2DBackpropInput';

/** Attributes tfjs passes to Conv2DBackpropInput. */
export interface Conv2DBackpropInputAttrs {
  inputShape: [number, number, number, number];
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

const WORKGROUP: [number, number, number] = [64, 1, 1];

/** A fresh program object per call (runWebGPUProgram mutates shaderKey). */
function flatProgram(key: string, inputs: string[], outputShape: number[], uniforms: string | undefined, body: string): WebGPUProgram {
  const layout = webgpu_util.flatDispatchLayout(outputShape);
  return {
    variableNames: inputs,
    outputShape,
    shaderKey: key,
    dispatchLayout: layout,
    dispatch: webgpu_util.computeDispatch(layout, outputShape, WORKGROUP),
    workgroupSize: WORKGROUP,
    size: true,
    uniforms,
    getUserCode: () => `
      fn main(index : i32) {
        if (index < uniforms.size) {
          let c = getCoordsFromIndex(index);
          ${body}
        }
      }`,
  };
}

/** W [kh, kw, Cin, Cout] → W' [kh, kw, Cout, Cin], W'[a, b, co, ci] = W[kh−1−a, kw−1−b, ci, co]. */
function rotateFilter(backend: WebGPUBackend, filter: tf.TensorInfo): tf.TensorInfo {
  const [kh, kw, cin, cout] = filter.shape as [number, number, number, number];
  const program = flatProgram('hvpConvInputGradRotW', ['W'], [kh, kw, cout, cin], undefined,
    'setOutputAtIndex(index, getW(uniforms.wShape.x - 1 - c.x, uniforms.wShape.y - 1 - c.y, c.w, c.z));');
  return backend.runWebGPUProgram(program, [filter], 'float32');
}

/** dy [N, Ho, Wo, C] → [N, (Ho−1)·sh + 1, (Wo−1)·sw + 1, C] with dy at every s-th row/column, zeros between. */
function dilate(backend: WebGPUBackend, dy: tf.TensorInfo, plan: InputGradPlan): tf.TensorInfo {
  const program = flatProgram('hvpConvInputGradDilate', ['dy'], plan.dilatedShape, 'strides : vec2<i32>,', `
          let s = uniforms.strides;
          var v = 0.0;
          if (c.y % s.x == 0 && c.z % s.y == 0) { v = getDy(c.x, c.y / s.x, c.z / s.y, c.w); }
          setOutputAtIndex(index, v);`);
  return backend.runWebGPUProgram(program, [dy], 'float32', [{ type: 'int32', data: [plan.strideH, plan.strideW] }]);
}

/**
 * dx by the identity on a WebGPU backend, through `conv2d` = the Conv2D kernelFunc registered for the
 * backend. Intermediates are freed; the returned TensorInfo is owned by the caller (a kernelFunc's output).
 */
export function conv2dBackpropInputIdentity(
  backend: WebGPUBackend,
  dy: tf.TensorInfo,
  filter: tf.TensorInfo,
  plan: InputGradPlan,
  conv2d: tf.KernelFunc,
): tf.TensorInfo {
  const rotated = rotateFilter(backend, filter);
  const dilated = plan.strideH === 1 && plan.strideW === 1 ? dy : dilate(backend, dy, plan);
  const out = conv2d({
    inputs: { x: dilated, filter: rotated },
    backend,
    attrs: { strides: [1, 1], pad: plan.pads, dataFormat: 'NHWC', dilations: [1, 1] } as unknown as tf.NamedAttrMap,
  }) as tf.TensorInfo;
  backend.disposeData(rotated.dataId);
  if (dilated !== dy) backend.disposeData(dilated.dataId);
  return out;
}

/** Stock kernelFunc per backend name, captured before ours replaced it. */
const stockKernels = new Map<string, tf.KernelFunc>();
/** Marks our kernelFunc, so a second registration does not capture it as the "stock" one. */
const OURS = Symbol('hvpConv2dBackpropInput');

/** The stock Conv2DBackpropInput kernelFunc of `backendName` (undefined if none was registered). */
export function stockConv2dBackpropInput(backendName = 'webgpu'): tf.KernelFunc | undefined {
  const current = tf.getKernel(CONV2D_BACKPROP_INPUT, backendName);
  if (current && !(OURS in current.kernelFunc)) stockKernels.set(backendName, current.kernelFunc);
  return stockKernels.get(backendName);
}

/** kernelFunc for one backend name: the identity when supported, else the captured stock kernel. */
function makeKernelFunc(backendName: string): tf.KernelFunc {
  const fn = (args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }) => {
    const { dy, filter } = args.inputs;
    if (dy == null || filter == null) throw new Error(`Kernel ${CONV2D_BACKPROP_INPUT}: missing input dy or filter`);
    const attrs = args.attrs as unknown as Conv2DBackpropInputAttrs;
    const conv2d = tf.getKernel('Conv2D', backendName)?.kernelFunc;
    const ok = dy.dtype === 'float32' && filter.dtype === 'float32' && dy.shape.length === 4 && filter.shape.length === 4 && attrs.dataFormat !== 'NCHW';
    const plan = ok ? planInputGrad(dy.shape, filter.shape, attrs) : null;
    if (plan && conv2d) return conv2dBackpropInputIdentity(args.backend as WebGPUBackend, dy, filter, plan, conv2d);
    const stock = stockKernels.get(backendName);
    if (!stock) throw new Error(`Kernel ${CONV2D_BACKPROP_INPUT}: unsupported inputs and no stock kernel`);
    return stock(args as Parameters<tf.KernelFunc>[0]);
  };
  return Object.assign(fn, { [OURS]: true }) as unknown as tf.KernelFunc;
}

/**
 * Registration of our Conv2DBackpropInput for a WebGPU backend name. Side effect: the stock kernel is
 * captured for the fallback and unregistered, so that registerGpuKernels (which skips names that already
 * have a kernel) registers ours in its place. Calling it again once ours is registered changes nothing.
 */
export const conv2dBackpropInputConfig = (backendName: string): tf.KernelConfig => {
  const current = tf.getKernel(CONV2D_BACKPROP_INPUT, backendName);
  if (current && !(OURS in current.kernelFunc)) {
    stockKernels.set(backendName, current.kernelFunc);
    tf.unregisterKernel(CONV2D_BACKPROP_INPUT, backendName);
    return { kernelName: CONV2D_BACKPROP_INPUT, backendName, kernelFunc: makeKernelFunc(backendName) };
  }
  return current ?? { kernelName: CONV2D_BACKPROP_INPUT, backendName, kernelFunc: makeKernelFunc(backendName) };
};
