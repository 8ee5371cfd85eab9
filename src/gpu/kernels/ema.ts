/**
 * WGSL implementation of the EMA update 'HvpEma' (contract + reference: core/ops/ema.ts):
 * average' = average·(1 − momentum) + value·momentum, one flat element-wise dispatch (vec4 when the
 * length divides by 4) instead of the reference's three kernels. Both weights are f32 uniforms, as the
 * reference's scalar tensors are f32.
 * Must not import: core/ (except core/ops), worker/, ui/, DOM.
 */
import type * as tf from '@tensorflow/tfjs';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { EMA_KERNEL, type EmaAttrs } from '../../core/ops/ema';
import { requireInputs, runElementwise, type Uniform } from '../flatProgram';

function emaKernel(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
  const backend = args.backend as WebGPUBackend;
  const { momentum } = args.attrs as unknown as EmaAttrs;
  const { average, value } = requireInputs(EMA_KERNEL, args.inputs, ['average', 'value']);
  const spec = {
    key: 'ema',
    inputs: ['average', 'value'],
    uniforms: [
      ['keep', 1 - momentum],
      ['momentum', momentum],
    ] as Uniform[],
    body: 'result[i] = average[i] * uniforms.keep + value[i] * uniforms.momentum;',
  };
  return runElementwise(backend, spec, [average, value], [], [...average.shape]);
}

/** Registration of {@link EMA_KERNEL} for a WebGPU backend name. */
export const emaConfig = (backendName: string): tf.KernelConfig => ({
  kernelName: EMA_KERNEL,
  backendName,
  kernelFunc: emaKernel as unknown as tf.KernelFunc,
});
