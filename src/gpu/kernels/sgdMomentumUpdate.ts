/**
 * Fused SGD-with-momentum update of one variable on WebGPU (kernel 'SgdMomentumUpdate').
 * Reference: core/train/optimizers/sgd.ts (PyTorch SGD: d = g + wd·w; buf ← m·buf + d, or d on the first
 * step; w ← w − lr·buf; without momentum w ← w − lr·d).
 *
 * Dispatches per variable: 2 with momentum (new buffer, then new weights), 1 without. A tfjs program has
 * exactly one writable binding (binding 0; inputs are `var<storage, read>`), so weights and buffer cannot
 * both be written by one dispatch through `runWebGPUProgram`; the stock tfjs path needs 4–6 dispatches.
 * Outputs are fresh tensors (nothing is written in place), so tensors that alias a variable's data stay
 * valid.
 * Must not import: core/ (except types), worker/, ui/, DOM.
 */
import * as tf from '@tensorflow/tfjs';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { requireInputs, runElementwise, type Uniform } from '../flatProgram';

/** Kernel name registered for backend 'webgpu'. */
export const SGD_MOMENTUM_UPDATE = 'SgdMomentumUpdate';

/** Attributes of {@link SGD_MOMENTUM_UPDATE}. */
export interface SgdMomentumUpdateAttrs {
  lr: number;
  /** 0 disables the buffer (single output). */
  momentum: number;
  /** Coupled L2 decay added to the gradient (pass 0 for no-decay parameters). */
  weightDecay: number;
}

/**
 * w ← w − lr·u for an update direction u of the same size. Shared with larsUpdate.
 * @returns a new TensorInfo of `param`'s shape
 */
export function runParamStep(
  backend: WebGPUBackend,
  param: tf.TensorInfo,
  update: tf.TensorInfo,
  lr: number,
): tf.TensorInfo {
  const spec = {
    key: 'paramStep',
    inputs: ['param', 'update'],
    uniforms: [['lr', lr]] as Uniform[],
    body: 'result[i] = param[i] - update[i] * uniforms.lr;',
  };
  return runElementwise(backend, spec, [param, update], [], param.shape);
}

/** The WGSL for d = g + wd·w, then the buffer (`hasBuf`) or the direct step (`momentum == 0`). */
function bufferSpec(hasBuf: boolean, attrs: SgdMomentumUpdateAttrs) {
  const d = 'grad[i] + param[i] * uniforms.weightDecay';
  if (attrs.momentum === 0) {
    return {
      key: 'sgdDirect',
      inputs: ['param', 'grad'],
      uniforms: [
        ['lr', attrs.lr],
        ['weightDecay', attrs.weightDecay],
      ] as Uniform[],
      body: `let d = ${d}; result[i] = param[i] - d * uniforms.lr;`,
    };
  }
  return {
    key: hasBuf ? 'sgdBuffer' : 'sgdBufferInit',
    inputs: hasBuf ? ['param', 'grad', 'momentumBuf'] : ['param', 'grad'],
    uniforms: [
      ['momentum', attrs.momentum],
      ['weightDecay', attrs.weightDecay],
    ] as Uniform[],
    body: hasBuf
      ? `let d = ${d}; result[i] = momentumBuf[i] * uniforms.momentum + d;`
      : `result[i] = ${d};`,
  };
}

/** kernelFunc of {@link SGD_MOMENTUM_UPDATE}: inputs {param, grad, momentumBuf?} → [param', momentumBuf'?]. */
function sgdMomentumUpdateKernel(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}): tf.TensorInfo[] {
  const backend = args.backend as WebGPUBackend;
  const attrs = args.attrs as unknown as SgdMomentumUpdateAttrs;
  const { param, grad } = requireInputs(SGD_MOMENTUM_UPDATE, args.inputs, ['param', 'grad']);
  const momentumBuf = args.inputs.momentumBuf;
  const spec = bufferSpec(momentumBuf != null, attrs);
  const inputs = momentumBuf != null ? [param, grad, momentumBuf] : [param, grad];
  const first = runElementwise(backend, spec, inputs, [], param.shape);
  if (attrs.momentum === 0) return [first];
  return [runParamStep(backend, param, first, attrs.lr), first];
}

/** Registration of {@link SGD_MOMENTUM_UPDATE} for a WebGPU backend name. */
export const sgdMomentumUpdateConfig = (backendName: string): tf.KernelConfig => ({
  kernelName: SGD_MOMENTUM_UPDATE,
  backendName,
  kernelFunc: sgdMomentumUpdateKernel as unknown as tf.KernelFunc,
});

/**
 * Runs the fused update of one variable. Returns new tensors [param', momentumBuf'] (momentum > 0) or
 * [param'] (momentum 0), tracked by the current tf.tidy scope. Inputs are not modified.
 */
export function sgdMomentumUpdate(
  param: tf.Tensor,
  grad: tf.Tensor,
  momentumBuf: tf.Tensor | undefined,
  attrs: SgdMomentumUpdateAttrs,
): tf.Tensor[] {
  const inputs: tf.NamedTensorMap = momentumBuf ? { param, grad, momentumBuf } : { param, grad };
  const out = tf.engine().runKernel(SGD_MOMENTUM_UPDATE, inputs, attrs as unknown as tf.NamedAttrMap);
  return Array.isArray(out) ? out : [out as tf.Tensor];
}
