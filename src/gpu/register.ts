/**
 * The one place that registers our WebGPU kernels with tfjs, and the gpu/ entry point for worker/ and
 * cli/ (which may import gpu/register only): it re-exports the fused optimizers.
 * Every kernel adds its KernelConfig factory to a kernel set: BASE_KERNELS (optimizers, pair selection, views,
 * filter gradient) or LEAN_KERNELS (fewer dispatches per step: training BatchNorm, …).
 * Call it before uploading the dataset: the view op packs source images only when its kernel exists.
 * Must not import: core/ values outside core/ops, worker/, ui/, DOM.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu'; // registers the 'webgpu' backend
import { adamwUpdateConfig } from './kernels/adamwUpdate';
import { batchNormTrainConfig, batchNormTrainGradConfig } from './kernels/batchNormTrain';
import { emaConfig } from './kernels/ema';
import { reluGradConfig } from './kernels/reluGrad';
import { installReluGrad } from '../core/ops/reluGrad';
import { conv2dBackpropFilterConfig } from './kernels/conv2dBackpropFilter';
import { larsUpdateConfig } from './kernels/larsUpdate';
import { pairSelectConfig } from './kernels/pairSelect';
import { renderViewsConfig } from './kernels/renderViews';
import { sgdMomentumUpdateConfig } from './kernels/sgdMomentumUpdate';

/**
 * Kernel sets: 'base' = the kernels of the step before issue 12 (optimizers, pair selection, views, filter
 * gradient); 'lean' = the kernels that cut the step's dispatch count (bench/dispatch/). Registering a set is
 * additive, so bench/dispatch/ measures base, then base + lean, in one page load.
 */
export type GpuKernelSet = 'base' | 'lean';

/** Every kernel set, in registration order. */
export const GPU_KERNEL_SETS: readonly GpuKernelSet[] = ['base', 'lean'];

/** Factories of the 'base' kernels, by backend name. */
const BASE_KERNELS: ReadonlyArray<(backendName: string) => tf.KernelConfig> = [
  sgdMomentumUpdateConfig,
  larsUpdateConfig,
  adamwUpdateConfig,
  pairSelectConfig,
  renderViewsConfig,
  conv2dBackpropFilterConfig, // replaces tfjs's stock kernel (kept as its fallback)
];

/** Factories of the 'lean' kernels (fewer dispatches per step), by backend name. */
const LEAN_KERNELS: ReadonlyArray<(backendName: string) => tf.KernelConfig> = [
  batchNormTrainConfig, // core/ops/batchNormTrain.ts runs it (and its gradient) once registered
  batchNormTrainGradConfig,
  emaConfig, // BN running stats (core/models/layers.ts updateRunningStat)
  reluGradConfig, // tfjs's Relu gradient, routed here by installReluGrad (below)
];

const KERNELS_BY_SET: Record<GpuKernelSet, ReadonlyArray<(backendName: string) => tf.KernelConfig>> = {
  base: BASE_KERNELS,
  lean: LEAN_KERNELS,
};

/**
 * Registers our WebGPU kernels for `backendName` (default 'webgpu'; pass the name of a custom backend
 * built on WebGPUBackend): every set by default, or only `sets`. Idempotent: kernels already registered
 * for that backend are left alone.
 * @returns the kernel names now available
 */
export function registerGpuKernels(backendName = 'webgpu', sets: readonly GpuKernelSet[] = GPU_KERNEL_SETS): string[] {
  if (sets.includes('lean')) installReluGrad(); // Relu's gradient → HvpReluGrad where registered, tfjs's formula elsewhere
  return sets.flatMap((set) => KERNELS_BY_SET[set]).map((make) => {
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
