/**
 * Trainer options for the WebGPU backend: the fused optimizers (SGD, LARS, AdamW: a few dispatches per
 * variable instead of a dozen small kernels). Falls back to the trainer's defaults elsewhere.
 * Must not import: core/ values outside core/ops (types only), worker/, ui/.
 */
import * as tf from '@tensorflow/tfjs';
import type { TrainerOptions } from '../core/train/trainer';
import { createFusedOptimizer } from './fusedOptimizer';

/** Options that use our WebGPU kernels when the current backend is 'webgpu'; {} otherwise. */
export function createGpuTrainerOptions(): TrainerOptions {
  if (tf.getBackend() !== 'webgpu') return {};
  return {
    makeOptimizer: (spec) => {
      switch (spec.kind) {
        case 'sgd':
          return createFusedOptimizer('sgd', spec);
        case 'lars':
          return createFusedOptimizer('lars', spec);
        case 'adamw':
          return createFusedOptimizer('adamw', spec);
      }
    },
  };
}
