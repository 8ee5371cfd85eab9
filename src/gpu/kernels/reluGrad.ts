/**
 * WGSL implementation of ReLU's gradient 'HvpReluGrad' (contract + reference: core/ops/reluGrad.ts):
 * dx = dy·step(x), one flat element-wise dispatch (vec4 when the length divides by 4) instead of tfjs's
 * Step + Multiply: dx = dy where x > 0, else 0·dy. Differs from tfjs only at x = NaN (tfjs's Step passes NaN
 * through, here 0·dy): a NaN activation already makes the loss NaN, which the trainer reports.
 * Must not import: core/ (except core/ops), worker/, ui/, DOM.
 */
import type * as tf from '@tensorflow/tfjs';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { RELU_GRAD_KERNEL } from '../../core/ops/reluGrad';
import { requireInputs, runElementwise } from '../flatProgram';

function reluGradKernel(args: { inputs: tf.NamedTensorInfoMap; backend: unknown }): tf.TensorInfo {
  const backend = args.backend as WebGPUBackend;
  const { dy, x } = requireInputs(RELU_GRAD_KERNEL, args.inputs, ['dy', 'x']);
  const spec = {
    key: 'reluGrad',
    inputs: ['dy', 'x'],
    uniforms: [],
    body: 'result[i] = dy[i] * select(T(0.0), T(1.0), x[i] > T(0.0));',
  };
  return runElementwise(backend, spec, [dy, x], [], [...x.shape]);
}

/** Registration of {@link RELU_GRAD_KERNEL} for a WebGPU backend name. */
export const reluGradConfig = (backendName: string): tf.KernelConfig => ({
  kernelName: RELU_GRAD_KERNEL,
  backendName,
  kernelFunc: reluGradKernel as unknown as tf.KernelFunc,
});
