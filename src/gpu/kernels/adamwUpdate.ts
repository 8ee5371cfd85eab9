/**
 * Fused AdamW update of one variable on WebGPU (kernel 'AdamwUpdate').
 * Reference: core/train/optimizers/adamw.ts (torch.optim.AdamW order: decoupled decay w·(1 − lr·wd);
 * m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²;
 * w ← w − (lr/(1−β1^t))·m / (√v/√(1−β2^t) + eps)).
 *
 * Dispatches per variable: 3 (new m, new v, new w), each one element-wise pass; tfjs's own Adam needs about
 * a dozen kernels per variable and has no decoupled decay. One dispatch per output is the minimum through
 * `runWebGPUProgram` (one writable binding per program). Step-dependent scalars (bias corrections) are
 * computed on the CPU in float64 and passed as uniforms, exactly as the reference passes them to tfjs ops.
 * Outputs are fresh tensors; nothing is written in place.
 * Must not import: core/ (except types), worker/, ui/, DOM.
 */
import * as tf from '@tensorflow/tfjs';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { requireInputs, runElementwise, type Uniform } from '../flatProgram';

/** Kernel name registered for WebGPU backends. */
export const ADAMW_UPDATE = 'AdamwUpdate';

/** Attributes of {@link ADAMW_UPDATE}. */
export interface AdamwUpdateAttrs {
  lr: number;
  /** Decoupled decay (0 for no-decay parameters). */
  weightDecay: number;
  beta1: number;
  beta2: number;
  eps: number;
  /** 1-based step count of this variable after the update (torch state['step']). */
  step: number;
}

/** kernelFunc of {@link ADAMW_UPDATE}: inputs {param, grad, expAvg, expAvgSq} → [param', expAvg', expAvgSq']. */
function adamwUpdateKernel(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}): tf.TensorInfo[] {
  const backend = args.backend as WebGPUBackend;
  const a = args.attrs as unknown as AdamwUpdateAttrs;
  const { param, grad, expAvg, expAvgSq } = requireInputs(ADAMW_UPDATE, args.inputs, [
    'param',
    'grad',
    'expAvg',
    'expAvgSq',
  ]);
  const shape = param.shape;
  const m = runElementwise(
    backend,
    {
      key: 'adamwExpAvg',
      inputs: ['expAvg', 'grad'],
      uniforms: [
        ['beta', a.beta1],
        ['oneMinusBeta', 1 - a.beta1],
      ],
      body: 'result[i] = expAvg[i] * uniforms.beta + grad[i] * uniforms.oneMinusBeta;',
    },
    [expAvg, grad],
    [],
    shape,
  );
  const v = runElementwise(
    backend,
    {
      key: 'adamwExpAvgSq',
      inputs: ['expAvgSq', 'grad'],
      uniforms: [
        ['beta', a.beta2],
        ['oneMinusBeta', 1 - a.beta2],
      ],
      body: 'let g = grad[i]; result[i] = expAvgSq[i] * uniforms.beta + (g * g) * uniforms.oneMinusBeta;',
    },
    [expAvgSq, grad],
    [],
    shape,
  );
  const uniforms: Uniform[] = [
    ['decayFactor', 1 - a.lr * a.weightDecay],
    ['stepSize', a.lr / (1 - a.beta1 ** a.step)],
    ['bc2Sqrt', Math.sqrt(1 - a.beta2 ** a.step)],
    ['eps', a.eps],
  ];
  const w = runElementwise(
    backend,
    {
      key: 'adamwParam',
      inputs: ['param', 'expAvg', 'expAvgSq'],
      uniforms,
      body: `
        let denom = sqrt(expAvgSq[i]) / uniforms.bc2Sqrt + uniforms.eps;
        result[i] = param[i] * uniforms.decayFactor - (expAvg[i] / denom) * uniforms.stepSize;`,
    },
    [param, m, v],
    [],
    shape,
  );
  return [w, m, v];
}

/** Registration of {@link ADAMW_UPDATE} for a WebGPU backend name. */
export const adamwUpdateConfig = (backendName: string): tf.KernelConfig => ({
  kernelName: ADAMW_UPDATE,
  backendName,
  kernelFunc: adamwUpdateKernel as unknown as tf.KernelFunc,
});

/**
 * Runs the fused AdamW update of one variable. Returns new tensors [param', expAvg', expAvgSq'], tracked
 * by the current tf.tidy scope. Inputs are not modified.
 */
export function adamwUpdate(
  param: tf.Tensor,
  grad: tf.Tensor,
  expAvg: tf.Tensor,
  expAvgSq: tf.Tensor,
  attrs: AdamwUpdateAttrs,
): [tf.Tensor, tf.Tensor, tf.Tensor] {
  const out = tf.engine().runKernel(
    ADAMW_UPDATE,
    { param, grad, expAvg, expAvgSq },
    attrs as unknown as tf.NamedAttrMap,
  ) as tf.Tensor[];
  return [out[0], out[1], out[2]];
}
