/**
 * Which optimizer a run uses, as plain data: the config's `optimizer` ('auto' = the method's own
 * choice: SimSiam SGD as its authors, SimCLR and BYOL LARS as solo-learn's CIFAR recipes) resolved
 * to a spec the reference optimizers (optimizers/) and the fused WebGPU ones (gpu/) both build from.
 * Must not import: DOM, gpu/, worker/, ui/.
 */
import type { MethodName, OptimizerName, RunConfig } from '../config/runConfig';
import type { Optimizer } from './optimizer';
import { createAdamw } from './optimizers/adamw';
import { createLars } from './optimizers/lars';
import { createSgd } from './optimizers/sgd';

export type OptimizerSpec =
  | { kind: 'sgd'; momentum: number; weightDecay: number; isNoDecay?: (name: string) => boolean }
  | { kind: 'lars'; momentum: number; weightDecay: number; eta: number; clipLr: boolean }
  | { kind: 'adamw'; weightDecay: number; isNoDecay?: (name: string) => boolean };

/** The optimizer each method uses when the config says 'auto'. */
export const METHOD_OPTIMIZER: Record<MethodName, Exclude<OptimizerName, 'auto'>> = {
  simsiam: 'sgd',
  simclr: 'lars',
  byol: 'lars',
  dino: 'adamw',
  ibot: 'adamw',
};

/** LARS trust coefficient (solo-learn's CIFAR configs). */
export const LARS_ETA = 0.02;

/** The spec of a run's optimizer. `isNoDecay` names parameters without weight decay (SGD/AdamW). */
export function optimizerSpecFor(config: RunConfig, isNoDecay: (name: string) => boolean): OptimizerSpec {
  const kind = config.optimizer === 'auto' ? METHOD_OPTIMIZER[config.method] : config.optimizer;
  switch (kind) {
    // SimSiam (authors' pretrain.py): torch SGD with weight decay on every parameter.
    case 'sgd':
      return config.method === 'simsiam' ? { kind, momentum: config.momentum, weightDecay: config.weightDecay } : { kind, momentum: config.momentum, weightDecay: config.weightDecay, isNoDecay };
    // LARS excludes rank ≤ 1 tensors (biases, BN) from adaptation and decay, as solo-learn; clip_lr on.
    case 'lars':
      return { kind, momentum: config.momentum, weightDecay: config.weightDecay, eta: LARS_ETA, clipLr: true };
    case 'adamw':
      return { kind, weightDecay: config.weightDecay, isNoDecay };
  }
}

/** Builds the reference (plain tfjs ops) optimizer of a spec. */
export function createReferenceOptimizer(spec: OptimizerSpec): Optimizer {
  switch (spec.kind) {
    case 'sgd':
      return createSgd(spec);
    case 'lars':
      return createLars(spec);
    case 'adamw':
      return createAdamw(spec);
  }
}
