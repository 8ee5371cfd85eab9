/**
 * TrainerSnapshot: the complete state of a run between two steps, on the host — what a checkpoint
 * stores (core/checkpoint turns it into a file) and what createTrainer({ resumeFrom }) continues from.
 * Model and optimizer tensors are in tfjs layouts, keyed by their state_dict-style names.
 * Must not import: tfjs runtime, DOM.
 */
import type { Normalization } from '../data/normalization';
import type { RngState } from '../random';
import type { BatchSamplerState } from '../train/batchSampler';
import type { HostTensor } from './hostTensor';

/** Host-side counters and generator states. */
export interface TrainerProgress {
  /** Steps completed. */
  step: number;
  /** Position in the data order (epoch, permutation generator, next index). */
  sampler: BatchSamplerState;
  /** View-parameter stream. */
  viewRng: RngState;
  /** Random-pair stream (hvpMode 'random'). */
  selectRng: RngState;
}

/** Everything a trainer needs to continue exactly. */
export interface TrainerSnapshot {
  progress: TrainerProgress;
  /** Weights and BN buffers by name (`backbone.conv1.weight`, `backbone.bn1.running_mean`, …). */
  model: Map<string, HostTensor>;
  /** Optimizer state by name (`backbone.conv1.weight.momentum`, …). */
  optimizer: Map<string, HostTensor>;
  /**
   * The per-channel statistics the run normalises its views with (the checkpoint record's
   * `dataset.normalization`). Absent (a checkpoint written before per-dataset normalisation): the
   * run was trained with CIFAR-10's, and createTrainer continues with them.
   */
  normalization?: Normalization;
}
