/**
 * Test helpers shared by the optimizer tests (Node, tfjs CPU backend): build parameters, run steps with
 * given gradients, read values. Not used by production code.
 * Must not import: gpu/, worker/, ui/, DOM or worker globals.
 */
import * as tf from '@tensorflow/tfjs';
import type { Optimizer } from '../optimizer';

/** Creates unnamed, trainable variables from plain arrays. */
export function makeParams(values: Record<string, { data: number[]; shape: number[] }>): Map<string, tf.Variable> {
  const params = new Map<string, tf.Variable>();
  for (const [name, { data, shape }] of Object.entries(values)) {
    params.set(name, tf.tidy(() => tf.variable(tf.tensor(data, shape))));
  }
  return params;
}

/** Runs one `apply` with gradients given as plain arrays (shapes taken from the parameters). */
export function step(
  opt: Optimizer,
  params: Map<string, tf.Variable>,
  grads: Record<string, number[]>,
  lr: number,
): void {
  const g = new Map<string, tf.Tensor>();
  for (const [name, data] of Object.entries(grads)) g.set(name, tf.tensor(data, params.get(name)!.shape));
  opt.apply(params, g, lr);
}

/** Reads a tensor synchronously as a plain array (CPU backend only). */
export const values = (t: tf.Tensor): number[] => Array.from(t.dataSync());
