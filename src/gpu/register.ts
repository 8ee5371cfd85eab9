/**
 * The one place that registers our WebGPU kernels with tfjs, and the gpu/ entry point for worker/ and
 * cli/ (which may import gpu/register only): it re-exports the fused optimizers.
 * Every kernel adds its KernelConfig factory to GPU_KERNELS (optimizers, pair selection, views).
 * Call it before uploading the dataset: the view op packs source images only when its kernel exists.
 * Must not import: core/ values outside core/ops, worker/, ui/, DOM.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu'; // registers the 'webgpu' backend
import { adamwUpdateConfig } from './kernels/adamwUpdate';
import { conv2dBackpropFilterConfig } from './kernels/conv2dBackpropFilter';
import { larsUpdateConfig } from './kernels/larsUpdate';
import { pairSelectConfig } from './kernels/pairSelect';
import { renderViewsConfig } from './kernels/renderViews';
import { sgdMomentumUpdateConfig } from './kernels/sgdMomentumUpdate';

/** Factories of every kernel this package registers, by backend name. */
const GPU_KERNELS: ReadonlyArray<(backendName: string) => tf.KernelConfig> = [
  sgdMomentumUpdateConfig,
  larsUpdateConfig,
  adamwUpdateConfig,
  pairSelectConfig,
  renderViewsConfig,
  conv2dBackpropFilterConfig, // replaces tfjs's stock kernel (kept as its fallback)
];

/**
 * Registers all our WebGPU kernels for `backendName` (default 'webgpu'; pass the name of a custom backend
 * built on WebGPUBackend). Idempotent: kernels already registered for that backend are left alone.
 * @returns the kernel names now available
 */
export function registerGpuKernels(backendName = 'webgpu'): string[] {
  return GPU_KERNELS.map((make) => {
    const config = make(backendName);
    if (!tf.getKernel(config.kernelName, backendName)) tf.registerKernel(config);
    return config.kernelName;
  });
}

export {
  createFusedOptimizer,
  FusedOptimizerError,
  type FusedOptimizerKind,
  type FusedOptimizerOptions,
} from './fusedOptimizer';
export { createGpuTrainerOptions } from './trainerOptions';
