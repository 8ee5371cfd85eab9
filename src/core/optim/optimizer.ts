/**
 * Optimizer contract shared by the reference (plain tfjs ops, optimizers/) and fused GPU implementations
 * (gpu/fusedOptimizer.ts). References: optimizers/sgd.ts (PyTorch SGD),
 * optimizers/lars.ts (LARS as in solo-learn), optimizers/adamw.ts (torch.optim.AdamW).
 * Must not import: DOM, gpu/.
 */
import type * as tf from '@tensorflow/tfjs';
import type { HostTensor } from '../state/hostTensor';

/** An optimizer over named variables. */
export interface Optimizer {
  /**
   * Applies one update with learning rate `lr`. Only parameters with a gradient in `grads` change
   * (a frozen parameter is left out: no update, no decay, no state step, as torch with grad None).
   * `weightDecay`, when given, replaces the spec's weight decay for this step (DINO's cosine weight
   * decay schedule); parameters without decay (isNoDecay) keep none.
   * NOTE: disposes every gradient tensor in `grads`.
   */
  apply(params: ReadonlyMap<string, tf.Variable>, grads: Map<string, tf.Tensor>, lr: number, weightDecay?: number): void;
  /** Named state tensors (e.g. `layer1.0.conv1.weight.momentum`), for checkpoints. */
  state(): Map<string, tf.Variable>;
  /**
   * Replaces all state with saved values (keys as `state()` names them, for parameters of `params`).
   * Throws StateMismatchError (core/train/hostTensor.ts) on unknown keys or shapes that do not match
   * their parameter; the optimizer is unchanged then.
   */
  loadState(state: ReadonlyMap<string, HostTensor>, params: ReadonlyMap<string, tf.Variable>): void;
  /** Frees all state. */
  dispose(): void;
}
